import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import { Acknowledgment, acknowledgeFindings, NativeValidations, nativeValidations } from './nag-acknowledgments';

/**
 * cdk-nag suppressions, written as the raw `cdk_nag` resource metadata cdk-nag 2 reads
 * (`rules_to_suppress: [{ id, reason, applies_to }]`), so consumers do not need cdk-nag installed,
 * and acknowledged through aws-cdk-lib's `Validations` for cdk-nag 3 where aws-cdk-lib has it
 * (`nag-acknowledgments.ts`).
 *
 * Every IAM5 suppression names its exact findings with `applies_to` (cdk-nag's
 * `Resource::<flattened ARN>` strings), computed from the same ARNs the policies use, so it stays
 * as narrow as the finding for any props. A finding added later (e.g. a consumer's own statement on
 * a handler role) is not covered.
 */

/** The metadata key cdk-nag reads suppressions from. */
export const CDK_NAG_METADATA_KEY = 'cdk_nag';

/** One suppression, as `NagSuppressions.addResourceSuppressions` takes it. */
export interface NagSuppression {
  /** The rule, e.g. `AwsSolutions-IAM5`. */
  readonly id: string;
  /** Why the finding is acceptable; at least 10 characters. */
  readonly reason: string;
  /** The exact findings suppressed; omit only for rules without granular findings. */
  readonly appliesTo?: string[];
}

const IAM5 = 'AwsSolutions-IAM5';
const L1 = 'AwsSolutions-L1';

/**
 * A wildcard resource this construct grants on purpose, and why. It is suppressed on a role only
 * when that role's policy grants it, so the suppressions follow the props and the policies.
 */
export interface ExpectedWildcard {
  /** The resource exactly as the policy statement holds it (tokens unresolved). */
  readonly resource: string;
  /** The cdk-nag finding, `Resource::<flattened ARN>`. */
  readonly finding: string;
  /** Why the wildcard is needed; the actions and conditions granted on it are appended. */
  readonly reason: string;
  /**
   * When given, any other action granted on the resource leaves the finding unsuppressed, for
   * review. When not, every action other than Describe/List/Get must carry a condition.
   */
  readonly onlyActions?: string[];
  /** Sentences added to the reason when a statement granting the resource uses the condition key. */
  readonly conditionNotes?: Record<string, string>;
}

interface AllowStatement {
  readonly actions: string[];
  readonly resources: string[];
  /** `aws:RequestTag/... (StringEquals)` for each condition key. */
  readonly conditions: string[];
  readonly conditionKeys: string[];
}

/** `expectedWildcard`'s arguments after the stack. */
export type WildcardArgs = [resource: string, reason: string, onlyActions?: string[], conditionNotes?: Record<string, string>];

/** An expected wildcard on `resource` as `stack`'s policies hold it, with cdk-nag's finding for it. */
export function expectedWildcard(
  stack: Stack, resource: string, reason: string, onlyActions?: string[], conditionNotes?: Record<string, string>,
): ExpectedWildcard {
  return { resource, finding: `Resource::${flattenCfnReference(stack.resolve(resource))}`, reason, onlyActions, conditionNotes };
}

/**
 * Suppresses, on the role's default policy, each expected wildcard the policy grants. The reason
 * lists what is granted on it, read from the policy itself. Findings with the same reason share one rule.
 */
export function suppressWildcards(role: iam.IRole | undefined, expected: ExpectedWildcard[]): void {
  const policy = role?.node.tryFindChild('DefaultPolicy');
  if (!(policy instanceof iam.Policy) || !(policy.node.defaultChild instanceof CfnResource)) return;
  const statements = allowStatementsOf(policy.document);
  const byReason = new Map<string, string[]>();
  for (const wildcard of expected) {
    const granting = statements.filter((statement) => statement.resources.includes(wildcard.resource));
    if (granting.length === 0) continue;
    const actions = unique(granting.flatMap((statement) => statement.actions));
    if (wildcard.onlyActions && actions.some((action) => !wildcard.onlyActions!.includes(action))) continue;
    const unconditionedWrite = granting.some((statement) => statement.conditions.length === 0 && statement.actions.some((action) => !isRead(action)));
    if (!wildcard.onlyActions && unconditionedWrite) continue;
    const granted = unique(granting.map((statement) =>
      statement.actions.join(', ') + (statement.conditions.length > 0 ? ` if ${statement.conditions.join(' and ')}` : ''))).join('; ');
    const keys = granting.flatMap((statement) => statement.conditionKeys);
    const notes = Object.entries(wildcard.conditionNotes ?? {}).filter(([key]) => keys.includes(key)).map(([, note]) => ` ${note}`).join('');
    const reason = `${wildcard.reason}${notes} Granted: ${granted}.`;
    byReason.set(reason, unique([...(byReason.get(reason) ?? []), wildcard.finding]));
  }
  addCdkNagSuppressions(policy.node.defaultChild, [...byReason].map(([reason, appliesTo]) => ({ id: IAM5, reason, appliesTo })));
}

/** The policy's Allow statements, unresolved: resolving would lock the logical ids they reference. */
function allowStatementsOf(document: iam.PolicyDocument): AllowStatement[] {
  const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]) as string[];
  const rendered = document.toJSON() as { Statement?: Array<Record<string, unknown>> } | undefined;
  return (rendered?.Statement ?? [])
    .filter((statement) => statement.Effect === 'Allow')
    .map((statement) => ({
      actions: asList(statement.Action),
      resources: asList(statement.Resource),
      conditions: conditionsOf(statement).map(([operator, key]) => `${key} (${operator})`),
      conditionKeys: conditionsOf(statement).map(([, key]) => key),
    }));
}

/** Describe, List and Get actions, which return metadata and change nothing. */
function isRead(action: string): boolean {
  return /^[a-z0-9-]+:(Describe|List|Get)[A-Za-z]*$/.test(action);
}

function conditionsOf(statement: Record<string, unknown>): Array<[string, string]> {
  return Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)
    .flatMap(([operator, keys]) => Object.keys(keys).map((key): [string, string] => [operator, key]));
}

/**
 * lambda:InvokeFunction on `<function ARN>:*`, which cdk-nag prints as `<LogicalId.Arn>:*`. The
 * logical id is read with `Stack.getLogicalId`, not by resolving the ARN, which would lock it
 * against a later `overrideLogicalId`.
 */
export function invokeQualified(fn: lambda.IFunction, reason: string): ExpectedWildcard {
  const cfnFunction = fn.node.defaultChild as lambda.CfnFunction;
  return {
    resource: `${fn.functionArn}:*`,
    finding: `Resource::<${Stack.of(cfnFunction).getLogicalId(cfnFunction)}.Arn>:*`,
    reason,
    onlyActions: ['lambda:InvokeFunction'],
  };
}

/**
 * Merges `suppressions` into the resource's `cdk_nag` metadata the way cdk-nag 2's
 * `NagSuppressions.addResourceSuppressions` does: existing rules are kept, and identical rules are
 * not repeated. A suppression whose `appliesTo` is empty is dropped rather than written without one.
 * Each new rule is also acknowledged for cdk-nag 3, one finding id per `appliesTo` entry.
 */
export function addCdkNagSuppressions(
  resource: CfnResource, suppressions: NagSuppression[], validations: NativeValidations | undefined = nativeValidations(),
): void {
  const rules = new Map(suppressions
    .filter((suppression) => suppression.appliesTo === undefined || suppression.appliesTo.length > 0)
    .map((suppression) => [JSON.stringify(toCfnFormat(suppression)), suppression]));
  if (rules.size === 0) return;
  const existing = resource.getMetadata(CDK_NAG_METADATA_KEY) as { rules_to_suppress?: unknown[] } | undefined;
  const existingRules = (existing?.rules_to_suppress ?? []).map((rule) => JSON.stringify(rule));
  resource.addMetadata(CDK_NAG_METADATA_KEY, {
    ...existing,
    rules_to_suppress: [...new Set([...existingRules, ...rules.keys()])].map((rule) => JSON.parse(rule)),
  });
  const added = [...rules].filter(([rule]) => !existingRules.includes(rule)).map(([, suppression]) => suppression);
  acknowledgeFindings(resource, added.flatMap(toAcknowledgments), validations);
}

/**
 * cdk-nag 3's ids for a suppression: `<rule>[<finding>]` for each `appliesTo` finding, else the
 * rule id. cdk-nag 3 matches ids exactly, so a granular rule is acknowledged finding by finding.
 */
export function toAcknowledgments(suppression: NagSuppression): Acknowledgment[] {
  const ids = suppression.appliesTo?.map((finding) => `${suppression.id}[${finding}]`) ?? [suppression.id];
  return ids.map((id) => ({ id, reason: suppression.reason }));
}

/**
 * cdk-nag's CloudFormation format, keys in its order so identical rules serialise identically; like
 * cdk-nag, a reason with characters beyond Latin-1 is stored base64-encoded.
 */
function toCfnFormat(suppression: NagSuppression): Record<string, unknown> {
  const applies = suppression.appliesTo ? { applies_to: suppression.appliesTo } : {};
  if ([...suppression.reason].some((c) => (c.codePointAt(0) ?? 0) > 255)) {
    return { reason: Buffer.from(suppression.reason).toString('base64'), id: suppression.id, ...applies, is_reason_encoded: true };
  }
  return { reason: suppression.reason, id: suppression.id, ...applies };
}


/**
 * The newest runtime of `runtime`'s family that this aws-cdk-lib knows, picked the way cdk-nag's
 * AwsSolutions-L1 picks it; undefined when the name does not parse.
 */
export function latestRuntimeOfFamily(runtime: string): string | undefined {
  const pattern = /^([a-z]+)(\d+(\.?\d+|\.x)?)?.*$/;
  const family = pattern.exec(runtime)?.[1];
  if (family === undefined) return undefined;
  const versions = lambda.Runtime.ALL
    .map((rt) => rt.toString())
    .filter((name) => name.indexOf(family) === 0)
    .map((name) => ({ name, version: pattern.exec(name)?.[2] ?? '0' }))
    .sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true, sensitivity: 'base' }));
  return versions.pop()?.name;
}

/**
 * cdk-nag's `flattenCfnReference`: how it prints a resolved ARN in a finding (`{Ref: X}` → `<X>`,
 * `{Fn::GetAtt: [X, Arn]}` → `<X.Arn>`, joins joined).
 */
export function flattenCfnReference(reference: unknown): string {
  if (reference === undefined) return '';
  if (typeof reference === 'string') return reference.replace(/\${/g, '<').replace(/}/g, '>');
  const node = reference as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenCfnReference).join(delimiter);
  }
  if (node['Fn::Sub']) return flattenCfnReference(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenCfnReference(resource)}.${flattenCfnReference(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flattenCfnReference(node['Fn::ImportValue']);
  if (node.Ref) return `<${flattenCfnReference(node.Ref)}>`;
  return JSON.stringify(reference);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** The role aws-scheduler-targets created for the schedule's target, a child of the stack. */
export function schedulerRoleOf(schedule: scheduler.Schedule): iam.IRole | undefined {
  const cfnSchedule = schedule.node.defaultChild as scheduler.CfnSchedule;
  const target = cfnSchedule.target as scheduler.CfnSchedule.TargetProperty;
  return Stack.of(schedule).node.children.find((child: IConstruct): child is iam.Role =>
    child instanceof iam.Role && child.roleArn === target.roleArn);
}

/**
 * The wildcards CDK grants a state machine role that invokes `functions` with LambdaInvoke and logs
 * and traces: the functions' versions and aliases, and the logs and X-Ray actions without resource types.
 */
export function suppressStateMachineRole(stateMachine: sfn.StateMachine, functions: lambda.IFunction[]): void {
  suppressWildcards(stateMachine.role, [
    ...functions.map((fn) => invokeQualified(fn, 'Added by CDK\'s Step Functions LambdaInvoke task: it allows versions and aliases '
      + '(<function ARN>:*) of this construct\'s own handler functions as well as their unqualified ARNs; no other function is covered.')),
    {
      resource: '*',
      finding: 'Resource::*',
      reason: 'Added by CDK for the state machine\'s X-Ray tracing and CloudWatch Logs logging: these actions have no '
        + 'resource-level permissions, and AWS documents Resource "*" for both.',
      onlyActions: [
        'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
        'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
        'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
      ],
    },
  ]);
}

/** The wildcard CDK grants the role of a schedule that invokes `fn`: its versions and aliases. */
export function suppressScheduleRole(schedule: scheduler.Schedule, fn: lambda.IFunction, what: string): void {
  suppressWildcards(schedulerRoleOf(schedule), [
    invokeQualified(fn, 'Added by CDK\'s EventBridge Scheduler LambdaInvoke target: it allows versions and aliases '
      + `(<function ARN>:*) of this construct's ${what} as well as its unqualified ARN. The role exists for this target only.`),
  ]);
}

/** AwsSolutions-L1 on functions pinned to an older runtime than this aws-cdk-lib knows, with the reason. */
export function suppressPinnedRuntimes(functions: lambda.IFunction[]): void {
  for (const fn of functions) {
    const cfnFunction = fn.node.defaultChild;
    if (!(cfnFunction instanceof lambda.CfnFunction) || typeof cfnFunction.runtime !== 'string') continue;
    const latest = latestRuntimeOfFamily(cfnFunction.runtime);
    if (latest === undefined || latest === cfnFunction.runtime) continue;
    addCdkNagSuppressions(cfnFunction, [{
      id: L1,
      reason: `The handlers are pinned to ${cfnFunction.runtime} deliberately, so synthesized templates do not change with the aws-cdk-lib version; `
        + `${latest} is adopted in a release of cdk-shared-cluster-snapshots once the handlers are tested on it.`,
    }]);
  }
}
