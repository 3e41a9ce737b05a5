/**
 * Facts the constructs and the handlers share: defaults, environment keys, limits, error names and
 * tag keys. One place each, so the construct that sets a value and the handler that reads it cannot
 * disagree.
 *
 * This module is imported by the handlers AND by the constructs: it must import nothing (no AWS SDK,
 * no aws-cdk-lib, no Node built-ins), so it costs nothing in either bundle.
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
  STATE_MACHINE_ARN: 'STATE_MACHINE_ARN',
  RDS_REQUESTS_PER_SECOND: 'RDS_REQUESTS_PER_SECOND',
  MAX_CONCURRENT_COPIES: 'MAX_CONCURRENT_COPIES',
  /** `snapshotTags` as a JSON object, on CreateSnapshot and CopySnapshot; absent when there are none. */
  SNAPSHOT_TAGS: 'SNAPSHOT_TAGS',
} as const;

/** Set to 'true' to silence the handlers' JSON logs (the simulator and tests do). */
export const SILENT_LOGS_VARIABLE = 'SHARED_CLUSTER_SNAPSHOTS_SILENT';

/** Defaults of the construct's props, in the units the handlers read them. */
export const DEFAULTS = {
  /** `rdsRequestsPerSecond`: leaves room under RDS's ~12 requests/s per account and Region. */
  rdsRequestsPerSecond: 8,
  /** `waitInterval`. */
  waitIntervalSeconds: 60,
  /** `snapshotTimeout`, before the cap of `MAX_CHECKS_PER_PHASE` checks. */
  snapshotTimeoutSeconds: 6 * 3600,
  /** `retainSnapshots`. */
  retainSnapshots: 1,
  /** `snapshotPrefix`. */
  snapshotPrefix: 'shared',
  /** `maxConcurrentCopies`: the documented limit of copies in progress per account and Region. */
  maxConcurrentCopies: 5,
} as const;

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

/** Tag keys on every snapshot this construct creates. A deletion requires all of them to match. */
export const TAG_OWNER = 'shared-cluster-snapshots:owner';
export const TAG_CLUSTER = 'shared-cluster-snapshots:cluster';
export const TAG_ROLE = 'shared-cluster-snapshots:role';
export const TAG_RUN = 'shared-cluster-snapshots:run';
/** Tags under this prefix are the construct's own: users may not set them. */
export const RESERVED_TAG_PREFIX = 'shared-cluster-snapshots:';

/**
 * The names of the errors the handlers throw and the state machine matches in Retry and Catch
 * (Step Functions matches on the Lambda error type, which is the error's `name`).
 */
export const ERROR = {
  InvalidInput: 'InvalidInput',
  ClusterNotFound: 'ClusterNotFound',
  ClusterNotConfigured: 'ClusterNotConfigured',
  ClusterNotAvailable: 'ClusterNotAvailable',
  UnencryptedCluster: 'UnencryptedCluster',
  RunInProgress: 'RunInProgress',
  SnapshotNotReady: 'SnapshotNotReady',
  SnapshotFailed: 'SnapshotFailed',
  SnapshotTimeout: 'SnapshotTimeout',
  SnapshotIdentifierConflict: 'SnapshotIdentifierConflict',
  SnapshotQuotaExceeded: 'SnapshotQuotaExceeded',
  SharedSnapshotQuotaExceeded: 'SharedSnapshotQuotaExceeded',
  KmsKeyNotAccessible: 'KmsKeyNotAccessible',
  CopyLimitReached: 'CopyLimitReached',
  ReEncryptionRefused: 'ReEncryptionRefused',
  StartExecutionsFailed: 'StartExecutionsFailed',
  /** A target account is the account the construct runs in (found at run time when the stack's account was unknown at synth). */
  TargetIsOwnAccount: 'TargetIsOwnAccount',
  /**
   * The snapshot is shared, but a `Cluster Snapshot Shared` event was not put on this account's bus or
   * (with `notifyTargetAccounts`) a target account's bus: a target without a receiver refuses it.
   */
  SharedEventNotPut: 'SharedEventNotPut',
} as const;

/**
 * The names the state machine retries as transient AWS errors: throttling and 5xx faults.
 * The SDK's own retries come first; these cover bursts that outlast them.
 */
export const TRANSIENT_AWS_ERRORS = [
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
];

/**
 * Lambda's own faults when Step Functions invokes a function, which the state machine retries with
 * `TRANSIENT_AWS_ERRORS`. The list AWS recommends retrying (Step Functions Developer Guide, "Handle
 * transient Lambda service exceptions"); CDK's LambdaInvoke retries the same by default.
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** The DescribeAccountAttributes quota that counts manual DB cluster snapshots (copies included). */
export const MANUAL_CLUSTER_SNAPSHOTS_QUOTA = 'ManualClusterSnapshots';

// ---- The handoff between the two sides (SharedClusterSnapshots -> ReceivedClusterSnapshots) ----

/** The `source` of every event either side puts on an event bus. */
export const EVENT_SOURCE = 'cdk-shared-cluster-snapshots';

/** The `detail-type` of each event. */
export const EVENT_DETAIL_TYPE = {
  /** Put by the source side after each successful share; detail: `SnapshotSharedDetail`. */
  shared: 'Cluster Snapshot Shared',
  /** Put by the source side after a failed run; detail: `SnapshotFailedDetail`. */
  failed: 'Cluster Snapshot Failed',
  /** Put by the target side on the source account's default bus once its copy is available; detail: `SnapshotCopiedDetail`. */
  copied: 'Cluster Snapshot Copied',
} as const;

/** Tag keys on every copy the receiver makes. Deleting a copy requires them to match. */
export const TARGET_TAG_OWNER = 'received-cluster-snapshots:owner';
export const TARGET_TAG_SOURCE_ACCOUNT = 'received-cluster-snapshots:source-account';
export const TARGET_TAG_SOURCE_CLUSTER = 'received-cluster-snapshots:source-cluster';
export const TARGET_TAG_SOURCE_SNAPSHOT = 'received-cluster-snapshots:source-snapshot-arn';

// ---- The receiver (ReceivedClusterSnapshots) ----

/** Environment variables the receiver's functions read (besides `ENV.OWNER_ID`, `ENV.STATE_MACHINE_ARN`, the wait settings). */
export const TARGET_ENV = {
  SOURCE_ACCOUNT_IDS: 'SOURCE_ACCOUNT_IDS',
  SOURCE_SNAPSHOT_PREFIX: 'SOURCE_SNAPSHOT_PREFIX',
  SOURCE_CLUSTER_IDENTIFIERS: 'SOURCE_CLUSTER_IDENTIFIERS',
  COPY_PREFIX: 'COPY_PREFIX',
  COPY_KEY_ARN: 'COPY_KEY_ARN',
  RETAIN_COPIES: 'RETAIN_COPIES',
  CONFIRM_COPIES: 'CONFIRM_COPIES',
} as const;

/** Defaults of the receiver's props, in the units the handlers read them. */
export const TARGET_DEFAULTS = {
  /** `retainCopies`. */
  retainCopies: 7,
  /** `copyPrefix`. */
  copyPrefix: 'received',
  /** `schedule`: the catch-up scan, every 6 hours. */
  scanIntervalHours: 6,
  /** `maxCopyAge`: a daily source schedule plus two hours of slack. */
  maxCopyAgeHours: 26,
} as const;

/** `sourceAccountIds`: at most this many (the bus policy and the IAM policies list each one). */
export const MAX_SOURCE_ACCOUNTS = 20;
/** `clusterIdentifiers` of the receiver: at most this many, so the handlers' environment stays under Lambda's 4 KB. */
export const MAX_RECEIVED_CLUSTERS = 40;
/** `retainCopies` bounds: the Region's default manual cluster snapshot quota is 100. */
export const MAX_RETAIN_COPIES = 100;

/**
 * Tag on every copy: the source snapshot's creation time (ISO-8601). Copies are ordered, and their
 * freshness measured, by when the source data was taken, not by when the copy was made.
 */
export const TARGET_TAG_SOURCE_SNAPSHOT_TIME = 'received-cluster-snapshots:source-snapshot-time';

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
} as const;

/**
 * The age published for a cluster with no available copy at all (a configured cluster never
 * received, or one whose first copy is still in progress): ten years, far past any `maxCopyAge`.
 */
export const NO_COPY_AGE_SECONDS = 10 * 365 * 86_400;
/** `SourceAccount` dimension of a configured cluster that no source account has shared yet. */
export const UNKNOWN_SOURCE_ACCOUNT = 'none';

/** The receiver's own error names (it also throws the shared ones in `ERROR`). */
export const TARGET_ERROR = {
  /** The event or input names an account, Region, prefix or cluster outside the configured sources. */
  SnapshotNotFromSource: 'SnapshotNotFromSource',
  /** The shared snapshot is no longer visible to this account (deleted or unshared by the source). */
  SharedSnapshotNotFound: 'SharedSnapshotNotFound',
  /** The copy reached a terminal state other than `available`. */
  CopyFailed: 'CopyFailed',
  /** PutEvents did not accept the `Cluster Snapshot Copied` confirmation. */
  ConfirmationFailed: 'ConfirmationFailed',
} as const;

// ---- Synth-time checks (issue 10): the quota warning ----

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

// ---- Knobs of SharedClusterSnapshots: function options and snapshotTags (issue 10) ----

/** `memorySize` of every handler function, in MB: the handlers only wait on AWS API calls. */
export const DEFAULT_MEMORY_SIZE_MB = 256;
/** Lambda's memory bounds, in MB (Lambda Developer Guide, "Configure Lambda function memory"). */
export const MIN_MEMORY_SIZE_MB = 128;
export const MAX_MEMORY_SIZE_MB = 10_240;

/** RDS: "Each Amazon RDS resource can have up to 50 tags" (Aurora User Guide, "Tagging Amazon RDS resources"). */
export const MAX_TAGS_PER_RESOURCE = 50;
/** The tags this construct itself puts on every snapshot (TAG_OWNER, TAG_CLUSTER, TAG_ROLE, TAG_RUN). */
export const OWN_SNAPSHOT_TAG_COUNT = 4;
/**
 * RDS tag keys are 1-128 characters, values 0-256; neither may start with `aws:` or `rds:` (RDS API
 * Reference, `Tag`; the same text is on the `Tag` shape of `@aws-sdk/client-rds`).
 */
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** RDS tag keys and values: Unicode letters, digits, white space and `_ . : / = + - @` (the `Tag` shape's Java regex). */
export const TAG_CHARACTERS_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** Prefixes RDS refuses in tag keys and values (the `Tag` shape); `snapshotTags` also refuses `RESERVED_TAG_PREFIX` in keys. */
export const AWS_RESERVED_TAG_PREFIXES = ['aws:', 'rds:'] as const;
/** Lambda's `VpcConfig` holds at most 5 security groups (Lambda API Reference, `VpcConfig`). */
export const MAX_FUNCTION_SECURITY_GROUPS = 5;

// --- Operations (issue 10): the handlers' metrics, in CloudWatch embedded metric format ---

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
  shareSnapshot: 'ShareSnapshot',
  cleanUp: 'CleanUp',
  cleanUpFailedRun: 'CleanUpFailedRun',
  publishFreshness: 'PublishFreshness',
  recordCopy: 'RecordCopy',
} as const;

// ---- The source side's events, confirmations and freshness (SharedClusterSnapshots, issue 9) ----

/** Environment variables of the source side's event, confirmation and freshness handlers. */
export const SOURCE_EVENTS_ENV = {
  /** 'true' with `retainUntilCopied`: CleanUp keeps an expired snapshot until its copies are confirmed. */
  RETAIN_UNTIL_COPIED: 'RETAIN_UNTIL_COPIED',
  /** `maxRetention`, in seconds: past it, an unconfirmed snapshot is pruned anyway. */
  MAX_RETENTION_SECONDS: 'MAX_RETENTION_SECONDS',
  /** This stack's account: a confirmation must name one of its snapshots. */
  ACCOUNT_ID: 'ACCOUNT_ID',
} as const;

/** Defaults of the source side's event and freshness props, in the units the handlers read them. */
export const SOURCE_EVENTS_DEFAULTS = {
  /** `maxRetention`: a week, long enough for a receiver that was down over a weekend. */
  maxRetentionDays: 7,
  /** `maxSnapshotAge`: a daily schedule plus two hours of slack. */
  maxSnapshotAgeHours: 26,
} as const;

/** `maxRetention` bounds, in days: at least a day (a daily run), at most a year. */
export const MIN_MAX_RETENTION_DAYS = 1;
export const MAX_MAX_RETENTION_DAYS = 366;
/** `maxSnapshotAge` bounds, in hours. */
export const MIN_MAX_SNAPSHOT_AGE_HOURS = 1;
export const MAX_MAX_SNAPSHOT_AGE_HOURS = 366 * 24;

/**
 * A target's confirmation that it copied a shared snapshot: tag `<prefix><target account>` on the
 * shared snapshot, value the time it was recorded (ISO-8601). Only the confirmation handler sets it.
 */
export const TAG_COPIED_PREFIX = 'shared-cluster-snapshots:copied-';
/**
 * The value CleanUp gives that tag on the new snapshot for every target known to run a receiver:
 * awaited, not confirmed yet. It carries the knowledge of who runs a receiver past the deletion of
 * the snapshots they confirmed, so a receiver that is down keeps the next snapshots too.
 */
export const COPY_PENDING = 'pending';

/** The source side's freshness metric (embedded metric format, one record per selected cluster). */
export const SOURCE_FRESHNESS_METRIC = {
  namespace: FRESHNESS_METRIC.namespace,
  /** Seconds since the newest shared snapshot of the cluster was taken. */
  newestSnapshotAge: 'NewestSharedSnapshotAge',
  /** Every record carries this dimension (the instance's owner id): its Maximum is the stalest cluster. */
  ownerDimension: FRESHNESS_METRIC.ownerDimension,
  clusterDimension: 'Cluster',
} as const;

/** The age published for a selected cluster with no shared snapshot at all: far past any `maxSnapshotAge`. */
export const NO_SNAPSHOT_AGE_SECONDS = NO_COPY_AGE_SECONDS;

/** The source side's error names for untrusted `Cluster Snapshot Copied` events. */
export const CONFIRMATION_ERROR = {
  /** The event names an account, Region, prefix, owner or snapshot this instance does not accept. */
  ConfirmationRefused: 'ConfirmationRefused',
} as const;
