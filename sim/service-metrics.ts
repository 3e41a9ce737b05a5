/**
 * The metrics AWS publishes itself about what the simulator runs, which the failure alarm watches:
 * Step Functions' `AWS/States` execution counts (`ExecutionsStarted`, `ExecutionsSucceeded`,
 * `ExecutionsFailed`, `ExecutionsAborted`, `ExecutionsTimedOut`, dimension `StateMachineArn`; Step
 * Functions Developer Guide, "Monitoring Step Functions metrics using Amazon CloudWatch") and
 * Lambda's `AWS/Lambda` `Invocations` and `Errors` of the starter (dimension `FunctionName`; Lambda
 * Developer Guide, "Types of metrics for Lambda functions"). Also the inputs of a metric-math alarm
 * (the failure alarm sums several), so a test can ask whether any of them has a datapoint.
 */
import { sameDimensions } from './alarms';
import type { MetricValue } from './log-capture';
import type { Simulation } from './simulation';

const EXECUTION_METRIC: Record<string, string> = {
  SUCCEEDED: 'ExecutionsSucceeded',
  FAILED: 'ExecutionsFailed',
  ABORTED: 'ExecutionsAborted',
  TIMED_OUT: 'ExecutionsTimedOut',
};

/** One value per event: an execution started or ended, a starter invocation (and its error). */
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
  for (const run of sim.starterRuns) {
    // A function's FunctionName is its Ref, which the simulator resolves to its logical id (template.ts).
    const dimensions = { FunctionName: sim.functionsByArn.get(run.functionArn)?.logicalId ?? run.functionArn };
    add(run.at, 'AWS/Lambda', 'Invocations', dimensions);
    add(run.at, 'AWS/Lambda', 'Errors', dimensions, run.error ? 1 : 0);
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
  const alarms = new Map<string, MathAlarm>();
  for (const [logicalId, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::CloudWatch::Alarm' || !Array.isArray(r.Properties?.Metrics)) continue;
    const metrics = resolve(r.Properties.Metrics) as Array<Record<string, any>>;
    alarms.set(logicalId, {
      expression: metrics.find((m) => m.Expression)?.Expression ?? '',
      inputs: metrics.filter((m) => m.MetricStat).map((m) => ({
        id: m.Id,
        namespace: m.MetricStat.Metric.Namespace,
        metricName: m.MetricStat.Metric.MetricName,
        dimensions: Object.fromEntries((m.MetricStat.Metric.Dimensions ?? [])
          .map((d: { Name: string; Value: unknown }) => [d.Name, String(d.Value)])),
        stat: m.MetricStat.Stat,
        periodSeconds: Number(m.MetricStat.Period),
      })),
    });
  }
  return alarms;
}

/** The values of `metrics` that an alarm input reads (same namespace, name and exact dimensions), non-zero ones only. */
export function nonZeroDatapoints(inputs: readonly MathAlarmInput[], metrics: readonly MetricValue[]): Array<MetricValue & { input: string }> {
  return inputs.flatMap((input) => metrics
    .filter((m) => m.value !== 0 && m.namespace === input.namespace && m.name === input.metricName && sameDimensions(m.dimensions, input.dimensions))
    .map((m) => ({ ...m, input: input.id })));
}
