import { DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { resolveInstances } from './instance-discovery.lambda-shared';
import { assertNoOwnAccountTarget } from './own-account.lambda-shared';
import { fleetPacing } from './pacing.lambda-shared';
import { assertQuotaHeadroom } from './quota.lambda-shared';
import { forEachLimited, retryTransient } from './retry.lambda-shared';
import { reportRunSkipped } from './run-skipped.lambda-shared';
import { otherRunInProgress, runningRuns } from './running-runs.lambda-shared';
import { clusterSelection } from './selection.lambda-shared';
import { tagValue } from './tags.lambda-shared';
import { rds, sfn } from '../../shared/clients.lambda-shared';
import { integerEnv, requireEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';
import { isAwsError, StartExecutionsFailed } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';
import { executionName, isValidIdentifier } from '../../shared/naming.lambda-shared';
import { scheduledRunId } from '../../shared/validate.lambda-shared';

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
  /** Clusters not started because an earlier run of theirs is still running (counted as `RunSkipped`); absent when none. */
  readonly skipped?: string[];
}

/** StartExecution calls in flight at once; Step Functions allows hundreds per second. */
const START_CONCURRENCY = 10;
/**
 * Attempts per StartExecution when it is throttled (or a 5xx), on top of the SDK's own: full-jitter
 * backoff of at most 1 + 2 + 4 + 8 s before the cluster counts as failed.
 */
const START_ATTEMPTS = 5;
/**
 * An execution that StartExecution reports as started this long before this invocation began is
 * the one an earlier attempt started (Step Functions answers a repeated start with the same name and
 * input, while it runs, with the original execution); the margin absorbs clock skew.
 */
const EARLIER_START_MARGIN_MS = 1000;

/**
 * Starts one execution per cluster. Execution names are derived from the cluster and the scheduled
 * minute, so a schedule that fires twice, or an invocation Lambda retries after a failure (Scheduler
 * invokes asynchronously), starts only what is missing: Step Functions refuses a second execution of
 * a name (ExecutionAlreadyExists), or answers with the running one when the input is the same. A
 * cluster whose earlier run is still running is skipped.
 */
async function run(event: StartEvent = {}): Promise<StartResult> {
  const invokedAt = Date.now();
  const runId = scheduledRunId(event, 'The starter event');
  const stateMachineArn = requireEnv(ENV.STATE_MACHINE_ARN);
  const ownerId = requireEnv(ENV.OWNER_ID);
  assertNoOwnAccountTarget(stateMachineArn);
  const clusters = await resolveClusters();
  const instances = await resolveInstances();
  await assertQuotaHeadroom(clusters.length, ownerId, runId);
  await assertQuotaHeadroom(instances.length, ownerId, runId, 'instance');
  const databases: Database[] = [...clusters.map((id) => ({ kind: 'cluster' as const, id })), ...instances.map((id) => ({ kind: 'instance' as const, id }))];
  const pacing = fleetPacing(
    databases.length,
    integerEnv(ENV.RDS_REQUESTS_PER_SECOND),
    integerEnv(ENV.WAIT_INTERVAL_SECONDS),
  );

  const { toStart, skipped } = await withoutRunsInProgress(databases, stateMachineArn, runId);
  const result: StartResult = { runId, pacing, started: [], alreadyStarted: [], failed: [], ...(skipped.length > 0 ? { skipped } : {}) };
  await forEachLimited(toStart.map((d, i) => [d, i] as const), START_CONCURRENCY, async ([database, index]) => {
    const name = executionName(database.id, runId, database.kind);
    // Results name a DB instance `instance:<id>`: a cluster and an instance may share an identifier.
    const clusterIdentifier = labelOf(database);
    const startDelaySeconds = Math.floor(index / pacing.clustersPerMinute) * 60;
    try {
      const out = await retryTransient(() => sfn.send(new StartExecutionCommand({
        stateMachineArn,
        name,
        input: JSON.stringify({
          ...(database.kind === 'instance' ? { instanceIdentifier: database.id } : { clusterIdentifier: database.id }),
          runId,
          ...(startDelaySeconds > 0 ? { startDelaySeconds } : {}),
          ...(pacing.pollStride > 1 ? { pollStride: pacing.pollStride } : {}),
        }),
      })), START_ATTEMPTS);
      const startedEarlier = out?.startDate !== undefined && out.startDate.getTime() < invokedAt - EARLIER_START_MARGIN_MS;
      (startedEarlier ? result.alreadyStarted : result.started).push(clusterIdentifier);
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
    skipped: result.skipped ?? [],
  });
  if (result.failed.length > 0) {
    throw new StartExecutionsFailed(`Could not start executions for ${result.failed.length} of ${databases.length} databases: ${result.failed.join(', ')}`);
  }
  return result;
}

/**
 * The clusters to start: those without another run still running. A schedule that fires again while
 * a cluster's run is in progress (or a retried firing of an older run) skips that cluster, logged and
 * counted as `RunSkipped`, rather than starting an execution that Prepare would stop. The pacing
 * still counts every cluster: the runs in progress poll RDS too.
 */
async function withoutRunsInProgress(
  databases: Database[], stateMachineArn: string, runId: string,
): Promise<{ toStart: Database[]; skipped: string[] }> {
  if (databases.length === 0) return { toStart: [], skipped: [] };
  const running = await runningRuns(stateMachineArn);
  const toStart: Database[] = [];
  const skipped: string[] = [];
  for (const database of databases) {
    const other = otherRunInProgress(running, database.id, runId, database.kind);
    if (other) reportRunSkipped({ clusterIdentifier: labelOf(database), runId, detectedBy: 'Starter', inProgress: `execution ${other.executionName}` });
    if (other) skipped.push(labelOf(database));
    else toStart.push(database);
  }
  return { toStart, skipped };
}

/** One database to start a run of. */
interface Database {
  readonly kind: DatabaseKind;
  readonly id: string;
}

/** How results and logs name a database: a cluster by its id, a DB instance as `instance:<id>`. */
function labelOf(database: Database): string {
  return database.kind === 'instance' ? `instance:${database.id}` : database.id;
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('starter', run);

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
