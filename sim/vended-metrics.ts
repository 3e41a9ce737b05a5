/**
 * The metrics AWS publishes itself for what the simulator runs, so alarms on them can be evaluated
 * as the handlers' own (embedded-metric-format) metrics are:
 * - Step Functions, namespace `AWS/States`, dimension `StateMachineArn`: `ExecutionsSucceeded`,
 *   `ExecutionsFailed`, `ExecutionsTimedOut`, `ExecutionsAborted`, each a count of executions that
 *   ended so (Step Functions Developer Guide, "Monitoring Step Functions metrics using Amazon
 *   CloudWatch", execution metrics), here one value of 1 at each execution's end.
 * - Lambda, namespace `AWS/Lambda`, dimension `FunctionName`: `Errors`, "the number of invocations
 *   that result in a function error" (Lambda Developer Guide, "Types of metrics for Lambda
 *   functions"), here one value of 1 per failed invocation. Lambda also publishes 0 for a successful
 *   one; leaving those out changes no Sum, and no alarm here reads another statistic of it.
 * The function name is what the template's `Ref` of the function resolves to in the simulator (its
 * logical id, sim/template.ts), as the alarms' dimensions are resolved.
 */
import type { MetricValue } from './log-capture';
import type { Execution } from './step-functions';

/** One invocation that ended in a function error (the handler threw). */
export interface FunctionError {
  readonly at: number;
  readonly functionName: string;
}

const EXECUTION_METRICS: Record<string, string> = {
  SUCCEEDED: 'ExecutionsSucceeded',
  FAILED: 'ExecutionsFailed',
  TIMED_OUT: 'ExecutionsTimedOut',
  ABORTED: 'ExecutionsAborted',
};

/** The `AWS/States` and `AWS/Lambda` metric values of one account's executions and function errors. */
export function vendedMetrics(account: string, executions: readonly Execution[], functionErrors: readonly FunctionError[]): MetricValue[] {
  const ended = executions.filter((e) => e.stoppedAt !== undefined && EXECUTION_METRICS[e.status]).map((e) => ({
    at: e.stoppedAt!,
    account,
    namespace: 'AWS/States',
    name: EXECUTION_METRICS[e.status],
    value: 1,
    unit: 'Count',
    dimensions: { StateMachineArn: e.stateMachineArn },
  }));
  const errors = functionErrors.map((e) => ({
    at: e.at,
    account,
    namespace: 'AWS/Lambda',
    name: 'Errors',
    value: 1,
    unit: 'Count',
    dimensions: { FunctionName: e.functionName },
  }));
  return [...ended, ...errors];
}
