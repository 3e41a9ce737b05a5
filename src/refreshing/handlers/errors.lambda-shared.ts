import { REFRESH_ERROR } from '../../shared/constants';
import { WorkflowError } from '../../shared/errors.lambda-shared';

/** No available copy of the source cluster carries the receiver's owner id. Not retried. */
export class NoCopyAvailable extends WorkflowError {
  public readonly name = REFRESH_ERROR.NoCopyAvailable;
}

/** A name this instance uses is held by a database it did not create. Not retried. */
export class DatabaseNotOwned extends WorkflowError {
  public readonly name = REFRESH_ERROR.DatabaseNotOwned;
}

/** Another refresh of this instance is restoring a database now. Not retried. */
export class RefreshInProgress extends WorkflowError {
  public readonly name = REFRESH_ERROR.RefreshInProgress;
}

/** RDS refused the restore (or an instance), or the database ended in a status other than `available`. Not retried. */
export class RestoreFailed extends WorkflowError {
  public readonly name = REFRESH_ERROR.RestoreFailed;
}

/** The database, an instance or a rename is still in progress. Retried every `waitInterval`. */
export class DatabaseNotReady extends WorkflowError {
  public readonly name = REFRESH_ERROR.DatabaseNotReady;
}

/** The restore phase outlasted `restoreTimeout`. Not retried. */
export class RestoreTimeout extends WorkflowError {
  public readonly name = REFRESH_ERROR.RestoreTimeout;
}

/** A rename of the swap failed for good. Not retried: the names are rolled back. */
export class SwapFailed extends WorkflowError {
  public readonly name = REFRESH_ERROR.SwapFailed;
}

/** A deletion is still in progress. Retried every `waitInterval`. */
export class DeletionInProgress extends WorkflowError {
  public readonly name = REFRESH_ERROR.DeletionInProgress;
}

/** The built-in restore-test check could not connect to the database. Not retried. */
export class RestoreTestFailed extends WorkflowError {
  public readonly name = REFRESH_ERROR.RestoreTestFailed;
}
