import type { OwnCopy } from './copies.lambda-shared';
import { FRESHNESS_METRIC, INSTANCE_KEY_PREFIX, NO_COPY_AGE_SECONDS, SILENT_LOGS_VARIABLE, UNKNOWN_SOURCE_ACCOUNT } from '../../shared/constants';
import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';

/** The age of the newest available copy of one source database. */
export interface ClusterFreshness {
  readonly sourceAccount: string;
  /** The database's identifier; a DB instance's is published as `instance:<id>` (`SourceCluster` dimension). */
  readonly clusterIdentifier: string;
  /** `instance` for a DB instance; absent for a cluster. */
  readonly databaseKind?: 'instance';
  /** Seconds since the newest available copy's source snapshot was taken; `NO_COPY_AGE_SECONDS` without one. */
  readonly newestCopyAgeSeconds: number;
  readonly newestCopyIdentifier?: string;
}

export interface SourceCluster {
  readonly kind: DatabaseKind;
  readonly sourceAccount: string;
  readonly clusterIdentifier: string;
}

/** A selected database, by kind. */
export interface SelectedDatabase {
  readonly kind: DatabaseKind;
  readonly identifier: string;
}

/** How the metric and the results name a database: a cluster by its id, a DB instance as `instance:<id>` (the two may share an id). */
export function databaseLabel(kind: DatabaseKind, identifier: string): string {
  return kind === 'instance' ? `${INSTANCE_KEY_PREFIX}${identifier}` : identifier;
}

const key = (c: SourceCluster) => `${c.sourceAccount}/${databaseLabel(c.kind, c.clusterIdentifier)}`;

/**
 * One entry per source database (cluster or DB instance) that is configured, shared now, or has
 * ever been copied (retention never deletes the newest copy, so a copied database stays in the
 * list). A configured database no source account has shared appears under
 * `UNKNOWN_SOURCE_ACCOUNT`, with `NO_COPY_AGE_SECONDS`.
 */
export function computeFreshness(copies: OwnCopy[], shared: SourceCluster[], configured: SelectedDatabase[], now: number): ClusterFreshness[] {
  const clusters = new Map<string, SourceCluster>();
  for (const c of [...copies, ...shared]) {
    clusters.set(key(c), { kind: c.kind, sourceAccount: c.sourceAccount, clusterIdentifier: c.clusterIdentifier });
  }
  for (const { kind, identifier: clusterIdentifier } of configured) {
    if (![...clusters.values()].some((c) => c.kind === kind && c.clusterIdentifier === clusterIdentifier)) {
      const unknown = { kind, sourceAccount: UNKNOWN_SOURCE_ACCOUNT, clusterIdentifier };
      clusters.set(key(unknown), unknown);
    }
  }
  return [...clusters.values()].sort((a, b) => key(a).localeCompare(key(b))).map((database) => {
    const { sourceAccount, clusterIdentifier } = database;
    const cluster = { sourceAccount, clusterIdentifier, ...(database.kind === 'instance' ? { databaseKind: database.kind } : {}) };
    const newest = copies
      .filter((c) => key(c) === key(database) && c.status === 'available')
      .reduce<OwnCopy | undefined>((best, c) => (!best || Date.parse(c.sourceSnapshotTime) > Date.parse(best.sourceSnapshotTime) ? c : best),
        undefined);
    if (!newest) return { ...cluster, newestCopyAgeSeconds: NO_COPY_AGE_SECONDS };
    const age = Math.max(0, Math.round((now - Date.parse(newest.sourceSnapshotTime)) / 1000));
    return { ...cluster, newestCopyAgeSeconds: age, newestCopyIdentifier: newest.identifier };
  });
}

/**
 * One CloudWatch embedded-metric-format record: the per-database series (`SourceCluster` a cluster's
 * id, or `instance:<id>`), and (same value, owner dimension only) the series whose Maximum is the
 * stalest database, which the freshness alarm watches. A replica Region's records (`region`) add
 * the Region dimension to both: one series and alarm per Region.
 */
export function freshnessRecord(ownerId: string, freshness: ClusterFreshness, now: number, region?: string): Record<string, unknown> {
  const { ownerDimension, sourceAccountDimension, sourceClusterDimension, regionDimension, newestCopyAge, namespace } = FRESHNESS_METRIC;
  const base = region === undefined ? [ownerDimension] : [ownerDimension, regionDimension];
  return {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [{
        Namespace: namespace,
        Dimensions: [base, [...base, sourceAccountDimension, sourceClusterDimension]],
        Metrics: [{ Name: newestCopyAge, Unit: 'Seconds' }],
      }],
    },
    [ownerDimension]: ownerId,
    ...(region === undefined ? {} : { [regionDimension]: region }),
    [sourceAccountDimension]: freshness.sourceAccount,
    [sourceClusterDimension]: databaseLabel(freshness.databaseKind ?? 'cluster', freshness.clusterIdentifier),
    [newestCopyAge]: freshness.newestCopyAgeSeconds,
  };
}

/** Lambda sends stdout to CloudWatch Logs, which extracts the metrics from these lines. */
export function publishFreshness(ownerId: string, freshness: ClusterFreshness[], now: number, region?: string): void {
  if (process.env[SILENT_LOGS_VARIABLE] === 'true') return;
  for (const entry of freshness) console.log(JSON.stringify(freshnessRecord(ownerId, entry, now, region)));
}
