/**
 * Synthesizes the construct and reads every IAM role's policies from the template, with the
 * intrinsics resolved to the ARNs the resources would have once deployed (CloudFormation's
 * generated names: `<stack>-<logical id>-<suffix>`), in a given partition, account and Region.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AttachedPolicy, IamStatement, readRolePolicies, statementsOf } from '../../sim/iam-policy';
import { ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps, SharedClusterSnapshots, SharedClusterSnapshotsProps } from '../../src';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';

/** Where the template is deployed: what the pseudo parameters resolve to. */
export interface Deployment {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly urlSuffix: string;
}

export const EU_WEST_1: Deployment = { partition: 'aws', region: REGION, account: ACCOUNT, urlSuffix: 'amazonaws.com' };
/** The longest partition name and a Region name of 15 characters, for size checks. */
export const LONGEST_NAMES: Deployment = { partition: 'aws-us-gov', region: 'us-isof-south-1', account: ACCOUNT, urlSuffix: 'amazonaws.com.cn' };
export const STACK_NAME = 'IamReferenceStack';
export const TARGETS = ['222222222222'];
export const CLUSTER_TAG = { key: 'share-snapshots', value: 'true' };
/** CloudFormation appends a random suffix of this length to generated names. */
const SUFFIX = 'A1B2C3D4E5F6G';

type Resources = Record<string, { Type: string; Properties?: any }>;

export interface RolePolicies {
  readonly roleId: string;
  readonly policies: AttachedPolicy[];
  readonly statements: IamStatement[];
}

export interface SynthesizedStack {
  readonly stack: Stack;
  readonly construct: SharedClusterSnapshots;
  readonly resources: Resources;
  /** Every AWS::IAM::Role of the stack with its policies, by logical id. */
  readonly roles: Map<string, RolePolicies>;
  /** The state machine's role, and the role EventBridge Scheduler invokes the starter with. */
  readonly stateMachineRole: RolePolicies;
  readonly schedulerRole: RolePolicies;
  readonly stateMachineArn: string;
  /** The deployed ARN (or name) of a resource, by logical id. */
  arnOf(logicalId: string): string;
  /** The role statements of one of the construct's functions (`prepare`, ..., `starter`). */
  roleOfFunction(name: string): RolePolicies;
  /** The deployed ARN of one of the construct's functions. */
  functionArnOf(name: string): string;
  /** A log stream of the function's log group, as Lambda writes it. */
  logStreamOf(name: string): string;
}

/** `count` distinct valid cluster identifiers of exactly `length` characters (at least 8). */
export function clusterIds(count: number, length: number): string[] {
  return Array.from({ length: count }, (_, i) => `db-${String(i).padStart(5, '0')}`.padEnd(length, 'x'));
}

/** Explicit ids, clusterTag, an alarm topic, target notifications and copy confirmations: every statement the construct can write. */
export function fullFeatureStack(): SynthesizedStack {
  return synthesize((stack) => ({
    clusterIdentifiers: ['orders-db', 'billing-db'],
    clusterTag: CLUSTER_TAG,
    targetAccountIds: TARGETS,
    alarmTopic: new sns.Topic(stack, 'Alarms'),
    notifyTargetAccounts: true,
    retainUntilCopied: true,
  }));
}

/** Only what is required. */
export function defaultStack(): SynthesizedStack {
  return synthesize(() => ({ clusterIdentifiers: ['orders-db'], targetAccountIds: TARGETS }));
}

/**
 * Synthesizes the construct in a stack of `deployment`'s account and Region, or, with
 * `envAgnostic`, in a stack without env whose pseudo parameters resolve to `deployment`.
 */
export function synthesize(
  props: (stack: Stack) => SharedClusterSnapshotsProps,
  deployment: Deployment = EU_WEST_1,
  envAgnostic = false,
): SynthesizedStack {
  const env = envAgnostic ? undefined : { account: deployment.account, region: deployment.region };
  const stack = new Stack(new App(), STACK_NAME, { env });
  const construct = new SharedClusterSnapshots(stack, 'Snapshots', props(stack));
  const resources = Template.fromStack(stack).toJSON().Resources as Resources;
  const arnOf = (logicalId: string) => deployedArn(logicalId, resources, deployment);
  const resolve = (value: unknown) => resolveIntrinsics(value, resources, deployment);
  const roles = new Map<string, RolePolicies>();
  for (const [roleId, policies] of readRolePolicies(resources, resolve)) {
    roles.set(roleId, { roleId, policies, statements: statementsOf(policies) });
  }
  const functions: Record<string, lambda.IFunction> = {
    ...construct.handlers,
    starter: construct.starterFunction,
    publishFreshness: construct.node.findChild('PublishFreshness') as lambda.IFunction,
    ...(construct.recordCopyFunction ? { recordCopy: construct.recordCopyFunction } : {}),
  };
  const functionOf = (name: string) => {
    if (!functions[name]) throw new Error(`No function ${name}`);
    return functions[name];
  };
  const functionIdOf = (name: string) => stack.getLogicalId(functionOf(name).node.defaultChild as lambda.CfnFunction);
  const roleOf = (role: iam.IRole) => roles.get(stack.getLogicalId(role.node.defaultChild as iam.CfnRole))!;
  const schedule = construct.schedule.node.defaultChild as scheduler.CfnSchedule;
  const schedulerRoleId = resolveRef((schedule.target as scheduler.CfnSchedule.TargetProperty).roleArn, stack);
  return {
    stack,
    construct,
    resources,
    roles,
    arnOf,
    roleOfFunction: (name) => roleOf(functionOf(name).role!),
    functionArnOf: (name) => arnOf(functionIdOf(name)),
    logStreamOf(name) {
      const logGroupId = resources[functionIdOf(name)].Properties.LoggingConfig.LogGroup.Ref;
      return arnOf(logGroupId).replace(/:\*$/, ':log-stream:2026/12/01/[$LATEST]0123456789abcdef0123456789abcdef');
    },
    stateMachineRole: roleOf(construct.stateMachine.role),
    schedulerRole: roles.get(schedulerRoleId)!,
    stateMachineArn: arnOf(stack.getLogicalId(construct.stateMachine.node.defaultChild as sfn.CfnStateMachine)),
  };
}

/** A receiver (ReceivedClusterSnapshots) in a target account of `deployment`'s Region: every role with its resolved statements, by logical id. */
export function synthesizeReceiver(props: Omit<ReceivedClusterSnapshotsProps, 'sourceAccountIds'>, deployment: Deployment = { ...EU_WEST_1, account: TARGETS[0] }) {
  const stack = new Stack(new App(), STACK_NAME, { env: { account: deployment.account, region: deployment.region } });
  new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: [ACCOUNT], ...props });
  const resources = Template.fromStack(stack).toJSON().Resources as Resources;
  const roles = new Map<string, RolePolicies>();
  for (const [roleId, policies] of readRolePolicies(resources, (value) => resolveIntrinsics(value, resources, deployment))) {
    roles.set(roleId, { roleId, policies, statements: statementsOf(policies) });
  }
  return { stack, resources, roles };
}

/** The logical id a `{Fn::GetAtt: [Id, 'Arn']}` token refers to. */
function resolveRef(token: string, stack: Stack): string {
  const resolved = stack.resolve(token);
  return resolved['Fn::GetAtt']?.[0] ?? resolved.Ref;
}

/** A CloudFormation-generated physical name, capped at the resource type's limit. */
function physicalName(logicalId: string, max: number): string {
  return `${STACK_NAME}-${logicalId}`.slice(0, max - SUFFIX.length - 1) + `-${SUFFIX}`;
}

/** The ARN a resource of the template gets once deployed (for Fn::GetAtt Arn, or Ref where Ref is the ARN). */
function deployedArn(logicalId: string, resources: Resources, deployment: Deployment): string {
  const type = resources[logicalId]?.Type;
  const { partition: aws, account } = deployment;
  const region = `${deployment.region}:${account}`;
  switch (type) {
    case 'AWS::Lambda::Function': return `arn:${aws}:lambda:${region}:function:${physicalName(logicalId, 64)}`;
    case 'AWS::Logs::LogGroup': return `arn:${aws}:logs:${region}:log-group:${physicalName(logicalId, 512)}:*`;
    case 'AWS::StepFunctions::StateMachine': return `arn:${aws}:states:${region}:stateMachine:${physicalName(logicalId, 80)}`;
    case 'AWS::KMS::Key': return `arn:${aws}:kms:${region}:key/0a1b2c3d-4e5f-6a7b-8c9d-${logicalId.slice(-12).toLowerCase().padStart(12, '0')}`;
    case 'AWS::SNS::Topic': return `arn:${aws}:sns:${region}:${physicalName(logicalId, 256)}`;
    case 'AWS::IAM::Role': return `arn:${aws}:iam::${account}:role/${physicalName(logicalId, 64)}`;
    case 'AWS::IAM::ManagedPolicy': return `arn:${aws}:iam::${account}:policy/${physicalName(logicalId, 128)}`;
    default: throw new Error(`No deployed ARN modelled for ${logicalId} (${type})`);
  }
}

function pseudoValue(name: string, deployment: Deployment): string | undefined {
  return {
    'AWS::Partition': deployment.partition,
    'AWS::Region': deployment.region,
    'AWS::AccountId': deployment.account,
    'AWS::URLSuffix': deployment.urlSuffix,
    'AWS::StackName': STACK_NAME,
  }[name];
}

/** What `Ref` returns: the ARN for topics, state machines and managed policies, the name otherwise. */
const REF_IS_ARN = ['AWS::SNS::Topic', 'AWS::StepFunctions::StateMachine', 'AWS::IAM::ManagedPolicy'];

function resolveIntrinsics(value: unknown, resources: Resources, deployment: Deployment): unknown {
  const resolve = (v: unknown) => resolveIntrinsics(v, resources, deployment);
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  if ('Ref' in node) {
    const ref = String(node.Ref);
    const pseudo = pseudoValue(ref, deployment);
    if (pseudo) return pseudo;
    const type = resources[ref]?.Type;
    if (!type) throw new Error(`Unresolvable Ref ${ref}`);
    if (REF_IS_ARN.includes(type)) return deployedArn(ref, resources, deployment);
    if (type === 'AWS::Lambda::Function' || type === 'AWS::IAM::Role') return physicalName(ref, 64);
    if (type === 'AWS::Logs::LogGroup') return physicalName(ref, 512);
    return ref;
  }
  if ('Fn::GetAtt' in node) {
    const [id, attribute] = node['Fn::GetAtt'] as [string, string];
    if (attribute === 'Arn') return deployedArn(id, resources, deployment);
    throw new Error(`Unresolvable GetAtt ${id}.${attribute}`);
  }
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return (resolve(parts) as unknown[]).join(separator);
  }
  const intrinsic = Object.keys(node).find((key) => key.startsWith('Fn::'));
  if (intrinsic) throw new Error(`Unresolvable ${intrinsic}: ${JSON.stringify(node)}`);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
}
