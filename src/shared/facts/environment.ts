/**
 * Environment variables the constructs set on their functions and the handlers read.
 *
 * A fact module (see ../constants.ts): imported by the constructs and the handlers, so it imports
 * only other fact modules.
 */
/** Environment variables the construct sets on each function and its handler reads. */
export const ENV = {
  OWNER_ID: 'OWNER_ID',
  SNAPSHOT_PREFIX: 'SNAPSHOT_PREFIX',
  SHARING_KEY_ARN: 'SHARING_KEY_ARN',
  TARGET_ACCOUNT_IDS: 'TARGET_ACCOUNT_IDS',
  RETAIN_SNAPSHOTS: 'RETAIN_SNAPSHOTS',
  ALLOW_UNENCRYPTED: 'ALLOW_UNENCRYPTED',
  SNAPSHOT_TIMEOUT_SECONDS: 'SNAPSHOT_TIMEOUT_SECONDS',
  WAIT_INTERVAL_SECONDS: 'WAIT_INTERVAL_SECONDS',
  CLUSTER_IDENTIFIERS: 'CLUSTER_IDENTIFIERS',
  CLUSTER_IDENTIFIERS_GZIP: 'CLUSTER_IDENTIFIERS_GZIP',
  CLUSTER_TAG_KEY: 'CLUSTER_TAG_KEY',
  CLUSTER_TAG_VALUE: 'CLUSTER_TAG_VALUE',
  /** `instanceIdentifiers` and `instanceTag`: the DB instances, as the cluster selection's four variables carry the clusters. */
  INSTANCE_IDENTIFIERS: 'INSTANCE_IDENTIFIERS',
  INSTANCE_IDENTIFIERS_GZIP: 'INSTANCE_IDENTIFIERS_GZIP',
  INSTANCE_TAG_KEY: 'INSTANCE_TAG_KEY',
  INSTANCE_TAG_VALUE: 'INSTANCE_TAG_VALUE',
  /** `maxConcurrentInstanceCopies`: DB snapshot copies in progress at once (set only on the functions that copy or start runs). */
  MAX_CONCURRENT_INSTANCE_COPIES: 'MAX_CONCURRENT_INSTANCE_COPIES',
  /** `additionalSharingKeys`: key ARNs (comma-separated) the targets may use; a snapshot on one is shared as it is. Prepare only. */
  ADDITIONAL_SHARING_KEY_ARNS: 'ADDITIONAL_SHARING_KEY_ARNS',
  /** `snapshotSource` `newestAutomatedSnapshot(maxAge)`: `maxAge` in seconds; absent for a new snapshot every run. Prepare only. */
  AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS: 'AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS',
  STATE_MACHINE_ARN: 'STATE_MACHINE_ARN',
  RDS_REQUESTS_PER_SECOND: 'RDS_REQUESTS_PER_SECOND',
  MAX_CONCURRENT_COPIES: 'MAX_CONCURRENT_COPIES',
  /** `snapshotTags` as a JSON object, on CreateSnapshot and CopySnapshot; absent when there are none. */
  SNAPSHOT_TAGS: 'SNAPSHOT_TAGS',
  /**
   * `regions`: the other Regions and the key of each, as `<region>=<key ARN>` pairs (comma-separated),
   * on the workflow's and the freshness functions; absent without `regions`. A plan may name only these.
   */
  SHARING_REGIONS: 'SHARING_REGIONS',
} as const;

/** Set to 'true' to silence the handlers' JSON logs (the simulator and tests do). */
export const SILENT_LOGS_VARIABLE = 'SHARED_CLUSTER_SNAPSHOTS_SILENT';

/** Environment variables the receiver's functions read (besides `ENV.OWNER_ID`, `ENV.STATE_MACHINE_ARN`, the wait settings). */
export const TARGET_ENV = {
  SOURCE_ACCOUNT_IDS: 'SOURCE_ACCOUNT_IDS',
  SOURCE_SNAPSHOT_PREFIX: 'SOURCE_SNAPSHOT_PREFIX',
  SOURCE_CLUSTER_IDENTIFIERS: 'SOURCE_CLUSTER_IDENTIFIERS',
  /** `instanceIdentifiers` of the receiver: the source DB instances it copies (comma-separated; empty with no selection). */
  SOURCE_INSTANCE_IDENTIFIERS: 'SOURCE_INSTANCE_IDENTIFIERS',
  /** `optionGroupName` of the receiver: the option group of a DB snapshot copy that needs one; absent when not set. CopySharedSnapshot only. */
  OPTION_GROUP_NAME: 'OPTION_GROUP_NAME',
  COPY_PREFIX: 'COPY_PREFIX',
  COPY_KEY_ARN: 'COPY_KEY_ARN',
  RETAIN_COPIES: 'RETAIN_COPIES',
  CONFIRM_COPIES: 'CONFIRM_COPIES',
  /** `replicaRegions` as JSON: `[{ "region", "keyArn", "retainCopies" }]`; absent or `[]` without replicas. */
  REPLICA_REGIONS: 'REPLICA_REGIONS',
  /** The replica state machine's ARN, on the functions that start replica executions. */
  REPLICA_STATE_MACHINE_ARN: 'REPLICA_STATE_MACHINE_ARN',
} as const;

/** Environment variables of the source side's event, confirmation and freshness handlers. */
export const SOURCE_EVENTS_ENV = {
  /** 'true' with `retainUntilCopied`: CleanUp keeps an expired snapshot until its copies are confirmed. */
  RETAIN_UNTIL_COPIED: 'RETAIN_UNTIL_COPIED',
  /** `maxRetention`, in seconds: past it, an unconfirmed snapshot is pruned anyway. */
  MAX_RETENTION_SECONDS: 'MAX_RETENTION_SECONDS',
  /** This stack's account: a confirmation must name one of its snapshots. */
  ACCOUNT_ID: 'ACCOUNT_ID',
} as const;
