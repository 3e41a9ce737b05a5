import { findSnapshot, listOwnCopies, OwnCopy } from './copies.lambda-shared';
import { ConfirmationEntry, CopyState, parseCopyState } from './copy-state.lambda-shared';
import { replicaRegions } from './replicas.lambda-shared';
import { retainNewest } from './retention.lambda-shared';
import { confirmCopies, receiverSettings, retainCopies } from './settings.lambda-shared';
import type { SourceSnapshotRef } from './sources.lambda-shared';
import { IN_PROGRESS_STATUSES } from '../../shared/database-kind.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import type { SnapshotCopiedDetail } from '../../shared/events';

/**
 * Keeps the newest `retainCopies` available copies of the source account and database (of its kind)
 * and deletes older ones this instance owns (retention.lambda-shared.ts); a copy whose replica is
 * still copying into a replica Region stays.
 * With `confirmCopies`, returns the `Cluster Snapshot Copied` entry for the source account's bus.
 */
export async function handler(event: CopyState): Promise<CopyState> {
  const settings = receiverSettings();
  const { state, ref } = parseCopyState(event, settings);
  if (!state.copyArn) throw new InvalidInput(`Copy '${state.copyIdentifier}' has not been found available yet; nothing to retain`);

  const copies = await listOwnCopies(settings.ownerId, settings.copyPrefix, [ref.kind]);
  const current = copies.find((copy) => copy.identifier === state.copyIdentifier);
  const { deleted, expired } = await retainNewest({
    kind: ref.kind,
    ownerId: settings.ownerId,
    copyPrefix: settings.copyPrefix,
    sourceAccount: current?.sourceAccount ?? state.sourceAccount,
    clusterIdentifier: current?.clusterIdentifier ?? state.clusterIdentifier,
    retain: retainCopies(),
    mustKeep: replicaInProgress,
    copies,
  });
  const kept = !expired.includes(state.copyIdentifier);
  const confirmation = confirmCopies() && kept ? confirmationOf(state, ref, state.copyArn) : undefined;
  return { ...state, deletedCopies: deleted, ...(confirmation ? { confirmation } : {}) };
}

/**
 * Whether a replica of `copy` (same identifier and kind) is still copying in a replica Region:
 * deleting the source of a copy in progress may fail the copy (aws-facts.md), so the copy stays.
 */
async function replicaInProgress(copy: OwnCopy): Promise<boolean> {
  for (const { region } of replicaRegions()) {
    const replica = await findSnapshot(copy.identifier, copy.kind, region);
    if (replica && IN_PROGRESS_STATUSES.includes(replica.Status ?? '')) return true;
  }
  return false;
}

/** The entry for PutEvents on the source account's default bus (a bus ARN: PutEvents across accounts). */
function confirmationOf(state: CopyState, ref: SourceSnapshotRef, copyArn: string): ConfirmationEntry {
  const [, partition, , region] = state.snapshotArn.split(':');
  const detail: SnapshotCopiedDetail = {
    sourceAccount: state.sourceAccount,
    sourceSnapshotArn: state.snapshotArn,
    clusterIdentifier: state.clusterIdentifier,
    // A cluster's confirmation stays as it was before DB instances.
    ...(ref.kind === 'instance' ? { databaseKind: ref.kind, databaseIdentifier: state.clusterIdentifier } : {}),
    copyArn,
    targetAccount: copyArn.split(':')[4],
  };
  return { eventBusName: `arn:${partition}:events:${region}:${state.sourceAccount}:event-bus/default`, detail: JSON.stringify(detail) };
}

