/**
 * Identity-based IAM for the simulator: each Lambda function's role statements, read from the
 * template, and a small evaluator that answers "may this function do `action` on `resource` with
 * this request context?" the way IAM does for the features the construct uses.
 *
 * Supported: Allow and Deny statements (deny by default, an explicit Deny wins), Action/NotAction
 * and Resource/NotResource with `*` and `?` wildcards (actions compared case-insensitively,
 * resources case-sensitively), and the condition operators StringEquals, StringLike and Bool,
 * alone or with the set qualifiers `ForAnyValue:` and `ForAllValues:` for multivalued keys.
 * A condition on a key the request context does not hold fails (except `ForAllValues:`, which IAM
 * counts as true for a missing key); several values for one key mean OR; several keys, or several
 * operators, mean AND. Anything else (another operator, `IfExists`) throws, so a policy the
 * evaluator does not understand is never guessed at (IAM User Guide, "IAM JSON policy elements:
 * Condition operators" and "Multivalued context keys").
 */

/** One statement of a role's identity policy, intrinsics resolved. */
export interface IamStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Sid?: string;
}

/** The role of one Lambda function and every statement attached to it. */
export interface FunctionRole {
  readonly functionId: string;
  readonly roleId: string;
  readonly statements: IamStatement[];
}

/**
 * The request context keys of one authorization, e.g. `aws:ResourceTag/owner`,
 * `aws:RequestTag/owner`, `kms:ViaService`, `kms:GrantIsForAWSResource`. Keys are matched
 * case-insensitively, as IAM does for condition key names.
 */
export type RequestContext = Record<string, string | boolean | string[]>;

export interface AuthorizationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: RequestContext;
}

export interface Decision {
  readonly allowed: boolean;
  /** The statements (index in the role, and the resource pattern that matched) that allowed the request. */
  readonly allowedBy: { statement: number; resource: string }[];
  readonly deniedBy?: number;
}

type Resources = Record<string, { Type: string; Properties?: any }>;

/** One policy document attached to a role, intrinsics resolved. */
export interface AttachedPolicy {
  /** The logical id of the AWS::IAM::Policy or AWS::IAM::ManagedPolicy, or `<RoleId>.Policies[n]`. */
  readonly policyId: string;
  /** IAM counts inline policies against the role's total and each managed policy on its own. */
  readonly kind: 'inline' | 'managed';
  readonly document: { Version?: string; Statement: IamStatement | IamStatement[] };
}

/**
 * Collects, per AWS::IAM::Role logical id, every policy document attached to it: inline `Policies`
 * of the role, AWS::IAM::Policy (inline) and AWS::IAM::ManagedPolicy documents whose `Roles` refer
 * to it, and customer managed policies the role lists by `Ref` in `ManagedPolicyArns`. AWS managed
 * policies (ARNs) are not modelled.
 */
export function readRolePolicies(resources: Resources, resolve: (value: unknown) => unknown): Map<string, AttachedPolicy[]> {
  const byRole = new Map<string, AttachedPolicy[]>();
  const add = (roleId: string, policy: AttachedPolicy) => byRole.set(roleId, [...(byRole.get(roleId) ?? []), policy]);
  const resolved = (document: unknown) => resolve(document) as AttachedPolicy['document'];
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::IAM::Role') continue;
    if (!byRole.has(id)) byRole.set(id, []);
    for (const [n, policy] of (r.Properties?.Policies ?? []).entries()) {
      add(id, { policyId: `${id}.Policies[${n}]`, kind: 'inline', document: resolved(policy.PolicyDocument) });
    }
    for (const arn of r.Properties?.ManagedPolicyArns ?? []) {
      const policyId = refId(arn);
      if (policyId && resources[policyId]?.Type === 'AWS::IAM::ManagedPolicy') {
        add(id, { policyId, kind: 'managed', document: resolved(resources[policyId].Properties.PolicyDocument) });
      }
    }
  }
  for (const [policyId, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') continue;
    for (const role of r.Properties?.Roles ?? []) {
      const roleId = refId(role);
      const kind = r.Type === 'AWS::IAM::Policy' ? 'inline' : 'managed';
      if (roleId && resources[roleId]?.Type === 'AWS::IAM::Role') add(roleId, { policyId, kind, document: resolved(r.Properties.PolicyDocument) });
    }
  }
  return byRole;
}

/** Every statement of the role's policies, in attachment order. */
export function statementsOf(policies: readonly AttachedPolicy[]): IamStatement[] {
  return policies.flatMap((policy) => asArray(policy.document?.Statement));
}

/** Per AWS::Lambda::Function logical id, the statements of its execution role (see `readRolePolicies`). */
export function readFunctionRoles(resources: Resources, resolve: (value: unknown) => unknown): Map<string, FunctionRole> {
  const policiesByRole = readRolePolicies(resources, resolve);
  const roles = new Map<string, FunctionRole>();
  for (const [functionId, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const roleId = roleIdOf(r.Properties?.Role);
    if (!roleId) throw new Error(`Function ${functionId} has a role the simulator cannot resolve: ${JSON.stringify(r.Properties?.Role)}`);
    roles.set(functionId, { functionId, roleId, statements: statementsOf(policiesByRole.get(roleId) ?? []) });
  }
  return roles;
}

/** `{Fn::GetAtt: [RoleId, 'Arn']}` or `{Ref: RoleId}` → RoleId. */
function roleIdOf(value: any): string | undefined {
  if (value && typeof value === 'object') {
    if (Array.isArray(value['Fn::GetAtt'])) return String(value['Fn::GetAtt'][0]);
    if ('Ref' in value) return String(value.Ref);
  }
  return undefined;
}

function refId(value: any): string | undefined {
  return value && typeof value === 'object' && 'Ref' in value ? String(value.Ref) : undefined;
}

/** Evaluates one request against a role's statements. */
export function evaluate(statements: readonly IamStatement[], request: AuthorizationRequest): Decision {
  const allowedBy: { statement: number; resource: string }[] = [];
  for (const [i, statement] of statements.entries()) {
    const resource = applies(statement, request);
    if (resource === undefined) continue;
    if (statement.Effect === 'Deny') return { allowed: false, allowedBy: [], deniedBy: i };
    if (statement.Effect === 'Allow') allowedBy.push({ statement: i, resource });
  }
  return { allowed: allowedBy.length > 0, allowedBy };
}

/** The resource pattern through which the statement applies to the request, or undefined. */
function applies(statement: IamStatement, request: AuthorizationRequest): string | undefined {
  if (statement.Action !== undefined && !asArray(statement.Action).some((p) => wildcardMatch(p, request.action, true))) return undefined;
  if (statement.NotAction !== undefined && asArray(statement.NotAction).some((p) => wildcardMatch(p, request.action, true))) return undefined;
  if (statement.Action === undefined && statement.NotAction === undefined) return undefined;
  let matched: string | undefined;
  if (statement.Resource !== undefined) {
    matched = asArray(statement.Resource).find((p) => wildcardMatch(p, request.resource, false));
  } else if (statement.NotResource !== undefined && !asArray(statement.NotResource).some((p) => wildcardMatch(p, request.resource, false))) {
    matched = `NotResource ${asArray(statement.NotResource).join(',')}`;
  }
  if (matched === undefined) return undefined;
  return conditionsHold(statement.Condition ?? {}, request.context ?? {}) ? matched : undefined;
}

const OPERATORS: Record<string, (actual: string | boolean, expected: string) => boolean> = {
  stringequals: (actual, expected) => typeof actual === 'string' && actual === expected,
  stringlike: (actual, expected) => typeof actual === 'string' && wildcardMatch(expected, actual, false),
  bool: (actual, expected) => String(actual).toLowerCase() === expected.toLowerCase(),
};

/** `ForAnyValue:StringLike` → the set qualifier and the operator. */
export function parseOperator(operator: string): { qualifier?: 'foranyvalue' | 'forallvalues'; name: string } {
  const [first, second] = operator.toLowerCase().split(':');
  if (second === undefined) return { name: first };
  if (first !== 'foranyvalue' && first !== 'forallvalues') throw new Error(`Unknown condition qualifier in ${operator}`);
  return { qualifier: first, name: second };
}

function conditionsHold(conditions: Record<string, Record<string, unknown>>, context: RequestContext): boolean {
  const lowerContext = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [operator, keys] of Object.entries(conditions)) {
    const { qualifier, name } = parseOperator(operator);
    const test = OPERATORS[name];
    if (!test) throw new Error(`The simulator's IAM evaluator does not support the condition operator ${operator}`);
    for (const [key, expected] of Object.entries(keys)) {
      const actual = lowerContext.get(key.toLowerCase());
      const matches = (value: string | boolean) => asArray(expected as string | string[]).some((e) => test(value, String(e)));
      if (qualifier === 'forallvalues') {
        // Every value in the request must match; a missing key or an empty set is true (IAM's documented pitfall).
        if (actual !== undefined && !asArray(actual).every(matches)) return false;
        continue;
      }
      if (actual === undefined) return false; // a condition on a key the request lacks fails
      if (qualifier === 'foranyvalue' ? !asArray(actual).some(matches) : (Array.isArray(actual) || !matches(actual))) return false;
    }
  }
  return true;
}

const patterns = new Map<string, RegExp>();

/** IAM's wildcard match: `*` any run of characters, `?` any one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (typeof pattern !== 'string') throw new Error(`A policy value the simulator could not resolve: ${JSON.stringify(pattern)}`);
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = patterns.get(key);
  if (!regex) {
    const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    patterns.set(key, regex);
  }
  return regex.test(value);
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The functions' identity policies, queried by function logical id. Records every decision so a
 * test can tell which grants were used and which were denied.
 */
export class IamPolicies {
  public readonly decisions: { functionId: string; request: AuthorizationRequest; decision: Decision }[] = [];

  constructor(public readonly roles: Map<string, FunctionRole>, private readonly account: string) {}

  /** The caller as AWS names it in an AccessDenied message. */
  public principalArn(functionId: string): string {
    const role = this.roles.get(functionId);
    return `arn:aws:sts::${this.account}:assumed-role/${role?.roleId ?? 'UnknownRole'}/${functionId}`;
  }

  public authorize(functionId: string, request: AuthorizationRequest): Decision {
    const role = this.roles.get(functionId);
    const decision = role ? evaluate(role.statements, request) : { allowed: false, allowedBy: [] };
    this.decisions.push({ functionId, request, decision });
    return decision;
  }

  /**
   * Per function, each Allow statement's (action, resource) pair that no allowed request went
   * through: candidates for a narrower policy. Only actions matching `actionPattern` count.
   */
  public unusedGrants(actionPattern = '*'): { functionId: string; action: string; resource: string }[] {
    const used = new Set<string>();
    for (const d of this.decisions) {
      const role = this.roles.get(d.functionId);
      for (const { statement, resource } of d.decision.allowedBy) {
        for (const action of asArray(role!.statements[statement].Action)) {
          if (wildcardMatch(action, d.request.action, true)) used.add(`${d.functionId}|${statement}|${action}|${resource}`);
        }
      }
    }
    const unused = [];
    for (const role of this.roles.values()) {
      for (const [i, s] of role.statements.entries()) {
        if (s.Effect !== 'Allow') continue;
        for (const action of asArray(s.Action).filter((a) => wildcardMatch(actionPattern, a, true))) {
          for (const resource of asArray(s.Resource)) {
            if (!used.has(`${role.functionId}|${i}|${action}|${resource}`)) unused.push({ functionId: role.functionId, action, resource });
          }
        }
      }
    }
    return unused;
  }
}
