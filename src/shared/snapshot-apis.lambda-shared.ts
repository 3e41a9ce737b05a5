import { rdsIn } from './clients.lambda-shared';
import { CLUSTER_SNAPSHOTS, clusterSnapshots } from './cluster-snapshots.lambda-shared';
import type { DatabaseKind, SnapshotApi } from './database-kind.lambda-shared';
import { INSTANCE_SNAPSHOTS, instanceSnapshots } from './instance-snapshots.lambda-shared';

const regional = new Map<string, SnapshotApi>();

/**
 * The snapshot calls of a database kind; without one, the cluster's (a plan or event from before
 * instances). With `region`, the calls go to that Region (a client of it: cross-Region copies are
 * called in the destination Region); without, to the function's own Region.
 */
export function snapshotApi(kind: DatabaseKind | undefined, region?: string): SnapshotApi {
  if (region === undefined) return kind === 'instance' ? INSTANCE_SNAPSHOTS : CLUSTER_SNAPSHOTS;
  const key = `${kind ?? 'cluster'}/${region}`;
  let api = regional.get(key);
  if (!api) {
    api = kind === 'instance' ? instanceSnapshots(rdsIn(region)) : clusterSnapshots(rdsIn(region));
    regional.set(key, api);
  }
  return api;
}
