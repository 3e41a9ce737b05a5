import { asOwnCopy, deleteOwnCopy, findSnapshot } from './copies.lambda-shared';
import { CopyFailed } from './errors.lambda-shared';
import { SNAPSHOT_VISIBILITY_GRACE_SECONDS, TRANSIENT_AWS_ERRORS } from '../../shared/constants';
import { DatabaseKind, IN_PROGRESS_STATUSES, SnapshotView } from '../../shared/database-kind.lambda-shared';
import { isAwsError, SnapshotIdentifierConflict, SnapshotNotReady, SnapshotTimeout } from '../../shared/errors.lambda-shared';

/** A copy being waited for: in the receiver's Region (CheckCopy) or a replica Region (CheckReplica). */
export interface AwaitedCopy {
  readonly kind: DatabaseKind;
  /** A replica Region; undefined for the receiver's own Region. */
  readonly region?: string;
  readonly identifier: string;
  readonly ownerId: string;
  readonly copyPrefix: string;
  readonly sourceAccount: string;
  readonly sourceSnapshotArn: string;
  /** ISO-8601. */
  readonly deadline: string;
  readonly copyRequestedAt: string;
}

/**
 * One status check of a copy. Returns it once `available`; `copying` throws SnapshotNotReady
 * (retried every `waitInterval`), SnapshotTimeout past the deadline; any other status deletes the
 * failed copy (so the next scan can copy again) and throws CopyFailed. Not yet visible within the
 * grace period is "not yet"; a throttled check learned nothing and is "not yet" too.
 */
export async function checkOwnCopy(c: AwaitedCopy): Promise<SnapshotView> {
  const now = Date.now();
  const pastDeadline = now >= Date.parse(c.deadline);
  const name = `'${c.identifier}'${c.region ? ` in ${c.region}` : ''}`;
  const snapshot = await findOrNotReady(c, name, pastDeadline);
  if (!snapshot) {
    if (now - Date.parse(c.copyRequestedAt) < SNAPSHOT_VISIBILITY_GRACE_SECONDS * 1000 && !pastDeadline) {
      throw new SnapshotNotReady(`Copy ${name} is not visible yet`);
    }
    throw new CopyFailed(`Copy ${name} no longer exists`);
  }
  const copy = asOwnCopy(snapshot, c.ownerId, c.copyPrefix, c.kind);
  if (!copy || copy.sourceSnapshotArn !== c.sourceSnapshotArn || copy.sourceAccount !== c.sourceAccount) {
    throw new SnapshotIdentifierConflict(`Snapshot ${name} is not this receiver's copy of '${c.sourceSnapshotArn}'`);
  }
  if (copy.status === 'available') return snapshot;
  if (!IN_PROGRESS_STATUSES.includes(copy.status)) {
    const outcome = await deleteOwnCopy(copy, c.copyPrefix, c.region);
    throw new CopyFailed(`Copy ${name} of '${c.sourceSnapshotArn}' is '${copy.status}' (${outcome}); the next scan copies it again`);
  }
  if (pastDeadline) throw new SnapshotTimeout(`Copy ${name} is still '${copy.status}' at its deadline ${c.deadline}`);
  throw new SnapshotNotReady(`Copy ${name} is '${copy.status}' (${snapshot.PercentProgress ?? 0}%)`);
}

async function findOrNotReady(c: AwaitedCopy, name: string, pastDeadline: boolean) {
  try {
    return await findSnapshot(c.identifier, c.kind, c.region);
  } catch (error) {
    if (!isAwsError(error, ...TRANSIENT_AWS_ERRORS)) throw error;
    if (pastDeadline) throw new SnapshotTimeout(`Copy ${name} was not seen available by its deadline ${c.deadline} (last check: ${(error as Error).name})`);
    throw new SnapshotNotReady(`Status of ${name} unknown this time (${(error as Error).name}); checking again`);
  }
}
