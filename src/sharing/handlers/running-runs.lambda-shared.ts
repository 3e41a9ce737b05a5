import { ExecutionStatus, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { retryTransient } from './retry.lambda-shared';
import { sfn } from '../../shared/clients.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { executionName, isValidRunId } from '../../shared/naming.lambda-shared';

/** ListExecutions returns at most 1,000 executions per page (Step Functions API Reference, ListExecutions `maxResults`). */
const PAGE_SIZE = 1000;
/** A run id is the run's UTC minute, `yyyymmddhhmm` (naming.lambda-shared.ts). */
const RUN_SUFFIX = /^(.+)-(\d{12})$/;

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
        runs.set(match[1], [...(runs.get(match[1]) ?? []), { runId: match[2], executionName: execution.name! }]);
      }
      nextToken = page?.nextToken;
    } while (nextToken);
  } catch (error) {
    log('warn', 'Could not list the running executions; starting every cluster, Prepare skips a run that overlaps', { error: String(error) });
    return new Map();
  }
  return runs;
}

/** An earlier (or later) run of `clusterIdentifier` still running, other than `runId` itself. */
export function otherRunInProgress(runs: RunningRuns, clusterIdentifier: string, runId: string): RunningRun | undefined {
  const name = executionName(clusterIdentifier, runId);
  const clusterPart = name.slice(0, name.length - runId.length - 1);
  return runs.get(clusterPart)?.find((run) => run.runId !== runId);
}
