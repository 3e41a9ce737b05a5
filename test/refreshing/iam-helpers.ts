import { Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { REGION, RefreshStack, TARGET } from './stack';
import { evaluate, IamStatement, RequestContext } from '../../sim/iam-policy';
import { statementProblems } from '../iam/reference';

/*
 * A refresh stack's policies, resolved and evaluated the way IAM does (the simulator's evaluator):
 * what each role may do, what it may not, and every statement against the Service Authorization
 * Reference.
 */

export const rds = (resource: string) => `arn:aws:rds:${REGION}:${TARGET}:${resource}`;
export const COPY_KEY = `arn:aws:kms:${REGION}:${TARGET}:key/copy-key`;
export const VIA_RDS = { 'kms:ViaService': 'rds.eu-west-1.amazonaws.com' };

/** An action on a resource with a request context: a call as IAM authorizes it. */
export type Case = [string, string, RequestContext?];

export function policiesOf({ stack, received, refreshed }: RefreshStack) {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: any }>;
  const receiverKeyId = stack.getLogicalId(received.encryptionKey.node.defaultChild as any);
  /** The ARN a resource gets once deployed (enough of it for the policies: the type and a name). */
  const deployedArn = (id: string): string => {
    switch (resources[id]?.Type) {
      case 'AWS::KMS::Key': return id === receiverKeyId ? COPY_KEY : `arn:aws:kms:${REGION}:${TARGET}:key/${id.toLowerCase()}`;
      case 'AWS::Lambda::Function': return `arn:aws:lambda:${REGION}:${TARGET}:function:Refresh-${id}`;
      case 'AWS::Logs::LogGroup': return `arn:aws:logs:${REGION}:${TARGET}:log-group:Refresh-${id}:*`;
      case 'AWS::StepFunctions::StateMachine': return `arn:aws:states:${REGION}:${TARGET}:stateMachine:Refresh-${id}`;
      default: return `arn:aws:${resources[id]?.Type.split('::')[1].toLowerCase()}:${REGION}:${TARGET}:${id}`;
    }
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== 'object' || value === null) return value;
    const node = value as Record<string, any>;
    if (node['Fn::Join']) return (node['Fn::Join'][1] as unknown[]).map(resolve).join(node['Fn::Join'][0]);
    if (node.Ref === 'AWS::Partition') return 'aws';
    if (node.Ref === 'AWS::URLSuffix') return 'amazonaws.com';
    if (node.Ref) return resources[node.Ref]?.Type === 'AWS::RDS::DBSubnetGroup' ? 'staging-subnets' : deployedArn(node.Ref);
    if (node['Fn::GetAtt']) return deployedArn(node['Fn::GetAtt'][0]);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
  };
  const statementsOf = (role: IRole | undefined): IamStatement[] => {
    const roleId = stack.getLogicalId(role!.node.defaultChild as any);
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: any) => ref.Ref === roleId))
      .flatMap((r) => resolve(r.Properties.PolicyDocument.Statement) as IamStatement[]);
  };
  const isAllowed = (role: IRole | undefined, [action, resource, context]: Case) =>
    evaluate(statementsOf(role), { action, resource, context }).allowed;
  const owner = refreshed.ownerId;
  return {
    /** The cases the role does not allow (expected: none). */
    allowed: (role: IRole | undefined, cases: Case[]) => cases.filter((c) => !isAllowed(role, c)),
    /** The cases the role allows (expected: none). */
    denied: (role: IRole | undefined, cases: Case[]) => cases.filter((c) => isAllowed(role, c)),
    OWNED: { 'aws:ResourceTag/refreshed-database:owner': owner },
    TAGGED: { 'aws:RequestTag/refreshed-database:owner': owner },
    STRANGER: { 'aws:ResourceTag/refreshed-database:owner': 'someone-else' },
    /** Every IAM policy of the stack, by logical id. */
    policies: Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Policy'),
    /** Each statement's disagreements with the Service Authorization Reference, by policy and statement. */
    async referenceProblems(): Promise<Record<string, string[]>> {
      const problems: Record<string, string[]> = {};
      for (const [id, policy] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Policy')) {
        for (const [i, statement] of (resolve(policy.Properties.PolicyDocument.Statement) as IamStatement[]).entries()) {
          const found = await statementProblems(statement);
          if (found.length > 0) problems[`${id} statement ${i}`] = found;
        }
      }
      return problems;
    },
  };
}
