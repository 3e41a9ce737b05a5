import type { DatabaseKind } from './kind.lambda-shared';
import type { RefreshSettings } from './settings.lambda-shared';
import type { PlannedCopy } from './state.lambda-shared';
import { listOwnCopies, newestFirst } from '../../shared/owned-copies.lambda-shared';

/**
 * The newest available copy of the source database that the receiver owns (its prefix and owner
 * tag), of the kind's snapshots, from the configured source account when one is set; undefined
 * when there is none. Only manual snapshots of this account are listed: never a shared one.
 */
export async function newestCopy(settings: RefreshSettings, kind: DatabaseKind): Promise<PlannedCopy | undefined> {
  const copies = (await listOwnCopies(settings.copyOwnerId, settings.copyPrefix, [kind.snapshotKind]))
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
