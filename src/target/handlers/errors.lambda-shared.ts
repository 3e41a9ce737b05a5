import { ERROR, TARGET_ERROR } from '../../shared/constants';
import { WorkflowError } from '../../shared/errors.lambda-shared';

/** The event or input names a snapshot outside the configured sources. Not retried. */
export class SnapshotNotFromSource extends WorkflowError {
  public readonly name = TARGET_ERROR.SnapshotNotFromSource;
}

/** The shared snapshot is gone or no longer shared with this account. Not retried. */
export class SharedSnapshotNotFound extends WorkflowError {
  public readonly name = TARGET_ERROR.SharedSnapshotNotFound;
}

/** The copy ended in a state other than `available`. Not retried; the next scan tries again. */
export class CopyFailed extends WorkflowError {
  public readonly name = TARGET_ERROR.CopyFailed;
}

/**
 * RDS refused the copy with `SnapshotQuotaExceeded` while the manual snapshot quota still has room:
 * the limit of copies in progress per account and Region. Retried with backoff.
 */
export class CopyLimitReached extends WorkflowError {
  public readonly name = ERROR.CopyLimitReached;
}
