import { ENV, requireEnv } from './config.lambda-shared';
import { InvalidInput, SnapshotFailed, SnapshotNotReady, SnapshotTimeout } from './errors.lambda-shared';
import { parsePlan } from './run-plan.lambda-shared';
import { findSnapshot, IN_PROGRESS_STATUSES } from './snapshots.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';

/**
 * One status check. `available` returns; `creating`/`copying` throws SnapshotNotReady, which the
 * state machine retries every `waitInterval` (one billed transition per check); past the deadline
 * it throws SnapshotTimeout; any other status, or a vanished snapshot, throws SnapshotFailed.
 */
export async function handler(event: RunPlan): Promise<RunPlan> {
  const plan = parsePlan(event, requireEnv(ENV.SNAPSHOT_PREFIX));
  const snapshotIdentifier = plan.awaitingSnapshotIdentifier;
  const deadline = Date.parse(plan.deadline ?? '');
  if (!snapshotIdentifier || Number.isNaN(deadline)) {
    throw new InvalidInput('The run plan has no snapshot to wait for (awaitingSnapshotIdentifier and deadline)');
  }

  const snapshot = await findSnapshot(snapshotIdentifier);
  if (!snapshot) {
    throw new SnapshotFailed(`Snapshot '${snapshotIdentifier}' no longer exists`);
  }
  if (snapshot.Status === 'available') {
    return { ...plan, snapshotArn: snapshot.DBClusterSnapshotArn };
  }
  if (!IN_PROGRESS_STATUSES.includes(snapshot.Status ?? '')) {
    throw new SnapshotFailed(`Snapshot '${snapshotIdentifier}' is '${snapshot.Status}'`);
  }
  if (Date.now() >= deadline) {
    throw new SnapshotTimeout(`Snapshot '${snapshotIdentifier}' is still '${snapshot.Status}' at its deadline ${plan.deadline}`);
  }
  throw new SnapshotNotReady(`Snapshot '${snapshotIdentifier}' is '${snapshot.Status}' (${snapshot.PercentProgress ?? 0}%)`);
}
