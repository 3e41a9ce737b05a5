import { checkOwnCopy } from './copy-status.lambda-shared';
import { kindOf, parseReplicaState, ReplicaState } from './replicas.lambda-shared';
import { receiverSettings } from './settings.lambda-shared';

/**
 * One status check of a replica in its Region, as CheckCopy checks a copy (copy-status.lambda-shared.ts):
 * `available` returns with the replica's ARN; a failed replica is deleted and fails with CopyFailed
 * (the next scan replicates again). The copy in the receiver's Region is never touched.
 */
export async function handler(event: ReplicaState): Promise<ReplicaState> {
  const settings = receiverSettings();
  const { state } = parseReplicaState(event, settings);
  const snapshot = await checkOwnCopy({
    kind: kindOf(state),
    region: state.region,
    identifier: state.copyIdentifier,
    ownerId: settings.ownerId,
    copyPrefix: settings.copyPrefix,
    sourceAccount: state.sourceAccount,
    sourceSnapshotArn: state.snapshotArn,
    deadline: state.deadline,
    copyRequestedAt: state.copyRequestedAt,
  });
  return { ...state, replicaArn: snapshot.DBClusterSnapshotArn };
}
