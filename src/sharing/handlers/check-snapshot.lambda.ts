import { shouldPoll } from './pacing.lambda-shared';
import { deadlineFromNow, parsePlan } from './run-plan.lambda-shared';
import { findSnapshot, IN_PROGRESS_STATUSES } from './snapshots.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';
import { inRegion } from '../../shared/clients.lambda-shared';
import { integerEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { ENV, SNAPSHOT_VISIBILITY_GRACE_SECONDS, TRANSIENT_AWS_ERRORS } from '../../shared/constants';
import { InvalidInput, isAwsError, SnapshotFailed, SnapshotNotReady, SnapshotTimeout } from '../../shared/errors.lambda-shared';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';

/**
 * One status check. `available` returns; `creating`/`copying` throws SnapshotNotReady, which the
 * state machine retries every `waitInterval` (one billed transition per check); past the deadline
 * it throws SnapshotTimeout; any other status, or a vanished snapshot, throws SnapshotFailed (a
 * snapshot not found in its first minutes is not visible yet: SnapshotNotReady).
 * In a large fleet only every `pollStride`-th check calls RDS (see pacing.lambda-shared.ts).
 * A plan in another Region (`regions`) checks its copy there.
 */
async function run(event: RunPlan): Promise<RunPlan> {
  const plan = parsePlan(event, snapshotNaming());
  return inRegion(plan.region, () => check(plan));
}

async function check(plan: RunPlan): Promise<RunPlan> {
  const snapshotIdentifier = plan.awaitingSnapshotIdentifier;
  const deadline = Date.parse(plan.deadline ?? '');
  if (!snapshotIdentifier || Number.isNaN(deadline)) {
    throw new InvalidInput('The run plan has no snapshot to wait for (awaitingSnapshotIdentifier and deadline)');
  }

  if (!shouldPoll(plan, Date.now(), integerEnv(ENV.WAIT_INTERVAL_SECONDS), integerEnv(ENV.SNAPSHOT_TIMEOUT_SECONDS))) {
    throw new SnapshotNotReady(`Snapshot '${snapshotIdentifier}' not polled on this check (fleet pacing: RDS is asked every ${plan.pollStride} checks)`);
  }
  const snapshot = await findSnapshotOrRetry(snapshotIdentifier, plan.deadline!, plan.databaseKind);
  if (!snapshot) {
    throw notFound(snapshotIdentifier, deadline, integerEnv(ENV.SNAPSHOT_TIMEOUT_SECONDS));
  }
  if (snapshot.Status === 'available') {
    // The temporary snapshot is ready: the copy phase starts now, waiting for a copy slot included.
    const copyPhase = snapshotIdentifier === plan.temporarySnapshotIdentifier ? { copyDeadline: deadlineFromNow() } : {};
    return { ...plan, snapshotArn: snapshot.DBClusterSnapshotArn, ...copyPhase };
  }
  if (!IN_PROGRESS_STATUSES.includes(snapshot.Status ?? '')) {
    throw new SnapshotFailed(`Snapshot '${snapshotIdentifier}' is '${snapshot.Status}'`);
  }
  if (Date.now() >= deadline) {
    throw new SnapshotTimeout(`Snapshot '${snapshotIdentifier}' is still '${snapshot.Status}' at its deadline ${plan.deadline}`);
  }
  throw new SnapshotNotReady(`Snapshot '${snapshotIdentifier}' is '${snapshot.Status}' (${snapshot.PercentProgress ?? 0}%)`);
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('checkSnapshot', run);

/**
 * RDS documents no read-after-write consistency for a snapshot just created or copied: not found
 * within SNAPSHOT_VISIBILITY_GRACE_SECONDS of the call is "not visible yet"; later, it is gone. The
 * call time is the deadline less the snapshot timeout (CreateSnapshot and CopySnapshot set the
 * deadline to call time + snapshotTimeout).
 */
function notFound(snapshotIdentifier: string, deadline: number, timeoutSeconds: number): Error {
  const calledAt = deadline - timeoutSeconds * 1000;
  if (Date.now() < calledAt + SNAPSHOT_VISIBILITY_GRACE_SECONDS * 1000) {
    // A snapshotTimeout shorter than the grace still ends at its deadline.
    if (Date.now() >= deadline) return new SnapshotTimeout(`Snapshot '${snapshotIdentifier}' was not visible by its deadline ${new Date(deadline).toISOString()}`);
    return new SnapshotNotReady(`Snapshot '${snapshotIdentifier}' is not visible yet (RDS may take a while to list a new snapshot); checking again`);
  }
  return new SnapshotFailed(`Snapshot '${snapshotIdentifier}' no longer exists`);
}

/**
 * A throttled or failed status call is just a check that learned nothing: the next check comes
 * one `waitInterval` later; past the deadline it is a timeout. (A Retry's attempts add up over a whole state
 * visit, so counting these against the transient-error retrier would exhaust it in a long wait.)
 */
async function findSnapshotOrRetry(snapshotIdentifier: string, deadline: string, kind: RunPlan['databaseKind']) {
  try {
    return await findSnapshot(snapshotIdentifier, kind);
  } catch (error) {
    if (isAwsError(error, ...TRANSIENT_AWS_ERRORS) && Date.now() >= Date.parse(deadline)) {
      throw new SnapshotTimeout(`Snapshot '${snapshotIdentifier}' was not seen available by its deadline ${deadline} (last check: ${(error as Error).name})`);
    }
    if (isAwsError(error, ...TRANSIENT_AWS_ERRORS)) {
      throw new SnapshotNotReady(`Status of '${snapshotIdentifier}' unknown this time (${(error as Error).name}); checking again`);
    }
    throw error;
  }
}
