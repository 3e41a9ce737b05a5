import { deleteOwnCopy, listOwnCopies, newestFirst } from './copies.lambda-shared';
import { ConfirmationEntry, CopyState, parseCopyState } from './copy-state.lambda-shared';
import { confirmCopies, receiverSettings, retainCopies } from './settings.lambda-shared';
import type { SourceSnapshotRef } from './sources.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import type { SnapshotCopiedDetail } from '../../shared/events';
import { log } from '../../shared/log.lambda-shared';

/**
 * Keeps the newest `retainCopies` available copies of the source account and database (of its kind) (by when the
 * source snapshot was taken) and deletes older ones this instance owns. Copies still in progress
 * neither count nor are deleted, so the newest available copy stays until a newer one is available.
 * With `confirmCopies`, returns the `Cluster Snapshot Copied` entry for the source account's bus.
 */
export async function handler(event: CopyState): Promise<CopyState> {
  const settings = receiverSettings();
  const { state, ref } = parseCopyState(event, settings);
  if (!state.copyArn) throw new InvalidInput(`Copy '${state.copyIdentifier}' has not been found available yet; nothing to retain`);
  const retain = retainCopies();

  // Only this kind's copies: a cluster's and a DB instance's of one identifier are kept apart.
  const all = await listOwnCopies(settings.ownerId, settings.copyPrefix, [ref.kind]);
  const current = all.find((copy) => copy.identifier === state.copyIdentifier);
  const sourceAccount = current?.sourceAccount ?? state.sourceAccount;
  const clusterIdentifier = current?.clusterIdentifier ?? state.clusterIdentifier;
  const available = all
    .filter((copy) => copy.sourceAccount === sourceAccount && copy.clusterIdentifier === clusterIdentifier && copy.status === 'available')
    .sort(newestFirst);
  const expired = available.slice(retain);
  const deletedCopies: string[] = [];
  for (const copy of expired) {
    if ((await deleteOwnCopy(copy, settings.copyPrefix)) === 'deleted') deletedCopies.push(copy.identifier);
  }
  const kept = !expired.some((copy) => copy.identifier === state.copyIdentifier);
  log('info', 'Applied retention', { sourceAccount, clusterIdentifier, retain, available: available.length, deletedCopies, kept });

  const confirmation = confirmCopies() && kept ? confirmationOf(state, ref, state.copyArn) : undefined;
  return { ...state, deletedCopies, ...(confirmation ? { confirmation } : {}) };
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

