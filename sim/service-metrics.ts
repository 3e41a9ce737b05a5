/**
 * The metrics AWS publishes itself about what the simulator runs, which the failure alarms watch:
 * Step Functions' `AWS/States` execution counts (`ExecutionsStarted`, `ExecutionsSucceeded`,
 * `ExecutionsFailed`, `ExecutionsAborted`, `ExecutionsTimedOut`, dimension `StateMachineArn`; Step
 * Functions Developer Guide, "Monitoring Step Functions metrics using Amazon CloudWatch") and
 * Lambda's `AWS/Lambda` `Invocations` and `Errors` of every function (dimension `FunctionName`;
 * `Errors` is "the number of invocations that result in a function error", Lambda Developer Guide,
 * "Types of metrics for Lambda functions"): one value per invocation, 1 or 0. Also the inputs of a
 * metric-math alarm (the failure alarms sum several), so a test can ask whether any of them has a
 * datapoint; sim/alarms.ts evaluates such an alarm over these metrics.
 */
import { readAlarms, sameDimensions } from './alarms';
import type { MetricValue } from './log-capture';
import type { Simulation } from './simulation';

const EXECUTION_METRIC: Record<string, string> = {
  SUCCEEDED: 'ExecutionsSucceeded',
  FAILED: 'ExecutionsFailed',
  ABORTED: 'ExecutionsAborted',
  TIMED_OUT: 'ExecutionsTimedOut',
};

/** One value per event: an execution started or ended, a function invocation (and its error). */
export function serviceMetrics(sim: Simulation): MetricValue[] {
  const values: MetricValue[] = [];
  const add = (at: number, namespace: string, name: string, dimensions: Record<string, string>, value = 1) =>
    values.push({ at, account: sim.account, namespace, name, value, unit: 'Count', dimensions });
  for (const execution of sim.executions) {
    const dimensions = { StateMachineArn: execution.stateMachineArn };
    add(execution.startedAt, 'AWS/States', 'ExecutionsStarted', dimensions);
    const ended = EXECUTION_METRIC[execution.status];
    if (ended && execution.stoppedAt !== undefined) add(execution.stoppedAt, 'AWS/States', ended, dimensions);
  }
  for (const invocation of sim.invocations) {
    // Lambda counts an invocation, and its error, when it ends; its FunctionName is the logical id here.
    const dimensions = { FunctionName: invocation.functionName };
    const endedAt = invocation.at + invocation.handlerMs;
    add(endedAt, 'AWS/Lambda', 'Invocations', dimensions);
    add(endedAt, 'AWS/Lambda', 'Errors', dimensions, invocation.error ? 1 : 0);
  }
  return values;
}

/** One metric a metric-math alarm reads (`Metrics[].MetricStat`), by its id in the expression. */
export interface MathAlarmInput {
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly stat: string;
  readonly periodSeconds: number;
}

/** A metric-math alarm: its expression over the inputs' ids. */
export interface MathAlarm {
  readonly expression: string;
  readonly inputs: MathAlarmInput[];
}

/** The expression and inputs of each metric-math alarm of a template, by logical id. */
export function readMathAlarms(template: { Resources: Record<string, any> }, resolve: (v: unknown) => unknown): Map<string, MathAlarm> {
  return new Map(readAlarms(template, resolve).filter((alarm) => alarm.expression !== undefined).map((alarm) => [alarm.logicalId, {
    expression: alarm.expression!,
    inputs: Object.entries(alarm.metrics ?? {}).map(([id, metric]) => ({
      id,
      namespace: metric.namespace,
      metricName: metric.metricName,
      dimensions: metric.dimensions,
      stat: metric.statistic,
      periodSeconds: alarm.periodSeconds,
    })),
  }]));
}

/** The values of `metrics` that an alarm input reads (same namespace, name and exact dimensions), non-zero ones only. */
export function nonZeroDatapoints(inputs: readonly MathAlarmInput[], metrics: readonly MetricValue[]): Array<MetricValue & { input: string }> {
  return inputs.flatMap((input) => metrics
    .filter((m) => m.value !== 0 && m.namespace === input.namespace && m.name === input.metricName && sameDimensions(m.dimensions, input.dimensions))
    .map((m) => ({ ...m, input: input.id })));
}
