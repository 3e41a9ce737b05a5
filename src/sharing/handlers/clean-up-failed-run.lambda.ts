import { cleanUpRegionFailure, RegionFailureEvent } from './region-failure.lambda-shared';
import { parsePlan } from './run-plan.lambda-shared';
import { DeleteOutcome, deleteOwnedSnapshot, findSnapshot, isShared, READS_ITS_SOURCE_STATUSES } from './snapshots.lambda-shared';
import type { CaughtError, RunPlan } from './workflow-state.lambda-shared';
import { requireEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { isDatabaseKind } from '../../shared/database-kind.lambda-shared';
import type { SnapshotFailedDetail } from '../../shared/events';
import { log } from '../../shared/log.lambda-shared';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';

export interface FailedRunEvent extends Partial<RunPlan> {
  readonly error: CaughtError;
  /** A failed Prepare: the execution's input as it came, never read as a plan (see the workflow's PrepareFailed). */
  readonly executionInput?: unknown;
  /** A Region's failed part of a run (`regions`): that Region, with the home run result in `run`. */
  readonly region?: string;
}

export interface FailedRunResult {
  readonly error: CaughtError;
  readonly cleanedUp: Record<string, DeleteOutcome>;
  /** The detail of the `Cluster Snapshot Failed` event the workflow puts before it fails. */
  readonly failedEvent: SnapshotFailedDetail;
}

/** A cause is at most this long in the event (Lambda's error causes can be far longer). */
const MAX_EVENT_CAUSE_LENGTH = 4000;
/** Strings copied from an input not validated as a plan are cut to this. */
const MAX_UNCHECKED_LENGTH = 100;

/**
 * Deletes what this failed run created, and nothing else: never an older snapshot, and never this
 * run's shared snapshot once it was shared. The copy goes first (deleting it cancels a copy in
 * progress). Its source, the temporary snapshot, goes only once the copy is no longer reading it:
 * while the copy is still `copying` or `deleting` after that, the temporary is kept
 * (`waits-for-copy`) for the next run's Prepare, which deletes it once its run has nothing in
 * progress. Returns the original error for the Fail state.
 */
async function run(event: FailedRunEvent): Promise<FailedRunResult> {
  const error: CaughtError = {
    Error: typeof event?.error?.Error === 'string' ? event.error.Error : 'UnknownError',
    Cause: typeof event?.error?.Cause === 'string' ? event.error.Cause : undefined,
  };
  if (event?.region !== undefined) {
    const cause = error.Cause === undefined ? {} : { Cause: error.Cause.slice(0, MAX_EVENT_CAUSE_LENGTH) };
    return cleanUpRegionFailure(event as unknown as RegionFailureEvent, { Error: error.Error, ...cause });
  }
  const cleanedUp: Record<string, DeleteOutcome> = {};
  if (event?.sharedSnapshotIdentifier === undefined) {
    // Failed before the run created anything, or after it succeeded (a run result names no plan).
    return { error, cleanedUp, failedEvent: failedEventOf(event, error) };
  }

  const ownerId = requireEnv(ENV.OWNER_ID);
  const { error: _, ...planFields } = event;
  const plan = parsePlan(planFields, snapshotNaming());
  const { clusterIdentifier, runId, databaseKind: kind } = plan;

  // A second execution of the same run may have shared this snapshot already: ask RDS, not the plan alone.
  if (!plan.sharedWith && !(await isShared(plan.sharedSnapshotIdentifier, kind))) {
    cleanedUp[plan.sharedSnapshotIdentifier] = await deleteOwnedSnapshot(plan.sharedSnapshotIdentifier, {
      ownerId, clusterIdentifier, role: 'shared', runId,
    }, kind);
  }
  if (plan.temporarySnapshotIdentifier) {
    cleanedUp[plan.temporarySnapshotIdentifier] = await copyMayReadItsSource(plan.sharedSnapshotIdentifier, kind)
      ? 'waits-for-copy'
      : await deleteOwnedSnapshot(plan.temporarySnapshotIdentifier, { ownerId, clusterIdentifier, role: 'temporary', runId }, kind);
  }
  log('warn', 'Run failed; cleaned up its own snapshots', { clusterIdentifier, runId, error: error.Error, cleanedUp });
  return { error, cleanedUp, failedEvent: failedEventOf({ clusterIdentifier, runId, databaseKind: kind ?? 'cluster' }, error) };
}

/**
 * The `Cluster Snapshot Failed` detail. The cluster and run come from the plan, the run result, or
 * (after a failed Prepare) the execution's input, which is unchecked: only strings, cut short.
 */
function failedEventOf(event: Partial<FailedRunEvent> | undefined, error: CaughtError): SnapshotFailedDetail {
  const input = typeof event?.executionInput === 'object' && event.executionInput !== null
    ? event.executionInput as Record<string, unknown>
    : {};
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value.slice(0, MAX_UNCHECKED_LENGTH) : undefined);
  const runId = text(event?.runId) ?? text(input.runId);
  const instance = text(input.instanceIdentifier);
  const databaseIdentifier = text(event?.clusterIdentifier) ?? text(input.clusterIdentifier) ?? instance;
  // The kind, when the plan or the input tells it: an input naming an instance is one.
  const databaseKind = isDatabaseKind(event?.databaseKind) ? event.databaseKind
    : instance ? 'instance' : text(input.clusterIdentifier) ? 'cluster' : undefined;
  return {
    clusterIdentifier: databaseIdentifier ?? 'unknown',
    ...(databaseKind ? { databaseKind } : {}),
    ...(databaseKind && databaseIdentifier ? { databaseIdentifier } : {}),
    ...(runId ? { runId } : {}),
    error: error.Error,
    ...(error.Cause !== undefined ? { cause: error.Cause.slice(0, MAX_EVENT_CAUSE_LENGTH) } : {}),
  };
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('cleanUpFailedRun', run);

/** True while the copy (the run's shared snapshot, read again now) exists in a state that may read its source. */
async function copyMayReadItsSource(copyIdentifier: string, kind: RunPlan['databaseKind']): Promise<boolean> {
  const copy = await findSnapshot(copyIdentifier, kind);
  return copy !== undefined && READS_ITS_SOURCE_STATUSES.includes(copy.Status ?? '');
}
