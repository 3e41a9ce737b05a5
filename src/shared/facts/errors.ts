/**
 * The error names the handlers throw and the state machines match in Retry and Catch.
 *
 * A fact module (see ../constants.ts): imported by the constructs and the handlers, so it imports
 * only other fact modules.
 */
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
  /** No DB instance with the id exists in this account and Region. Not retried. */
  InstanceNotFound: 'InstanceNotFound',
  /** A manual start named a DB instance that is neither configured nor tagged. Not retried. */
  InstanceNotConfigured: 'InstanceNotConfigured',
  /** The DB instance is not `available` (backing up, maintenance, stopped). Retried with backoff. */
  InstanceNotAvailable: 'InstanceNotAvailable',
  /** The DB instance is a member of an Aurora or Multi-AZ DB cluster: its cluster is snapshotted, not it. Not retried. */
  InstanceIsClusterMember: 'InstanceIsClusterMember',
  /** The DB instance is a read replica: snapshot its source instead. Not retried. */
  InstanceIsReadReplica: 'InstanceIsReadReplica',
  /** The DB instance uses Oracle or SQL Server Transparent Data Encryption (option `TDE`): RDS cannot share its snapshots. Not retried. */
  TdeNotShareable: 'TdeNotShareable',
  /** The DB instance's option group holds permanent or persistent options other than Oracle `Timezone`/`OLS`: RDS cannot share its snapshots. Not retried. */
  OptionsNotShareable: 'OptionsNotShareable',
  /** A Multi-AZ DB cluster on a key the targets may not use: its snapshots cannot be copied to re-encrypt them. Not retried. */
  MultiAzClusterNotShareable: 'MultiAzClusterNotShareable',
  /** A target account is the account the construct runs in (found at run time when the stack's account was unknown at synth). */
  TargetIsOwnAccount: 'TargetIsOwnAccount',
  /**
   * The snapshot is shared, but a `Cluster Snapshot Shared` event was not put on this account's bus or
   * (with `notifyTargetAccounts`) a target account's bus: a target without a receiver refuses it.
   */
  SharedEventNotPut: 'SharedEventNotPut',
  /**
   * The snapshot is shared in the stack's Region, but its copy in one or more of `regions` failed
   * (each Region's own error is in the cause and in that Region's `Cluster Snapshot Failed` event).
   */
  RegionCopyFailed: 'RegionCopyFailed',
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
  /**
   * A shared DB snapshot needs a target option group (Oracle `Timezone`/`OLS`) and the receiver has
   * no `optionGroupName`: no copy was started.
   */
  OptionGroupRequired: 'OptionGroupRequired',
  /** A source account is the account the receiver runs in (found at run time when the stack's account was unknown at synth). */
  SourceIsOwnAccount: 'SourceIsOwnAccount',
  /** RDS cannot use a replica Region's key (disabled, deleted, or not usable by this account): that Region's replicas fail, the others go on. */
  ReplicaKeyNotAccessible: 'ReplicaKeyNotAccessible',
  /** A replica input names a Region that is not in `replicaRegions`, or a copy this instance does not own. Not retried. */
  ReplicaNotConfigured: 'ReplicaNotConfigured',
} as const;

/** The source side's error names for untrusted `Cluster Snapshot Copied` events. */
export const CONFIRMATION_ERROR = {
  /** The event names an account, Region, prefix, owner or snapshot this instance does not accept. */
  ConfirmationRefused: 'ConfirmationRefused',
} as const;
