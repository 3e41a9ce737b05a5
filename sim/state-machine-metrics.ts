/**
 * The metrics AWS publishes for the simulated executions and functions, as CloudWatch holds them:
 * `AWS/States` ExecutionsFailed, ExecutionsTimedOut and ExecutionsAborted (one count per execution
 * that ended so, at its end, dimension StateMachineArn: Step Functions Developer Guide, "Monitoring
 * Step Functions metrics"), for alarms such as the failure alarm (sim/alarms.ts).
 */
import type { MetricValue } from './log-capture';
import type { Execution } from './step-functions';

const METRIC_OF_STATUS: Record<string, string> = {
  FAILED: 'ExecutionsFailed',
  TIMED_OUT: 'ExecutionsTimedOut',
  ABORTED: 'ExecutionsAborted',
};

export function executionMetrics(executions: readonly Execution[], account: string): MetricValue[] {
  return executions.filter((e) => METRIC_OF_STATUS[e.status] && e.stoppedAt !== undefined).map((e) => ({
    at: e.stoppedAt!,
    account,
    namespace: 'AWS/States',
    name: METRIC_OF_STATUS[e.status],
    value: 1,
    unit: 'Count',
    dimensions: { StateMachineArn: e.stateMachineArn },
  }));
}
