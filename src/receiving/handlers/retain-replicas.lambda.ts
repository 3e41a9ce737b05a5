import { kindOf, parseReplicaState, ReplicaState } from './replicas.lambda-shared';
import { retainNewest } from './retention.lambda-shared';
import { receiverSettings } from './settings.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import type { SnapshotReplicatedDetail } from '../../shared/events';

/**
 * Keeps the newest `retainCopies` of the Region's replicas of the source account and cluster, and
 * deletes older ones this instance owns in that Region only (retention.lambda-shared.ts). Returns
 * the `Cluster Snapshot Replicated` detail for the PutEvents step.
 */
export async function handler(event: ReplicaState): Promise<ReplicaState> {
  const settings = receiverSettings();
  const { state, replica } = parseReplicaState(event, settings);
  if (!state.replicaArn) throw new InvalidInput(`Replica '${state.copyIdentifier}' in ${state.region} has not been found available yet; nothing to retain`);
  const { deleted } = await retainNewest({
    kind: kindOf(state),
    region: replica.region,
    ownerId: settings.ownerId,
    copyPrefix: settings.copyPrefix,
    sourceAccount: state.sourceAccount,
    clusterIdentifier: state.clusterIdentifier,
    retain: replica.retainCopies,
  });
  const replicated: SnapshotReplicatedDetail = {
    sourceAccount: state.sourceAccount,
    sourceSnapshotArn: state.snapshotArn,
    clusterIdentifier: state.clusterIdentifier,
    copyArn: state.copyArn,
    replicaArn: state.replicaArn,
    region: replica.region,
    kmsKeyArn: replica.keyArn,
  };
  return { ...state, deletedReplicas: deleted, replicated: { ...replicated } };
}
