/**
 * Reads what the simulator needs from a synthesized CloudFormation template: each state machine
 * (one per SharedClusterSnapshots instance) with its Lambda ARNs and schedule, each function's
 * handler source (by its `Handler`, handler-sources.ts) and environment. CloudFormation intrinsics
 * are resolved to stable fake values, unique per stack.
 */
import { ACCOUNT, REGION } from './aws-env';
import { handlerSourceOf } from './handler-sources';
import { FunctionRole, readFunctionRoles } from './iam-policy';
import { ENV } from '../src/shared/constants';

/** The stack name of the first (or only) template; its fake ARNs carry no stack part. */
export const DEFAULT_STACK = 'SimulatedStack';

export interface TemplateFunction {
  readonly logicalId: string;
  /** Unique across simulated stacks: the logical id, qualified by the stack for a second template. */
  readonly functionId: string;
  readonly stackName: string;
  readonly arn: string;
  /** The handler source file, by the function's `Handler`; '' for a function that is not one of the constructs' handlers. */
  readonly source: string;
  readonly environment: Record<string, string>;
  /** `MemorySize` in MB (Lambda's default: 128). */
  readonly memoryMb: number;
  /** The first of `Architectures` (Lambda's default: x86_64). */
  readonly architecture: string;
}

export interface ScheduleTarget {
  readonly functionArn: string;
  /** The target input with `<aws.scheduler.scheduled-time>` still in it. */
  readonly input: string;
  readonly expression: string;
  readonly timezone?: string;
  /** How often the scheduler retries a failed invocation. */
  readonly retryAttempts: number;
}

/** One SharedClusterSnapshots instance: its state machine and the schedule that starts it. */
export interface TemplateInstance {
  readonly stackName: string;
  readonly definition: Record<string, any>;
  readonly stateMachineArn: string;
  readonly schedule?: ScheduleTarget;
}

export interface ReadTemplate extends TemplateInstance {
  readonly instances: TemplateInstance[];
  /** Every schedule of the template: the instances' own and the others (the source's freshness publisher). */
  readonly schedules: ScheduleTarget[];
  readonly functions: Map<string, TemplateFunction>;
  /** Each function's execution role and its identity-policy statements, by function logical id. */
  readonly roles: Map<string, FunctionRole>;
}

type Resources = Record<string, { Type: string; Properties?: any }>;

/** `account`: the account the stack is deployed to (sim/handoff.ts deploys stacks to several). */
export function readTemplate(template: { Resources: Resources }, stackName = DEFAULT_STACK, account = ACCOUNT): ReadTemplate {
  const resources = template.Resources;
  const resolve = (value: unknown): unknown => resolveIntrinsics(value, resources, stackName, account);

  const functions = new Map<string, TemplateFunction>();
  for (const [logicalId, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const arn = fakeArn(logicalId, r.Type, stackName, account);
    functions.set(arn, {
      logicalId,
      functionId: stackName === DEFAULT_STACK ? logicalId : `${stackName}/${logicalId}`,
      stackName,
      arn,
      source: handlerSourceOf(String(r.Properties?.Handler ?? '')) ?? '',
      environment: resolve(r.Properties?.Environment?.Variables ?? {}) as Record<string, string>,
      memoryMb: Number(r.Properties?.MemorySize ?? 128),
      architecture: String(r.Properties?.Architectures?.[0] ?? 'x86_64'),
    });
  }

  const schedules: ScheduleTarget[] = Object.values(resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule').map((s) => ({
    functionArn: String(resolve(s.Properties.Target.Arn)),
    input: String(resolve(s.Properties.Target.Input)),
    expression: String(s.Properties.ScheduleExpression),
    timezone: s.Properties.ScheduleExpressionTimezone,
    retryAttempts: Number(s.Properties.Target.RetryPolicy?.MaximumRetryAttempts ?? 185),
  }));
  const instances = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine').map(([id, machine]) => {
    const stateMachineArn = fakeArn(id, machine.Type, stackName, account);
    // A schedule belongs to the machine its starter function starts.
    const schedule = schedules.find((s) => functions.get(s.functionArn)?.environment[ENV.STATE_MACHINE_ARN] === stateMachineArn)
      ?? (schedules.length === 1 ? schedules[0] : undefined);
    return { stackName, definition: JSON.parse(String(resolve(machine.Properties.DefinitionString))), stateMachineArn, schedule };
  });
  if (instances.length === 0) throw new Error('Expected a state machine in the template, found none');

  return { ...instances[0], instances, schedules, functions, roles: readFunctionRoles(resources, resolve) };
}

/** Resolves a template's intrinsics as `readTemplate` does, for the resources other modules read (bus policies, rules, keys). */
export function templateResolver(template: { Resources: Resources }, stackName = DEFAULT_STACK, account = ACCOUNT): (value: unknown) => unknown {
  return (value) => resolveIntrinsics(value, template.Resources, stackName, account);
}

/** A stable ARN per resource, so Refs and GetAtts resolve to the same string everywhere. */
export function fakeArn(logicalId: string, type: string, stackName = DEFAULT_STACK, account = ACCOUNT): string {
  const name = stackName === DEFAULT_STACK ? logicalId : `${stackName}-${logicalId}`;
  switch (type) {
    case 'AWS::Lambda::Function': return `arn:aws:lambda:${REGION}:${account}:function:${name}`;
    case 'AWS::StepFunctions::StateMachine': return `arn:aws:states:${REGION}:${account}:stateMachine:${name}`;
    case 'AWS::KMS::Key': return `arn:aws:kms:${REGION}:${account}:key/${name.toLowerCase()}`;
    case 'AWS::SNS::Topic': return `arn:aws:sns:${REGION}:${account}:${name}`;
    default: return `arn:aws:${type.split('::')[1].toLowerCase()}:${REGION}:${account}:${name}`;
  }
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::URLSuffix': 'amazonaws.com',
};

function resolveIntrinsics(value: unknown, resources: Resources, stackName: string, account: string): unknown {
  const again = (v: unknown) => resolveIntrinsics(v, resources, stackName, account);
  if (Array.isArray(value)) return value.map(again);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if ('Ref' in obj) {
    const ref = String(obj.Ref);
    if (ref === 'AWS::StackName') return stackName;
    if (ref === 'AWS::AccountId') return account;
    if (PSEUDO[ref]) return PSEUDO[ref];
    const r = resources[ref];
    if (!r) throw new Error(`Unresolvable Ref ${ref}`);
    return r.Type === 'AWS::StepFunctions::StateMachine' || r.Type === 'AWS::SNS::Topic' ? fakeArn(ref, r.Type, stackName, account) : ref;
  }
  if ('Fn::GetAtt' in obj) {
    const [id, attr] = obj['Fn::GetAtt'] as [string, string];
    const r = resources[id];
    if (!r) throw new Error(`Unresolvable GetAtt ${id}`);
    if (attr === 'Arn') return fakeArn(id, r.Type, stackName, account);
    return `${id}.${attr}`;
  }
  if ('Fn::Join' in obj) {
    const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
    return (again(parts) as unknown[]).join(sep);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, again(v)]));
}
