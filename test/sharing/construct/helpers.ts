/**
 * What the construct tests share: the test stack, the default props, the builders, and readers of
 * the synthesized template. Template intrinsics are flattened the way cdk-nag prints them
 * (`<LogicalId>`, `<LogicalId.Arn>`), with the library's own `flattenCfnReference`.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { fakeArn, readTemplate } from '../../../sim/template';
import { SharedClusterSnapshots, SharedClusterSnapshotsProps, SnapshotHandlers } from '../../../src';
import { flattenCfnReference } from '../../../src/shared/nag';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Json = any;

/** The test stack's account and Region. */
export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
export const TARGET = '222222222222';
export const TARGETS = [TARGET, '333333333333'];
/** The keys of `SharedClusterSnapshots.handlers`, one per workflow step. */
/** (CopyToRegion exists only with `regions`.) */
export const HANDLER_NAMES: Array<Exclude<keyof SnapshotHandlers, 'copyToRegion'>> = [
  'prepare', 'createSnapshot', 'checkSnapshot', 'copySnapshot', 'shareSnapshot', 'cleanUp', 'cleanUpFailedRun',
];

/** The required props, valid: two explicit clusters, two target accounts. */
export const REQUIRED_PROPS: SharedClusterSnapshotsProps = {
  clusterIdentifiers: ['orders-db', 'billing-db'],
  targetAccountIds: TARGETS,
};

/** A stack in ACCOUNT/REGION, or an environment-agnostic one (as a consumer writes first). */
export function newStack(options: { withEnv?: boolean } = {}): Stack {
  return new Stack(new App(), 'TestStack', options.withEnv === false ? {} : { env: { account: ACCOUNT, region: REGION } });
}

/** The construct with REQUIRED_PROPS, overridden by `props`. */
export function addSnapshots(stack: Stack, props: Partial<SharedClusterSnapshotsProps> = {}, id = 'Snapshots'): SharedClusterSnapshots {
  return new SharedClusterSnapshots(stack, id, { ...REQUIRED_PROPS, ...props });
}

export interface Built {
  readonly stack: Stack;
  readonly construct: SharedClusterSnapshots;
  readonly template: Template;
}

/** The construct in a new (or the given) stack, synthesized. */
export function build(props: Partial<SharedClusterSnapshotsProps> = {}, stack: Stack = newStack()): Built {
  const construct = addSnapshots(stack, props);
  return { stack, construct, template: Template.fromStack(stack) };
}

/** The workflow's handler functions, in HANDLER_NAMES order. */
export function handlerFunctions(construct: SharedClusterSnapshots): lambda.IFunction[] {
  return HANDLER_NAMES.map((name) => construct.handlers[name]);
}

/** A resolved value as readable text: `{Ref: X}` → `<X>`, `{Fn::GetAtt: [X, Arn]}` → `<X.Arn>`. */
export function render(value: unknown): string {
  return flattenCfnReference(value);
}

export const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as lambda.CfnFunction);
}

export function roleIdOf(stack: Stack, fn: lambda.IFunction): string {
  return logicalIdOf(stack, fn.role!);
}

export function lambdaEnvironment(stack: Stack, template: Template, fn: lambda.IFunction): Record<string, unknown> {
  return template.toJSON().Resources[logicalIdOf(stack, fn)].Properties.Environment.Variables;
}

/** The ARN the state machine definition (read as the simulator reads it) holds for `fn`. */
export function functionArnInDefinition(stack: Stack, fn: lambda.IFunction): string {
  return fakeArn(logicalIdOf(stack, fn), 'AWS::Lambda::Function');
}

/** The state machine definition, as the simulator reads it from the template. */
export function definitionOf(template: Template): Json {
  return readTemplate(template.toJSON() as Json).definition;
}

export function tasksOf(definition: Json): Array<[string, Json]> {
  return Object.entries<Json>(definition.States).filter(([, state]) => state.Type === 'Task');
}

/** One state of the workflow, rendered alone and resolved, as aws-cdk's own state tests read it. */
export function stateJson(construct: SharedClusterSnapshots, stateName: string): Json {
  const state = construct.node.findChild('Workflow').node.findChild(stateName) as sfn.State;
  return Stack.of(construct).resolve(state.toStateJson());
}
