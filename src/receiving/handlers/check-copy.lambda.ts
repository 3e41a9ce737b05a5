import { CopyState, parseCopyState } from './copy-state.lambda-shared';
import { checkOwnCopy } from './copy-status.lambda-shared';
import { receiverSettings } from './settings.lambda-shared';

/**
 * One status check of the copy (copy-status.lambda-shared.ts). `available` returns with the copy's
 * ARN; `copying` throws SnapshotNotReady (retried every `waitInterval`), SnapshotTimeout past the
 * deadline; any other status deletes the failed copy (so the next scan can copy again) and throws CopyFailed.
 */
export async function handler(event: CopyState): Promise<CopyState> {
  const settings = receiverSettings();
  const { state, ref } = parseCopyState(event, settings);
  const snapshot = await checkOwnCopy({
    kind: ref.kind,
    identifier: state.copyIdentifier,
    ownerId: settings.ownerId,
    copyPrefix: settings.copyPrefix,
    sourceAccount: state.sourceAccount,
    sourceSnapshotArn: state.snapshotArn,
    deadline: state.deadline,
    copyRequestedAt: state.copyRequestedAt,
  });
  return { ...state, copyArn: snapshot.DBClusterSnapshotArn };
}
