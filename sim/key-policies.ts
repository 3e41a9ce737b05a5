/**
 * KMS key policies across accounts, for the handoff simulation: the KeyPolicy of every
 * AWS::KMS::Key in the deployed templates, and whether it lets another account's RDS copy use the
 * key. Copying a snapshot encrypted with another account's key needs that key's policy to allow the
 * copying account kms:Decrypt, kms:DescribeKey and kms:CreateGrant (with `kms:GrantIsForAWSResource`;
 * aws-facts.md, "Sharing encrypted snapshots"). An account's own keys are not checked here (KMS is
 * not modelled within one account), and a key no template holds allows no other account.
 */
import { REGION } from './aws-env';
import { fakeArn } from './template';

interface KeyStatement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The actions RDS needs on the source key to copy with a key of the copying account. */
const COPY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'];

export class KeyPolicies {
  private readonly policies = new Map<string, KeyStatement[]>();

  /** Reads the key policies of a template deployed to `account` (intrinsics resolved by `resolve`). */
  public addTemplate(account: string, stackName: string, template: { Resources: Record<string, any> }, resolve: (v: unknown) => unknown): void {
    for (const [logicalId, r] of Object.entries(template.Resources)) {
      if (r.Type !== 'AWS::KMS::Key') continue;
      const policy = resolve(r.Properties?.KeyPolicy ?? {}) as { Statement?: KeyStatement | KeyStatement[] };
      this.policies.set(fakeArn(logicalId, r.Type, stackName, account), list(policy.Statement));
    }
  }

  /** Replaces a key's policy, as a user editing it in the console would (scenarios). */
  public setPolicy(keyArn: string, statements: KeyStatement[]): void {
    this.policies.set(keyArn, statements);
  }

  public statementsOf(keyArn: string): KeyStatement[] | undefined {
    return this.policies.get(keyArn);
  }

  public allows(keyArn: string, account: string): boolean {
    if (keyArn.split(':')[4] === account) return true;
    const statements = this.policies.get(keyArn) ?? [];
    const context: Record<string, string> = {
      // RDS uses a key in the key's own Region (keys are Regional: sim/rds-regions.ts).
      'kms:ViaService': `rds.${keyArn.split(':')[3] || REGION}.amazonaws.com`,
      'kms:GrantIsForAWSResource': 'true',
      'kms:CallerAccount': account,
    };
    return COPY_ACTIONS.every((action) => statements.some((s) => s.Effect === 'Allow'
      && principalIs(s.Principal, account)
      && list(s.Action).some((a) => matches(a, action))
      && conditionsHold(s.Condition, context)));
  }
}

function principalIs(principal: unknown, account: string): boolean {
  if (principal === '*') return true;
  return list((principal as { AWS?: string | string[] } | undefined)?.AWS)
    .some((p) => p === '*' || p === account || p === `arn:aws:iam::${account}:root`);
}

function matches(pattern: string, action: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);
}

/** StringEquals and Bool on the keys RDS's use of the key sets; any other condition does not hold. */
function conditionsHold(condition: KeyStatement['Condition'], context: Record<string, string>): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) => Object.entries(keys).every(([key, values]) => {
    if (operator !== 'StringEquals' && operator !== 'Bool') return false;
    return context[key] !== undefined && list(values as string | string[]).map(String).includes(context[key]);
  }));
}

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
