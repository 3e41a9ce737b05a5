/**
 * Reads what the simulator needs from a synthesized CloudFormation template: the state machine
 * definition with its Lambda ARNs, each function's handler source and environment, and the
 * schedule's target. CloudFormation intrinsics are resolved to stable fake values.
 */
import { ACCOUNT, REGION } from './fake-rds';
import { FunctionRole, readFunctionRoles } from './iam-policy';

export interface TemplateFunction {
  readonly logicalId: string;
  readonly arn: string;
  /** The handler source file, from the description projen's generated function class sets. */
  readonly source: string;
  readonly environment: Record<string, string>;
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

export interface ReadTemplate {
  readonly definition: Record<string, any>;
  readonly stateMachineArn: string;
  readonly functions: Map<string, TemplateFunction>;
  readonly schedule?: ScheduleTarget;
  /** Each function's execution role and its identity-policy statements, by function logical id. */
  readonly roles: Map<string, FunctionRole>;
}

type Resources = Record<string, { Type: string; Properties?: any }>;

export function readTemplate(template: { Resources: Resources }): ReadTemplate {
  const resources = template.Resources;
  const resolve = (value: unknown): unknown => resolveIntrinsics(value, resources);
  const machines = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`Expected one state machine in the template, found ${machines.length}`);
  const [machineId, machine] = machines[0];

  const functions = new Map<string, TemplateFunction>();
  for (const [logicalId, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const arn = fakeArn(logicalId, r.Type);
    functions.set(arn, {
      logicalId,
      arn,
      source: String(r.Properties?.Description ?? ''),
      environment: resolve(r.Properties?.Environment?.Variables ?? {}) as Record<string, string>,
    });
  }

  const schedules = Object.values(resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
  const schedule = schedules[0] && {
    functionArn: String(resolve(schedules[0].Properties.Target.Arn)),
    input: String(resolve(schedules[0].Properties.Target.Input)),
    expression: String(schedules[0].Properties.ScheduleExpression),
    timezone: schedules[0].Properties.ScheduleExpressionTimezone,
    retryAttempts: Number(schedules[0].Properties.Target.RetryPolicy?.MaximumRetryAttempts ?? 185),
  };

  return {
    definition: JSON.parse(String(resolve(machine.Properties.DefinitionString))),
    stateMachineArn: fakeArn(machineId, machine.Type),
    functions,
    schedule,
    roles: readFunctionRoles(resources, resolve),
  };
}

/** A stable ARN per resource, so Refs and GetAtts resolve to the same string everywhere. */
export function fakeArn(logicalId: string, type: string): string {
  switch (type) {
    case 'AWS::Lambda::Function': return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${logicalId}`;
    case 'AWS::StepFunctions::StateMachine': return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${logicalId}`;
    case 'AWS::KMS::Key': return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${logicalId.toLowerCase()}`;
    case 'AWS::SNS::Topic': return `arn:aws:sns:${REGION}:${ACCOUNT}:${logicalId}`;
    default: return `arn:aws:${type.split('::')[1].toLowerCase()}:${REGION}:${ACCOUNT}:${logicalId}`;
  }
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'SimulatedStack',
};

function resolveIntrinsics(value: unknown, resources: Resources): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, resources));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if ('Ref' in obj) {
    const ref = String(obj.Ref);
    if (PSEUDO[ref]) return PSEUDO[ref];
    const r = resources[ref];
    if (!r) throw new Error(`Unresolvable Ref ${ref}`);
    return r.Type === 'AWS::StepFunctions::StateMachine' || r.Type === 'AWS::SNS::Topic' ? fakeArn(ref, r.Type) : ref;
  }
  if ('Fn::GetAtt' in obj) {
    const [id, attr] = obj['Fn::GetAtt'] as [string, string];
    const r = resources[id];
    if (!r) throw new Error(`Unresolvable GetAtt ${id}`);
    if (attr === 'Arn') return fakeArn(id, r.Type);
    return `${id}.${attr}`;
  }
  if ('Fn::Join' in obj) {
    const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
    return (resolveIntrinsics(parts, resources) as unknown[]).join(sep);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveIntrinsics(v, resources)]));
}
