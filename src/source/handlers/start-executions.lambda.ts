import { DescribeAccountAttributesCommand, DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { fleetPacing } from './pacing.lambda-shared';
import { clusterSelection } from './selection.lambda-shared';
import { tagValue } from './tags.lambda-shared';
import { rds, sfn } from '../../shared/clients.lambda-shared';
import { integerEnv, requireEnv } from '../../shared/config.lambda-shared';
import { ENV, TRANSIENT_AWS_ERRORS } from '../../shared/constants';
import { InvalidInput, isAwsError, SnapshotQuotaExceeded, StartExecutionsFailed } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { executionName, isValidIdentifier, runIdFromTime } from '../../shared/naming.lambda-shared';
import { preview, rejectUnknownKeys, requireObject } from '../../shared/validate.lambda-shared';

/** What EventBridge Scheduler sends: the scheduled time of this firing. Empty for a manual run. */
export interface StartEvent {
  readonly scheduledTime?: string;
}

export interface StartResult {
  readonly runId: string;
  /** Executions started per minute, and how many status checks share one RDS call. */
  readonly pacing: { clustersPerMinute: number; pollStride: number };
  readonly started: string[];
  readonly alreadyStarted: string[];
  readonly failed: string[];
}

/** StartExecution calls in flight at once; Step Functions allows hundreds per second. */
const START_CONCURRENCY = 10;
/** At its peak a run holds a temporary snapshot and its copy per cluster. */
const SNAPSHOTS_PER_CLUSTER = 2;

/**
 * Starts one execution per cluster. Execution names are derived from the cluster and the scheduled
 * minute, so a schedule that fires twice, or a retried invocation, starts nothing twice.
 */
export async function handler(event: StartEvent = {}): Promise<StartResult> {
  const runId = parseRunId(event);
  const stateMachineArn = requireEnv(ENV.STATE_MACHINE_ARN);
  const clusters = await resolveClusters();
  await assertQuotaHeadroom(clusters.length);
  const pacing = fleetPacing(
    clusters.length,
    integerEnv(ENV.RDS_REQUESTS_PER_SECOND),
    integerEnv(ENV.WAIT_INTERVAL_SECONDS),
  );

  const result: StartResult = { runId, pacing, started: [], alreadyStarted: [], failed: [] };
  await forEachLimited(clusters.map((c, i) => [c, i] as const), START_CONCURRENCY, async ([clusterIdentifier, index]) => {
    const name = executionName(clusterIdentifier, runId);
    const startDelaySeconds = Math.floor(index / pacing.clustersPerMinute) * 60;
    try {
      await sfn.send(new StartExecutionCommand({
        stateMachineArn,
        name,
        input: JSON.stringify({
          clusterIdentifier,
          runId,
          ...(startDelaySeconds > 0 ? { startDelaySeconds } : {}),
          ...(pacing.pollStride > 1 ? { pollStride: pacing.pollStride } : {}),
        }),
      }));
      result.started.push(clusterIdentifier);
    } catch (error) {
      if (isAwsError(error, 'ExecutionAlreadyExists')) {
        result.alreadyStarted.push(clusterIdentifier);
      } else {
        log('error', 'Could not start execution', { clusterIdentifier, name, error: String(error) });
        result.failed.push(clusterIdentifier);
      }
    }
  });

  log('info', 'Started executions', {
    runId,
    pacing,
    started: result.started.length,
    alreadyStarted: result.alreadyStarted,
    failed: result.failed,
  });
  if (result.failed.length > 0) {
    throw new StartExecutionsFailed(`Could not start executions for ${result.failed.length} of ${clusters.length} clusters: ${result.failed.join(', ')}`);
  }
  return result;
}

function parseRunId(event: StartEvent): string {
  const obj = requireObject(event ?? {}, 'The starter event');
  rejectUnknownKeys(obj, ['scheduledTime'], 'The starter event');
  if (obj.scheduledTime === undefined) return runIdFromTime(new Date());
  const time = new Date(String(obj.scheduledTime));
  if (typeof obj.scheduledTime !== 'string' || Number.isNaN(time.getTime())) {
    throw new InvalidInput(`scheduledTime must be an ISO-8601 time, got ${preview(obj.scheduledTime)}`);
  }
  return runIdFromTime(time);
}

/**
 * Fails the whole run before anything is created when the Region's manual cluster snapshot quota
 * cannot hold this run's snapshots: at its peak a run holds two per cluster.
 */
async function assertQuotaHeadroom(clusters: number): Promise<void> {
  if (clusters === 0) return;
  const out = await retryTransient(() => rds.send(new DescribeAccountAttributesCommand({})));
  const quota = out?.AccountQuotas?.find((q) => q.AccountQuotaName === 'ManualClusterSnapshots');
  if (quota?.Max === undefined || quota.Used === undefined) return;
  const headroom = quota.Max - quota.Used;
  const needed = clusters * SNAPSHOTS_PER_CLUSTER;
  if (headroom < needed) {
    throw new SnapshotQuotaExceeded(
      `The manual DB cluster snapshot quota has room for ${headroom} more (${quota.Used} of ${quota.Max} used); this run of ${clusters} clusters needs up to ${needed}. Nothing was started. Raise the quota or delete old manual snapshots`,
    );
  }
}

/** The explicit ids, plus every cluster carrying the tag (paged), without duplicates, sorted. */
export async function resolveClusters(): Promise<string[]> {
  const selection = clusterSelection();
  const clusters = new Set(selection.clusterIdentifiers);
  if (selection.tag) {
    let marker: string | undefined;
    do {
      const page = await retryTransient(() => rds.send(new DescribeDBClustersCommand({ MaxRecords: 100, Marker: marker })));
      for (const cluster of page.DBClusters ?? []) {
        const id = cluster.DBClusterIdentifier;
        if (id && isValidIdentifier(id) && isRdsEngine(cluster.Engine) && tagValue(cluster.TagList, selection.tag.key) === selection.tag.value) {
          clusters.add(id.toLowerCase());
        }
      }
      marker = page.Marker;
    } while (marker);
  }
  return [...clusters].sort();
}

/**
 * DescribeDBClusters also lists Neptune and DocumentDB clusters; only Aurora and RDS Multi-AZ DB
 * clusters are snapshotted here.
 */
function isRdsEngine(engine: string | undefined): boolean {
  return engine === undefined || /^(aurora|mysql|postgres)/.test(engine);
}

/**
 * The starter has no state machine around it to retry a throttled call, and one failed listing
 * would fail the whole run: retry transient errors with full-jitter backoff, about 30 s at most.
 */
async function retryTransient<T>(call: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isAwsError(error, ...TRANSIENT_AWS_ERRORS)) throw error;
      const ceiling = Math.min(16_000, 500 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}
