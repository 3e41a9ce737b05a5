import { freshnessRecord, SnapshotFreshness } from './freshness.lambda-shared';
import { sharingRegions } from './regions.lambda-shared';
import { clusterSelection, instanceSelection } from './selection.lambda-shared';
import { manualSnapshots } from './snapshots.lambda-shared';
import { ownershipOf } from './tags.lambda-shared';
import { inRegion } from '../../shared/clients.lambda-shared';
import { requireEnv } from '../../shared/config.lambda-shared';
import { ENV, INSTANCE_KEY_PREFIX, NO_SNAPSHOT_AGE_SECONDS, SILENT_LOGS_VARIABLE } from '../../shared/constants';
import type { DatabaseKind, SnapshotView } from '../../shared/database-kind.lambda-shared';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';

export interface FreshnessResult {
  readonly clusters: SnapshotFreshness[];
  /** `regions`: the same, per other Region, for its copies. */
  readonly regions?: Record<string, SnapshotFreshness[]>;
}

/**
 * Publishes, for every selected cluster, the age of its newest available shared snapshot, as
 * CloudWatch embedded-metric-format lines. Runs on its own hourly schedule, independent of the
 * snapshot schedule: when runs stop (a disabled schedule, a renamed cluster), the age keeps growing
 * and the freshness alarm fires. The clusters are the configured `clusterIdentifiers` and every
 * cluster this instance has a shared snapshot of (which includes the tagged clusters it has run for).
 * DB instances alike, keyed `instance:<id>`, when the construct selects any; their age is that of
 * the data (`OriginalSnapshotCreateTime`: a copy of an older snapshot is as old as its source).
 * With `regions`, the same for each other Region's copies, whose records carry the `Region` dimension.
 */
async function run(): Promise<FreshnessResult> {
  const ownerId = requireEnv(ENV.OWNER_ID);
  const now = Date.now();
  const clusters = await newestPerDatabase(ownerId, now);
  const regions: Record<string, SnapshotFreshness[]> = {};
  for (const region of sharingRegions().keys()) {
    regions[region] = await inRegion(region, () => newestPerDatabase(ownerId, now));
  }
  if (process.env[SILENT_LOGS_VARIABLE] !== 'true') {
    for (const entry of clusters) console.log(JSON.stringify(freshnessRecord(ownerId, entry, now)));
    for (const [region, entries] of Object.entries(regions)) {
      for (const entry of entries) console.log(JSON.stringify(freshnessRecord(ownerId, entry, now, region)));
    }
  }
  return { clusters, ...(Object.keys(regions).length > 0 ? { regions } : {}) };
}

/** Each selected database's newest shared snapshot in the Region `inRegion` set (the function's own without one). */
async function newestPerDatabase(ownerId: string, now: number): Promise<SnapshotFreshness[]> {
  const newest = new Map<string, SnapshotView>();
  for (const id of clusterSelection().clusterIdentifiers) newest.set(id, {});
  const instances = instanceSelection();
  for (const id of instances.instanceIdentifiers) newest.set(`${INSTANCE_KEY_PREFIX}${id}`, {});
  const kinds: DatabaseKind[] = instances.instanceIdentifiers.length > 0 || instances.tag ? ['cluster', 'instance'] : ['cluster'];
  for (const kind of kinds) {
    for (const snapshot of await listOwnedSharedSnapshots(ownerId, kind)) {
      const key = `${kind === 'instance' ? INSTANCE_KEY_PREFIX : ''}${ownershipOf(snapshot)!.clusterIdentifier}`;
      const best = newest.get(key);
      if (!best || !takenAt(best) || takenAt(snapshot)! > takenAt(best)!) newest.set(key, snapshot);
    }
  }
  return [...newest.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([clusterIdentifier, snapshot]): SnapshotFreshness => {
    const taken = takenAt(snapshot);
    if (taken === undefined) return { clusterIdentifier, newestSnapshotAgeSeconds: NO_SNAPSHOT_AGE_SECONDS };
    return {
      clusterIdentifier,
      newestSnapshotAgeSeconds: Math.max(0, Math.round((now - taken) / 1000)),
      newestSnapshotIdentifier: snapshot.DBClusterSnapshotIdentifier,
    };
  });
}

/** When the snapshot's data was taken: a DB snapshot copy's source time, else its own. */
function takenAt(snapshot: SnapshotView): number | undefined {
  return (snapshot.OriginalSnapshotCreateTime ?? snapshot.SnapshotCreateTime)?.getTime();
}

/** Every available manual snapshot of the kind in the account and Region with this owner's tags as a shared snapshot. */
async function listOwnedSharedSnapshots(ownerId: string, kind: DatabaseKind): Promise<SnapshotView[]> {
  const owned: SnapshotView[] = [];
  for await (const snapshot of manualSnapshots(kind)) {
    const ownership = ownershipOf(snapshot);
    if (ownership?.ownerId === ownerId && ownership.role === 'shared' && snapshot.Status === 'available' && snapshot.SnapshotCreateTime) {
      owned.push(snapshot);
    }
  }
  return owned;
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('publishFreshness', run);
