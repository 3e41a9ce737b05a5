import { DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { rds, sfn } from './clients.lambda-shared';
import { clusterSelection, ENV, integerEnv, requireEnv } from './config.lambda-shared';
import { InvalidInput, isAwsError, StartExecutionsFailed } from './errors.lambda-shared';
import { log } from './log.lambda-shared';
import { executionName, isValidIdentifier, runIdFromTime } from './naming.lambda-shared';
import { tagValue } from './tags.lambda-shared';
import { rejectUnknownKeys, requireObject } from './validate.lambda-shared';

/** What EventBridge Scheduler sends: the scheduled time of this firing. Empty for a manual run. */
export interface StartEvent {
  readonly scheduledTime?: string;
}

export interface StartResult {
  readonly runId: string;
  readonly started: string[];
  readonly alreadyStarted: string[];
  readonly failed: string[];
}

const DEFAULT_CONCURRENCY = 10;

/**
 * Starts one execution per cluster. Execution names are derived from the cluster and the scheduled
 * minute, so a schedule that fires twice, or a retried invocation, starts nothing twice.
 */
export async function handler(event: StartEvent = {}): Promise<StartResult> {
  const runId = parseRunId(event);
  const stateMachineArn = requireEnv(ENV.STATE_MACHINE_ARN);
  const concurrency = Math.max(1, integerEnv(ENV.START_CONCURRENCY, DEFAULT_CONCURRENCY));
  const clusters = await resolveClusters();

  const result: StartResult = { runId, started: [], alreadyStarted: [], failed: [] };
  await forEachLimited(clusters, concurrency, async (clusterIdentifier) => {
    const name = executionName(clusterIdentifier, runId);
    try {
      await sfn.send(new StartExecutionCommand({
        stateMachineArn,
        name,
        input: JSON.stringify({ clusterIdentifier, runId }),
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
    throw new InvalidInput(`scheduledTime must be an ISO-8601 time, got ${JSON.stringify(obj.scheduledTime)?.slice(0, 100)}`);
  }
  return runIdFromTime(time);
}

/** The explicit ids, plus every cluster carrying the tag (paged), without duplicates, sorted. */
export async function resolveClusters(): Promise<string[]> {
  const selection = clusterSelection();
  const clusters = new Set(selection.clusterIdentifiers);
  if (selection.tag) {
    let marker: string | undefined;
    do {
      const page = await rds.send(new DescribeDBClustersCommand({ MaxRecords: 100, Marker: marker }));
      for (const cluster of page.DBClusters ?? []) {
        const id = cluster.DBClusterIdentifier;
        if (id && isValidIdentifier(id) && tagValue(cluster.TagList, selection.tag.key) === selection.tag.value) {
          clusters.add(id.toLowerCase());
        }
      }
      marker = page.Marker;
    } while (marker);
  }
  return [...clusters].sort();
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
