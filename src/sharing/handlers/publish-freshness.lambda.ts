import type { DBClusterSnapshot } from '@aws-sdk/client-rds';
import { freshnessRecord, SnapshotFreshness } from './freshness.lambda-shared';
import { clusterSelection } from './selection.lambda-shared';
import { manualClusterSnapshots } from './snapshots.lambda-shared';
import { ownershipOf } from './tags.lambda-shared';
import { requireEnv } from '../../shared/config.lambda-shared';
import { ENV, NO_SNAPSHOT_AGE_SECONDS, SILENT_LOGS_VARIABLE } from '../../shared/constants';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';

export interface FreshnessResult {
  readonly clusters: SnapshotFreshness[];
}

/**
 * Publishes, for every selected cluster, the age of its newest available shared snapshot, as
 * CloudWatch embedded-metric-format lines. Runs on its own hourly schedule, independent of the
 * snapshot schedule: when runs stop (a disabled schedule, a renamed cluster), the age keeps growing
 * and the freshness alarm fires. The clusters are the configured `clusterIdentifiers` and every
 * cluster this instance has a shared snapshot of (which includes the tagged clusters it has run for).
 */
async function run(): Promise<FreshnessResult> {
  const ownerId = requireEnv(ENV.OWNER_ID);
  const now = Date.now();
  const newest = new Map<string, DBClusterSnapshot>();
  for (const id of clusterSelection().clusterIdentifiers) newest.set(id, {});
  for (const snapshot of await listOwnedSharedSnapshots(ownerId)) {
    const cluster = ownershipOf(snapshot)!.clusterIdentifier;
    const best = newest.get(cluster);
    if (!best?.SnapshotCreateTime || snapshot.SnapshotCreateTime!.getTime() > best.SnapshotCreateTime.getTime()) newest.set(cluster, snapshot);
  }
  const clusters = [...newest.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([clusterIdentifier, snapshot]): SnapshotFreshness => {
    if (!snapshot.SnapshotCreateTime) return { clusterIdentifier, newestSnapshotAgeSeconds: NO_SNAPSHOT_AGE_SECONDS };
    return {
      clusterIdentifier,
      newestSnapshotAgeSeconds: Math.max(0, Math.round((now - snapshot.SnapshotCreateTime.getTime()) / 1000)),
      newestSnapshotIdentifier: snapshot.DBClusterSnapshotIdentifier,
    };
  });
  if (process.env[SILENT_LOGS_VARIABLE] !== 'true') {
    for (const entry of clusters) console.log(JSON.stringify(freshnessRecord(ownerId, entry, now)));
  }
  return { clusters };
}

/** Every available manual snapshot in the account and Region with this owner's tags as a shared snapshot. */
async function listOwnedSharedSnapshots(ownerId: string): Promise<DBClusterSnapshot[]> {
  const owned: DBClusterSnapshot[] = [];
  for await (const snapshot of manualClusterSnapshots()) {
    const ownership = ownershipOf(snapshot);
    if (ownership?.ownerId === ownerId && ownership.role === 'shared' && snapshot.Status === 'available' && snapshot.SnapshotCreateTime) {
      owned.push(snapshot);
    }
  }
  return owned;
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('publishFreshness', run);
