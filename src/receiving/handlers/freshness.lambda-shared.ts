import type { OwnCopy } from './copies.lambda-shared';
import { FRESHNESS_METRIC, NO_COPY_AGE_SECONDS, SILENT_LOGS_VARIABLE, UNKNOWN_SOURCE_ACCOUNT } from '../../shared/constants';

/** The age of the newest available copy of one source cluster. */
export interface ClusterFreshness {
  readonly sourceAccount: string;
  readonly clusterIdentifier: string;
  /** Seconds since the newest available copy's source snapshot was taken; `NO_COPY_AGE_SECONDS` without one. */
  readonly newestCopyAgeSeconds: number;
  readonly newestCopyIdentifier?: string;
}

export interface SourceCluster {
  readonly sourceAccount: string;
  readonly clusterIdentifier: string;
}

const key = (c: SourceCluster) => `${c.sourceAccount}/${c.clusterIdentifier}`;

/**
 * One entry per source cluster that is configured, shared now, or has ever been copied (retention
 * never deletes the newest copy, so a copied cluster stays in the list). A configured cluster no
 * source account has shared appears under `UNKNOWN_SOURCE_ACCOUNT`, with `NO_COPY_AGE_SECONDS`.
 */
export function computeFreshness(copies: OwnCopy[], shared: SourceCluster[], configured: string[], now: number): ClusterFreshness[] {
  const clusters = new Map<string, SourceCluster>();
  for (const c of [...copies, ...shared]) {
    clusters.set(key(c), { sourceAccount: c.sourceAccount, clusterIdentifier: c.clusterIdentifier });
  }
  for (const clusterIdentifier of configured) {
    if (![...clusters.values()].some((c) => c.clusterIdentifier === clusterIdentifier)) {
      clusters.set(key({ sourceAccount: UNKNOWN_SOURCE_ACCOUNT, clusterIdentifier }), { sourceAccount: UNKNOWN_SOURCE_ACCOUNT, clusterIdentifier });
    }
  }
  return [...clusters.values()].sort((a, b) => key(a).localeCompare(key(b))).map((cluster) => {
    const newest = copies
      .filter((c) => key(c) === key(cluster) && c.status === 'available')
      .reduce<OwnCopy | undefined>((best, c) => (!best || Date.parse(c.sourceSnapshotTime) > Date.parse(best.sourceSnapshotTime) ? c : best),
        undefined);
    if (!newest) return { ...cluster, newestCopyAgeSeconds: NO_COPY_AGE_SECONDS };
    const age = Math.max(0, Math.round((now - Date.parse(newest.sourceSnapshotTime)) / 1000));
    return { ...cluster, newestCopyAgeSeconds: age, newestCopyIdentifier: newest.identifier };
  });
}

/**
 * One CloudWatch embedded-metric-format record: the per-cluster series, and (same value, owner
 * dimension only) the series whose Maximum is the stalest cluster, which the freshness alarm watches.
 * A replica Region's records (`region`) add the Region dimension to both: one series and alarm per Region.
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
    [sourceClusterDimension]: freshness.clusterIdentifier,
    [newestCopyAge]: freshness.newestCopyAgeSeconds,
  };
}

/** Lambda sends stdout to CloudWatch Logs, which extracts the metrics from these lines. */
export function publishFreshness(ownerId: string, freshness: ClusterFreshness[], now: number, region?: string): void {
  if (process.env[SILENT_LOGS_VARIABLE] === 'true') return;
  for (const entry of freshness) console.log(JSON.stringify(freshnessRecord(ownerId, entry, now, region)));
}
