/**
 * CloudWatch metric names, namespaces and dimensions both sides publish and alarm on.
 *
 * A fact module (see ../constants.ts): imported by the constructs and the handlers, so it imports
 * only other fact modules.
 */
/** The CloudWatch namespace of every metric this library publishes, on both sides. */
export const METRICS_NAMESPACE = 'SharedClusterSnapshots';

/** The receiver's freshness metric (embedded metric format, one record per source cluster). */
export const FRESHNESS_METRIC = {
  namespace: METRICS_NAMESPACE,
  /** Seconds since the newest available copy's source snapshot was taken. */
  newestCopyAge: 'NewestCopyAge',
  /** Every record carries this dimension (the instance's owner id): its Maximum is the stalest cluster. */
  ownerDimension: 'OwnerId',
  sourceAccountDimension: 'SourceAccount',
  sourceClusterDimension: 'SourceCluster',
  /** A replica Region's records (`replicaRegions`) carry it too: each Region has its own series and alarm. The home Region's do not. */
  regionDimension: 'Region',
} as const;

/**
 * How a DB instance is named where clusters are too (freshness dimensions, results): `instance:<id>`,
 * since a cluster and an instance may share an identifier. A cluster is named by its id alone.
 */
export const INSTANCE_KEY_PREFIX = 'instance:';

/**
 * The age published for a cluster with no available copy at all (a configured cluster never
 * received, or one whose first copy is still in progress): ten years, far past any `maxCopyAge`.
 */
export const NO_COPY_AGE_SECONDS = 10 * 365 * 86_400;
/** `SourceAccount` dimension of a configured cluster that no source account has shared yet. */
export const UNKNOWN_SOURCE_ACCOUNT = 'none';

/** Where the handlers publish their own metrics, and the names the dashboard reads them by. */
export const HANDLER_METRICS = {
  /** The CloudWatch namespace of every handler metric. */
  namespace: METRICS_NAMESPACE,
  /** RDS API calls one handler invocation made (each `send`; the SDK's own retries are not counted). */
  rdsCalls: 'RdsCalls',
  /** Dimension: the instance's owner id (`SharedClusterSnapshots.ownerId`). */
  ownerDimension: 'OwnerId',
  /** Dimension: which handler made the calls (one of `HANDLER_NAMES`). */
  handlerDimension: 'Handler',
} as const;

/** The `Handler` dimension value of each source-side handler: the construct id of its function. */
export const HANDLER_NAMES = {
  starter: 'Starter',
  prepare: 'Prepare',
  createSnapshot: 'CreateSnapshot',
  checkSnapshot: 'CheckSnapshot',
  copySnapshot: 'CopySnapshot',
  copyToRegion: 'CopyToRegion',
  shareSnapshot: 'ShareSnapshot',
  cleanUp: 'CleanUp',
  cleanUpFailedRun: 'CleanUpFailedRun',
  publishFreshness: 'PublishFreshness',
  recordCopy: 'RecordCopy',
} as const;

/** The source side's freshness metric (embedded metric format, one record per selected cluster). */
export const SOURCE_FRESHNESS_METRIC = {
  namespace: FRESHNESS_METRIC.namespace,
  /** Seconds since the newest shared snapshot of the cluster was taken. */
  newestSnapshotAge: 'NewestSharedSnapshotAge',
  /** Every record carries this dimension (the instance's owner id): its Maximum is the stalest cluster. */
  ownerDimension: FRESHNESS_METRIC.ownerDimension,
  clusterDimension: 'Cluster',
  /** With `regions`: the records of each other Region carry it (the stack's own Region's records do not, as before). */
  regionDimension: 'Region',
} as const;

/** The age published for a selected cluster with no shared snapshot at all: far past any `maxSnapshotAge`. */
export const NO_SNAPSHOT_AGE_SECONDS = NO_COPY_AGE_SECONDS;

/**
 * The source side's skipped runs (embedded metric format, one record per cluster and skipped run): a
 * firing that found an earlier run of the cluster still in progress starts nothing for it. The
 * starter skips what it sees running; Prepare skips what the starter's look could not see (a
 * manual start, two firings at once).
 */
export const RUN_SKIPPED_METRIC = {
  namespace: METRICS_NAMESPACE,
  /** 1 per skipped run of one cluster. */
  runSkipped: 'RunSkipped',
  /** The only dimension (the instance's owner id, as the freshness metric writes it): the Sum is every skip. */
  ownerDimension: 'OwnerId',
} as const;
