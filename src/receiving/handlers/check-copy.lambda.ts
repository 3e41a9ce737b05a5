import { asOwnCopy, deleteOwnCopy, findSnapshot } from './copies.lambda-shared';
import { CopyState, parseCopyState } from './copy-state.lambda-shared';
import { CopyFailed } from './errors.lambda-shared';
import { receiverSettings } from './settings.lambda-shared';
import { SNAPSHOT_VISIBILITY_GRACE_SECONDS, TRANSIENT_AWS_ERRORS } from '../../shared/constants';
import { DatabaseKind, IN_PROGRESS_STATUSES } from '../../shared/database-kind.lambda-shared';
import { isAwsError, SnapshotIdentifierConflict, SnapshotNotReady, SnapshotTimeout } from '../../shared/errors.lambda-shared';

/**
 * One status check of the copy. `available` returns with the copy's ARN; `copying` throws
 * SnapshotNotReady (retried every `waitInterval`), SnapshotTimeout past the deadline; any other
 * status deletes the failed copy (so the next scan can copy again) and throws CopyFailed.
 */
export async function handler(event: CopyState): Promise<CopyState> {
  const settings = receiverSettings();
  const { state, ref } = parseCopyState(event, settings);
  const now = Date.now();
  const pastDeadline = now >= Date.parse(state.deadline);
  const snapshot = await findOrNotReady(state, ref.kind, pastDeadline);
  if (!snapshot) {
    if (now - Date.parse(state.copyRequestedAt) < SNAPSHOT_VISIBILITY_GRACE_SECONDS * 1000 && !pastDeadline) {
      throw new SnapshotNotReady(`Copy '${state.copyIdentifier}' is not visible yet`);
    }
    throw new CopyFailed(`Copy '${state.copyIdentifier}' no longer exists`);
  }
  const copy = asOwnCopy(snapshot, settings.ownerId, settings.copyPrefix, ref.kind);
  if (!copy || copy.sourceSnapshotArn !== state.snapshotArn || copy.sourceAccount !== state.sourceAccount) {
    throw new SnapshotIdentifierConflict(`Snapshot '${state.copyIdentifier}' is not this receiver's copy of '${state.snapshotArn}'`);
  }
  if (copy.status === 'available') {
    return { ...state, copyArn: snapshot.DBClusterSnapshotArn };
  }
  if (!IN_PROGRESS_STATUSES.includes(copy.status)) {
    const outcome = await deleteOwnCopy(copy, settings.copyPrefix);
    throw new CopyFailed(`Copy '${state.copyIdentifier}' of '${state.snapshotArn}' is '${copy.status}' (${outcome}); the next scan copies it again`);
  }
  if (pastDeadline) {
    throw new SnapshotTimeout(`Copy '${state.copyIdentifier}' is still '${copy.status}' at its deadline ${state.deadline}`);
  }
  throw new SnapshotNotReady(`Copy '${state.copyIdentifier}' is '${copy.status}' (${snapshot.PercentProgress ?? 0}%)`);
}

/** A throttled status call is a check that learned nothing: check again, or time out past the deadline. */
async function findOrNotReady(state: CopyState, kind: DatabaseKind, pastDeadline: boolean) {
  try {
    return await findSnapshot(state.copyIdentifier, kind);
  } catch (error) {
    if (!isAwsError(error, ...TRANSIENT_AWS_ERRORS)) throw error;
    if (pastDeadline) throw new SnapshotTimeout(`Copy '${state.copyIdentifier}' was not seen available by its deadline ${state.deadline} (last check: ${(error as Error).name})`);
    throw new SnapshotNotReady(`Status of '${state.copyIdentifier}' unknown this time (${(error as Error).name}); checking again`);
  }
}
