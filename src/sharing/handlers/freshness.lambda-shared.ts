import { SOURCE_FRESHNESS_METRIC } from '../../shared/constants';
import { shorten } from '../../shared/naming.lambda-shared';

/** The age of the newest available shared snapshot of one cluster. */
export interface SnapshotFreshness {
  readonly clusterIdentifier: string;
  /** Seconds since the newest shared snapshot was taken; `NO_SNAPSHOT_AGE_SECONDS` without one. */
  readonly newestSnapshotAgeSeconds: number;
  readonly newestSnapshotIdentifier?: string;
}

/** CloudWatch dimension values hold at most 255 characters; an owner id may hold 256. */
const MAX_DIMENSION_VALUE_LENGTH = 255;

/** The owner dimension's value: the owner id, or for a very long one its shortened form (with a hash). */
export function freshnessOwnerDimension(ownerId: string): string {
  return shorten(ownerId, MAX_DIMENSION_VALUE_LENGTH);
}

/**
 * One embedded-metric-format record: the per-cluster series, and (same value, owner dimension only)
 * the series whose Maximum is the stalest cluster, which the freshness alarm watches. A copy in
 * another Region (`regions`) adds the `Region` dimension to both, for that Region's own alarm.
 */
export function freshnessRecord(ownerId: string, freshness: SnapshotFreshness, now: number, region?: string): Record<string, unknown> {
  const { namespace, newestSnapshotAge, ownerDimension, clusterDimension, regionDimension } = SOURCE_FRESHNESS_METRIC;
  const base = region === undefined ? [ownerDimension] : [ownerDimension, regionDimension];
  return {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [{
        Namespace: namespace,
        Dimensions: [base, [...base, clusterDimension]],
        Metrics: [{ Name: newestSnapshotAge, Unit: 'Seconds' }],
      }],
    },
    [ownerDimension]: freshnessOwnerDimension(ownerId),
    ...(region === undefined ? {} : { [regionDimension]: region }),
    [clusterDimension]: freshness.clusterIdentifier,
    [newestSnapshotAge]: freshness.newestSnapshotAgeSeconds,
  };
}
