import { TARGET_ERROR } from '../../shared/constants';
import { WorkflowError } from '../../shared/errors.lambda-shared';

/** The event or input names a snapshot outside the configured sources. Not retried. */
export class SnapshotNotFromSource extends WorkflowError {
  public readonly name = TARGET_ERROR.SnapshotNotFromSource;
}

/**
 * A snapshot of a source account that is outside this receiver's selection (`sourceSnapshotPrefix`,
 * `clusterIdentifiers`): named `SnapshotNotFromSource` like any refusal, but an event for it is
 * expected (the source shares more than this receiver copies), so the receive-event function skips
 * it rather than failing.
 */
export class SnapshotNotSelected extends SnapshotNotFromSource {}

/** `sourceAccountIds` lists the account the receiver runs in: nothing is copied. */
export class SourceIsOwnAccount extends WorkflowError {
  public readonly name = TARGET_ERROR.SourceIsOwnAccount;
}

/** The shared snapshot is gone or no longer shared with this account. Not retried. */
export class SharedSnapshotNotFound extends WorkflowError {
  public readonly name = TARGET_ERROR.SharedSnapshotNotFound;
}

/** The copy ended in a state other than `available`. Not retried; the next scan tries again. */
export class CopyFailed extends WorkflowError {
  public readonly name = TARGET_ERROR.CopyFailed;
}

// CopyLimitReached is the source side's (src/shared/errors.lambda-shared.ts): the same RDS limit.
export { CopyLimitReached } from '../../shared/errors.lambda-shared';

/**
 * A shared DB snapshot needs a target option group holding its permanent options (Oracle `Timezone`
 * or `OLS`), and `optionGroupName` is not set, does not exist, or lacks them. No copy was started.
 */
export class OptionGroupRequired extends WorkflowError {
  public readonly name = TARGET_ERROR.OptionGroupRequired;
}

/** RDS in a replica Region cannot use that Region's key (disabled, deleted, or its policy refuses): that Region's replica fails. */
export class ReplicaKeyNotAccessible extends WorkflowError {
  public readonly name = TARGET_ERROR.ReplicaKeyNotAccessible;
}

/** A replica input names a Region outside `replicaRegions`, or a snapshot that is not this receiver's copy. Not retried. */
export class ReplicaNotConfigured extends WorkflowError {
  public readonly name = TARGET_ERROR.ReplicaNotConfigured;
}
