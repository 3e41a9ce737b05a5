import { ERROR } from './constants';

/**
 * Errors the state machine reacts to. Each sets `name` as a string literal: Step Functions matches
 * Retry/Catch on the Lambda error type (the error's `name`), and bundling may rename classes.
 */
export abstract class WorkflowError extends Error {
  public abstract readonly name: string;
}

/** The event is malformed or asks for something this construct does not manage. Not retried. */
export class InvalidInput extends WorkflowError {
  public readonly name = ERROR.InvalidInput;
}

/** The cluster does not exist. Not retried. */
export class ClusterNotFound extends WorkflowError {
  public readonly name = ERROR.ClusterNotFound;
}

/** The cluster is neither one of the configured ids nor carries the configured tag. Not retried. */
export class ClusterNotConfigured extends WorkflowError {
  public readonly name = ERROR.ClusterNotConfigured;
}

/** The cluster is not `available` (backing up, maintenance, stopped). Retried with backoff. */
export class ClusterNotAvailable extends WorkflowError {
  public readonly name = ERROR.ClusterNotAvailable;
}

/** The cluster is unencrypted and `allowUnencrypted` is off. Not retried. */
export class UnencryptedCluster extends WorkflowError {
  public readonly name = ERROR.UnencryptedCluster;
}

/** Another run of this construct is still snapshotting the cluster. Not retried: the state machine ends the run as skipped. */
export class RunInProgress extends WorkflowError {
  public readonly name = ERROR.RunInProgress;
}

/** The snapshot is still `creating` or `copying`. Retried every `waitInterval`. */
export class SnapshotNotReady extends WorkflowError {
  public readonly name = ERROR.SnapshotNotReady;
}

/** The snapshot reached a terminal state other than `available`, or vanished. Not retried. */
export class SnapshotFailed extends WorkflowError {
  public readonly name = ERROR.SnapshotFailed;
}

/** The snapshot was not available within `snapshotTimeout`. Not retried. */
export class SnapshotTimeout extends WorkflowError {
  public readonly name = ERROR.SnapshotTimeout;
}

/** An identifier this run derives is taken by a snapshot this construct does not own. Not retried. */
export class SnapshotIdentifierConflict extends WorkflowError {
  public readonly name = ERROR.SnapshotIdentifierConflict;
}

/** The Region's manual cluster snapshot quota is used up. Not retried. */
export class SnapshotQuotaExceeded extends WorkflowError {
  public readonly name = ERROR.SnapshotQuotaExceeded;
}

/** A snapshot may be shared with at most 20 accounts. Not retried. */
export class SharedSnapshotQuotaExceeded extends WorkflowError {
  public readonly name = ERROR.SharedSnapshotQuotaExceeded;
}

/** RDS may not use the sharing key (key policy, disabled key). Not retried. */
export class KmsKeyNotAccessible extends WorkflowError {
  public readonly name = ERROR.KmsKeyNotAccessible;
}

/**
 * Another copy may not start yet: `maxConcurrentCopies` copies are in progress in the account and
 * Region, or RDS refused the copy for its own copy limit while the manual-snapshot quota has room.
 * Retried every `waitInterval` until the copy phase's deadline.
 */
export class CopyLimitReached extends WorkflowError {
  public readonly name = ERROR.CopyLimitReached;
}

/** RDS refused to re-encrypt the snapshot with the sharing key on copy. Not retried. */
export class ReEncryptionRefused extends WorkflowError {
  public readonly name = ERROR.ReEncryptionRefused;
}

/** The DB instance does not exist. Not retried. */
export class InstanceNotFound extends WorkflowError {
  public readonly name = ERROR.InstanceNotFound;
}

/** The DB instance is neither one of the configured ids nor carries the configured tag. Not retried. */
export class InstanceNotConfigured extends WorkflowError {
  public readonly name = ERROR.InstanceNotConfigured;
}

/** The DB instance is not `available`. Retried with backoff. */
export class InstanceNotAvailable extends WorkflowError {
  public readonly name = ERROR.InstanceNotAvailable;
}

/** The DB instance belongs to a DB cluster (`CreateDBSnapshot` refuses it): select the cluster. Not retried. */
export class InstanceIsClusterMember extends WorkflowError {
  public readonly name = ERROR.InstanceIsClusterMember;
}

/** The DB instance is a read replica: select its source instance. Not retried. */
export class InstanceIsReadReplica extends WorkflowError {
  public readonly name = ERROR.InstanceIsReadReplica;
}

/** The DB instance uses TDE (Oracle or SQL Server): RDS refuses to share its snapshots. Not retried. */
export class TdeNotShareable extends WorkflowError {
  public readonly name = ERROR.TdeNotShareable;
}

/** The DB instance's option group holds permanent or persistent options RDS refuses to share. Not retried. */
export class OptionsNotShareable extends WorkflowError {
  public readonly name = ERROR.OptionsNotShareable;
}

/** A Multi-AZ DB cluster whose snapshots could be shared only by a copy, which RDS does not make of them. Not retried. */
export class MultiAzClusterNotShareable extends WorkflowError {
  public readonly name = ERROR.MultiAzClusterNotShareable;
}

/** The starter could not start every execution. */
export class StartExecutionsFailed extends WorkflowError {
  public readonly name = ERROR.StartExecutionsFailed;
}

/** `targetAccountIds` lists the account the starter runs in: nothing is started. */
export class TargetIsOwnAccount extends WorkflowError {
  public readonly name = ERROR.TargetIsOwnAccount;
}

/** True when `error` is an SDK v3 exception with the given `name`. Never matches on message text. */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}
