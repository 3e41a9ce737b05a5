import type { RefreshSettings } from './settings.lambda-shared';
import type { PlannedCopy } from './state.lambda-shared';
import { listOwnCopies, newestFirst } from '../../shared/owned-copies.lambda-shared';

/**
 * The newest available copy of the source cluster that the receiver owns (its prefix and owner
 * tag), from the configured source account when one is set; undefined when there is none.
 */
export async function newestCopy(settings: RefreshSettings): Promise<PlannedCopy | undefined> {
  // A refresh restores DB clusters: only the receiver's cluster snapshot copies.
  const copies = (await listOwnCopies(settings.copyOwnerId, settings.copyPrefix, ['cluster']))
    .filter((c) => c.status === 'available' && c.clusterIdentifier.toLowerCase() === settings.sourceCluster)
    .filter((c) => !settings.sourceAccount || c.sourceAccount === settings.sourceAccount)
    .sort(newestFirst);
  const newest = copies[0];
  if (!newest) return undefined;
  return {
    arn: newest.snapshot.DBClusterSnapshotArn ?? newest.identifier,
    identifier: newest.identifier,
    engine: newest.snapshot.Engine ?? '',
    sourceSnapshotTime: newest.sourceSnapshotTime,
  };
}
