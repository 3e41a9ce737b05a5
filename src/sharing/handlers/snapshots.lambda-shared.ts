import type { DBClusterSnapshot } from '@aws-sdk/client-rds';
import { isOwnedBy, Ownership } from './tags.lambda-shared';
import { integerEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { DatabaseKind, IN_PROGRESS_STATUSES, SnapshotView } from '../../shared/database-kind.lambda-shared';
import { isAwsError, SnapshotIdentifierConflict } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import type { SnapshotRole } from '../../shared/naming.lambda-shared';
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';

/** This account's snapshot of the kind (a cluster snapshot without one) with this identifier, or undefined. */
export function findSnapshot(snapshotIdentifier: string, kind?: DatabaseKind): Promise<SnapshotView | undefined> {
  return snapshotApi(kind).find(snapshotIdentifier);
}

export { IN_PROGRESS_STATUSES };

/**
 * A copy in these states may still read its source: deleting the source before the copy is
 * `available` "might" fail the copy (aws-facts.md, from the Aurora User Guide's copy notes).
 * `deleting` is a copy being cancelled: it counts until it is gone, since AWS does not say when a
 * cancelled copy stops reading its source (not confirmed either way).
 */
export const READS_ITS_SOURCE_STATUSES = [...IN_PROGRESS_STATUSES, 'deleting'];

/**
 * True when the snapshot is older than twice `snapshotTimeout`: no live run can still be working on
 * it (its create and copy phases each end within one timeout), so it belongs to a run that died.
 * Exactly twice counts as live, and a snapshot whose creation time RDS does not report yet as new.
 */
export function isOlderThanAnyLiveRun(snapshot: Pick<DBClusterSnapshot, 'SnapshotCreateTime'>, now: number = Date.now()): boolean {
  const created = snapshot.SnapshotCreateTime?.getTime();
  return created !== undefined && now - created > 2 * integerEnv(ENV.SNAPSHOT_TIMEOUT_SECONDS) * 1000;
}

/**
 * Every manual snapshot of the kind in the account and Region, or of one database, page by page (100
 * per page, the API's maximum).
 */
export function manualSnapshots(kind: DatabaseKind | undefined, databaseIdentifier?: string): AsyncGenerator<SnapshotView> {
  return snapshotApi(kind).listManual(databaseIdentifier);
}

/** Every manual cluster snapshot in the account and Region, or of one cluster. */
export function manualClusterSnapshots(clusterIdentifier?: string): AsyncGenerator<SnapshotView> {
  return manualSnapshots('cluster', clusterIdentifier);
}

/** Every manual snapshot of the database (a cluster without `kind`) that carries this owner's tags for it. */
export async function listOwnedSnapshots(ownerId: string, clusterIdentifier: string, kind?: DatabaseKind): Promise<SnapshotView[]> {
  const owned: SnapshotView[] = [];
  for await (const snapshot of manualSnapshots(kind, clusterIdentifier)) {
    if (isOwnedBy(snapshot, { ownerId, clusterIdentifier })) owned.push(snapshot);
  }
  return owned;
}

/**
 * `busy`: RDS will not delete it in its state (`creating`); `waits-for-copy`: a temporary snapshot
 * kept because a copy of it may still read it. Both are left for a later run's stale clean-up.
 */
export type DeleteOutcome = 'deleted' | 'absent' | 'busy' | 'not-owned' | 'waits-for-copy';

/**
 * Deletes a snapshot only after re-reading it and checking that its tags name this owner, cluster,
 * role and run. A snapshot in a state RDS will not delete (`creating`) is reported `busy` and left
 * for a later run's stale clean-up.
 */
export async function deleteOwnedSnapshot(
  snapshotIdentifier: string,
  want: { ownerId: string; clusterIdentifier: string; role: SnapshotRole; runId?: string },
  kind?: DatabaseKind,
): Promise<DeleteOutcome> {
  const api = snapshotApi(kind);
  const snapshot = await api.find(snapshotIdentifier);
  if (!snapshot) return 'absent';
  if (!isOwnedBy(snapshot, want) || snapshot.SnapshotType === 'automated') {
    log('warn', 'Refusing to delete a snapshot this construct does not own', { snapshotIdentifier });
    return 'not-owned';
  }
  try {
    await api.remove(snapshotIdentifier);
    log('info', 'Deleted snapshot', { snapshotIdentifier, role: want.role });
    return 'deleted';
  } catch (error) {
    if (isAwsError(error, api.faults.snapshotNotFound)) return 'absent';
    if (isAwsError(error, api.faults.snapshotState)) {
      log('warn', 'Snapshot cannot be deleted in its current state; a later run will remove it', { snapshotIdentifier });
      return 'busy';
    }
    throw error;
  }
}

/** A retried create finds its own snapshot: that is success. Anyone else's is a conflict. */
export async function assertOwnSnapshot(
  snapshotIdentifier: string,
  ownership: Ownership,
  kind?: DatabaseKind,
): Promise<void> {
  const existing = await findSnapshot(snapshotIdentifier, kind);
  if (existing && isOwnedBy(existing, ownership)) {
    log('info', 'Snapshot already exists for this run', { snapshotIdentifier });
    return;
  }
  throw new SnapshotIdentifierConflict(
    `Snapshot '${snapshotIdentifier}' already exists but is not this construct's ${ownership.role} snapshot of run ${ownership.runId}`,
  );
}

/** True when the snapshot's `restore` attribute names any account: someone may depend on it. */
export async function isShared(snapshotIdentifier: string, kind?: DatabaseKind): Promise<boolean> {
  const api = snapshotApi(kind);
  try {
    return (await api.restoreAccounts(snapshotIdentifier)).length > 0;
  } catch (error) {
    if (isAwsError(error, api.faults.snapshotNotFound)) return false;
    throw error;
  }
}
