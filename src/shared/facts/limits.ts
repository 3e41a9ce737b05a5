/**
 * Limits: AWS quotas and bounds of the props, each with its source.
 *
 * A fact module (see ../constants.ts): imported by the constructs and the handlers, so it imports
 * only other fact modules.
 */
/** A twelve-digit AWS account id. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** The most accounts RDS shares one snapshot with (SharedSnapshotQuotaExceeded beyond). */
export const MAX_TARGET_ACCOUNTS = 20;
/** The most status checks one phase may need; keeps an execution far below 25,000 history events. */
export const MAX_CHECKS_PER_PHASE = 2000;
/** `rdsRequestsPerSecond` bounds. */
export const MIN_REQUESTS_PER_SECOND = 1;
export const MAX_REQUESTS_PER_SECOND = 100;
/**
 * "You can have up to five snapshot copy requests in progress to a single destination Region per
 * account" (Aurora User Guide, "DB cluster snapshot copying"): the most `maxConcurrentCopies` allows.
 */
export const MAX_CONCURRENT_COPIES = 5;
/**
 * How long after a create or copy call a snapshot that is not found counts as "not visible yet"
 * rather than gone. RDS documents no read-after-write guarantee for new snapshots.
 */
export const SNAPSHOT_VISIBILITY_GRACE_SECONDS = 300;
/**
 * The shortest time between two runs a `schedule` may start: a run of every cluster takes longer
 * than that, and a firing while the previous run is still in progress is skipped.
 */
export const MIN_RUN_INTERVAL_SECONDS = 3600;
/** `waitInterval` bounds, in seconds. */
export const MIN_WAIT_INTERVAL_SECONDS = 1;
export const MAX_WAIT_INTERVAL_SECONDS = 3600;

/** RDS identifiers: 1-63 letters, digits and hyphens, starting with a letter, no `--`, no trailing hyphen. */
export const MAX_IDENTIFIER_LENGTH = 63;
/** Longest `snapshotPrefix`, so that every cluster keeps a readable part in its snapshot names. */
export const MAX_PREFIX_LENGTH = 24;
/** Step Functions execution names: 1-80 of `0-9A-Za-z-_`. */
export const MAX_EXECUTION_NAME_LENGTH = 80;
/** The starter spreads a large fleet's starts over at most a day. */
export const MAX_START_DELAY_SECONDS = 86_400;
/** The most status checks the fleet pacing may skip between two RDS calls. */
export const MAX_POLL_STRIDE = 60;

/**
 * IAM quotas a role's policies must fit (IAM User Guide, "IAM and AWS STS quotas"; whitespace is not
 * counted): all inline policies of a role together, one managed policy, and the managed policies
 * attached to one role (the default quota).
 */
export const IAM_LIMITS = {
  roleInlinePolicyCharacters: 10_240,
  managedPolicyCharacters: 6_144,
  managedPoliciesPerRole: 10,
} as const;

/** The DescribeAccountAttributes quota that counts manual DB cluster snapshots (copies included). */
export const MANUAL_CLUSTER_SNAPSHOTS_QUOTA = 'ManualClusterSnapshots';
/** The DescribeAccountAttributes quota that counts manual DB (instance) snapshots, apart from the cluster one. */
export const MANUAL_INSTANCE_SNAPSHOTS_QUOTA = 'ManualSnapshots';
/**
 * The Region's default quota of manual DB instance snapshots, separate from the cluster snapshot
 * quota (RDS User Guide, "Quotas in Amazon RDS": 100 manual DB instance snapshots). Raisable.
 */
export const DEFAULT_MANUAL_INSTANCE_SNAPSHOTS_QUOTA = 100;
/**
 * "You can have up to 20 snapshot copy requests in progress to a single destination Region per
 * account" (RDS User Guide, "Copying a DB snapshot"; older pages said 5). Whether same-Region copies
 * count, and whether they share a count with cluster snapshot copies, is not stated: the most
 * `maxConcurrentInstanceCopies` allows, and its default.
 */
export const MAX_CONCURRENT_INSTANCE_COPIES = 20;

/** `sourceAccountIds`: at most this many (the bus policy and the IAM policies list each one). */
export const MAX_SOURCE_ACCOUNTS = 20;
/** `clusterIdentifiers` and `instanceIdentifiers` of the receiver together: at most this many, so the handlers' environment stays under Lambda's 4 KB. */
export const MAX_RECEIVED_CLUSTERS = 40;
/** `retainCopies` bounds: the Region's default manual cluster snapshot quota is 100. */
export const MAX_RETAIN_COPIES = 100;
/**
 * `replicaRegions`: at most this many. Each adds a key, alarm and IAM statements per Region, and
 * every copy is billed in full in each (Aurora copies are full copies): a bound, not an AWS limit.
 */
export const MAX_REPLICA_REGIONS = 5;
/**
 * How long a replica may wait for a copy slot, and then for its copy, in its Region: cross-Region
 * copies "can take hours" (aws-facts.md, "Regions"), so twice the in-Region `snapshotTimeout`.
 */
export const REPLICA_TIMEOUT_SECONDS = 12 * 3600;

/**
 * The Region's default quota of manual DB cluster snapshots (Service Quotas "Manual DB cluster
 * snapshots", `ManualClusterSnapshots` in DescribeAccountAttributes), copies and shared ones included
 * (Aurora User Guide, "Quotas and constraints for Amazon Aurora"). Raisable per account and Region.
 */
export const DEFAULT_MANUAL_CLUSTER_SNAPSHOTS_QUOTA = 100;
/** At its peak a run holds, per cluster, a temporary snapshot and its copy on top of the retained ones. */
export const SNAPSHOTS_IN_PROGRESS_PER_CLUSTER = 2;
/** The id of the warning that `retainSnapshots` cannot fit the default quota, for `Annotations.acknowledgeWarning`. */
export const SNAPSHOT_QUOTA_WARNING = 'cdk-shared-cluster-snapshots:snapshotQuota';
/** Lambda's memory bounds, in MB (Lambda Developer Guide, "Configure Lambda function memory"). */
export const MIN_MEMORY_SIZE_MB = 128;
export const MAX_MEMORY_SIZE_MB = 10_240;
/** Lambda's `VpcConfig` holds at most 5 security groups (Lambda API Reference, `VpcConfig`). */
export const MAX_FUNCTION_SECURITY_GROUPS = 5;

/**
 * `snapshotSource` `newestAutomatedSnapshot(maxAge)` bounds, in seconds: at least an hour, at most
 * 35 days (the longest backup retention of RDS, so the longest an automated snapshot lives).
 */
export const MIN_AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS = 3600;
export const MAX_AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS = 35 * 86_400;
/** `maxRetention` bounds, in days: at least a day (a daily run), at most a year. */
export const MIN_MAX_RETENTION_DAYS = 1;
export const MAX_MAX_RETENTION_DAYS = 366;
/** `maxSnapshotAge` bounds, in hours. */
export const MIN_MAX_SNAPSHOT_AGE_HOURS = 1;
export const MAX_MAX_SNAPSHOT_AGE_HOURS = 366 * 24;
