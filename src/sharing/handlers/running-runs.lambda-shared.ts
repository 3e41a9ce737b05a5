import { ExecutionStatus, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { retryTransient } from './retry.lambda-shared';
import { sfn } from '../../shared/clients.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { executionName, isValidRunId } from '../../shared/naming.lambda-shared';

/** ListExecutions returns at most 1,000 executions per page (Step Functions API Reference, ListExecutions `maxResults`). */
const PAGE_SIZE = 1000;
/** A run id is the run's UTC minute, `yyyymmddhhmm` (naming.lambda-shared.ts); a DB instance's name ends in `-db`. */
const RUN_SUFFIX = /^(.+)-(\d{12})(-db)?$/;
/** The key of a DB instance's runs: a cluster and an instance may share an identifier. */
const INSTANCE_KEY = 'db:';

/** A RUNNING execution of one cluster, as its name says. */
export interface RunningRun {
  readonly runId: string;
  readonly executionName: string;
}

/** The runs in progress, by the cluster part of their execution names (`executionName`). */
export type RunningRuns = ReadonlyMap<string, readonly RunningRun[]>;

/**
 * The state machine's RUNNING executions whose names this construct derives (`<cluster>-<runId>`),
 * read once per starter invocation (ListExecutions, `statusFilter: RUNNING`, paged). An execution
 * started by hand under another name is not recognised here: Prepare still finds its snapshot in
 * progress. When the listing fails, the run proceeds without it (logged), for the same reason.
 */
export async function runningRuns(stateMachineArn: string): Promise<RunningRuns> {
  const runs = new Map<string, RunningRun[]>();
  try {
    let nextToken: string | undefined;
    do {
      const page = await retryTransient(() => sfn.send(new ListExecutionsCommand({
        stateMachineArn, statusFilter: ExecutionStatus.RUNNING, maxResults: PAGE_SIZE, nextToken,
      })));
      for (const execution of page?.executions ?? []) {
        const match = RUN_SUFFIX.exec(execution.name ?? '');
        if (!match || !isValidRunId(match[2])) continue;
        const key = match[3] ? `${INSTANCE_KEY}${match[1]}` : match[1];
        runs.set(key, [...(runs.get(key) ?? []), { runId: match[2], executionName: execution.name! }]);
      }
      nextToken = page?.nextToken;
    } while (nextToken);
  } catch (error) {
    log('warn', 'Could not list the running executions; starting every cluster, Prepare skips a run that overlaps', { error: String(error) });
    return new Map();
  }
  return runs;
}

/** An earlier (or later) run of the database (a cluster without `kind`) still running, other than `runId` itself. */
export function otherRunInProgress(
  runs: RunningRuns, clusterIdentifier: string, runId: string, kind: 'cluster' | 'instance' = 'cluster',
): RunningRun | undefined {
  const name = executionName(clusterIdentifier, runId, kind);
  const match = RUN_SUFFIX.exec(name)!;
  return runs.get(kind === 'instance' ? `${INSTANCE_KEY}${match[1]}` : match[1])?.find((run) => run.runId !== runId);
}
