import { CLUSTER_SNAPSHOTS } from './cluster-snapshots.lambda-shared';
import type { DatabaseKind, SnapshotApi } from './database-kind.lambda-shared';
import { INSTANCE_SNAPSHOTS } from './instance-snapshots.lambda-shared';

/** The snapshot calls of a database kind; without one, the cluster's (a plan or event from before instances). */
export function snapshotApi(kind: DatabaseKind | undefined): SnapshotApi {
  return kind === 'instance' ? INSTANCE_SNAPSHOTS : CLUSTER_SNAPSHOTS;
}
