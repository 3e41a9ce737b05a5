import { DBClusterSnapshot } from '@aws-sdk/client-rds';
import { ENV, integerEnv, requireEnv } from './config.lambda-shared';
import { InvalidInput } from './errors.lambda-shared';
import { log } from './log.lambda-shared';
import { parsePlan } from './run-plan.lambda-shared';
import { deleteOwnedSnapshot, listOwnedSnapshots } from './snapshots.lambda-shared';
import { ownershipOf } from './tags.lambda-shared';
import type { RunPlan, RunResult } from './workflow-state.lambda-shared';

/**
 * Runs only after the new snapshot is shared. Deletes this run's temporary snapshot, then this
 * construct's older shared snapshots of the cluster beyond `retainSnapshots`, newest kept first.
 */
export async function handler(event: RunPlan): Promise<RunResult> {
  const ownerId = requireEnv(ENV.OWNER_ID);
  const retain = integerEnv(ENV.RETAIN_SNAPSHOTS);
  const plan = parsePlan(event, requireEnv(ENV.SNAPSHOT_PREFIX));
  if (!plan.sharedWith || plan.sharedWith.length === 0 || !plan.snapshotArn) {
    throw new InvalidInput('Clean-up runs only after the new snapshot is shared (sharedWith and snapshotArn are missing)');
  }
  const { clusterIdentifier, runId } = plan;

  if (plan.temporarySnapshotIdentifier) {
    await deleteOwnedSnapshot(plan.temporarySnapshotIdentifier, { ownerId, clusterIdentifier, role: 'temporary', runId });
  }

  const owned = await listOwnedSnapshots(ownerId, clusterIdentifier);
  for (const snapshot of selectExpiredSharedSnapshots(owned, plan.sharedSnapshotIdentifier, retain)) {
    await deleteOwnedSnapshot(snapshot.DBClusterSnapshotIdentifier!, {
      ownerId,
      clusterIdentifier,
      role: 'shared',
      runId: ownershipOf(snapshot)!.runId,
    });
  }

  log('info', 'Run complete', { clusterIdentifier, snapshotIdentifier: plan.sharedSnapshotIdentifier });
  return {
    clusterIdentifier,
    snapshotIdentifier: plan.sharedSnapshotIdentifier,
    snapshotArn: plan.snapshotArn,
    sharedWith: plan.sharedWith,
  };
}

/**
 * The shared snapshots to delete: `available` ones of this owner and cluster beyond the newest
 * `retain`, where the current run's snapshot always counts as the newest. Snapshots still in
 * progress, and anything without all ownership tags, are never selected.
 */
export function selectExpiredSharedSnapshots(
  owned: DBClusterSnapshot[],
  currentSnapshotIdentifier: string,
  retain: number,
): DBClusterSnapshot[] {
  const older = owned
    .filter((s) => ownershipOf(s)?.role === 'shared')
    .filter((s) => s.Status === 'available')
    .filter((s) => s.DBClusterSnapshotIdentifier !== currentSnapshotIdentifier)
    .sort(newestFirst);
  return older.slice(Math.max(retain - 1, 0));
}

function newestFirst(a: DBClusterSnapshot, b: DBClusterSnapshot): number {
  const byTime = (b.SnapshotCreateTime?.getTime() ?? 0) - (a.SnapshotCreateTime?.getTime() ?? 0);
  if (byTime !== 0) return byTime;
  return ownershipOf(b)!.runId.localeCompare(ownershipOf(a)!.runId);
}
