import { freshnessOwnerDimension } from './freshness.lambda-shared';
import { ENV, RUN_SKIPPED_METRIC, SILENT_LOGS_VARIABLE } from '../../shared/constants';
import { log } from '../../shared/log.lambda-shared';

/** One cluster's run that was not started, or stopped in Prepare, because an earlier one is in progress. */
export interface SkippedRun {
  readonly clusterIdentifier: string;
  /** The run that was skipped. */
  readonly runId: string;
  /** Which handler saw the overlap: the starter (a running execution) or Prepare (a snapshot in progress). */
  readonly detectedBy: 'Starter' | 'Prepare';
  /** What is still in progress: the execution, or the snapshot and its run. */
  readonly inProgress: string;
}

/**
 * Logs a skipped run and counts it: one embedded-metric-format line (CloudWatch User Guide,
 * "Specification: Embedded metric format") with `RunSkipped` 1 under the owner dimension, and the
 * cluster, run and cause as plain properties for Logs Insights. Written straight to stdout with a
 * newline, as the handlers' other metric lines are.
 */
export function reportRunSkipped(skip: SkippedRun, now = Date.now()): void {
  log('info', 'Skipped a run: an earlier run of the cluster is still in progress', { ...skip });
  const ownerId = process.env[ENV.OWNER_ID];
  if (!ownerId || process.env[SILENT_LOGS_VARIABLE] === 'true') return;
  const { namespace, runSkipped, ownerDimension } = RUN_SKIPPED_METRIC;
  process.stdout.write(JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[ownerDimension]], Metrics: [{ Name: runSkipped, Unit: 'Count' }] }],
    },
    [ownerDimension]: freshnessOwnerDimension(ownerId),
    [runSkipped]: 1,
    ...skip,
  }) + '\n');
}
