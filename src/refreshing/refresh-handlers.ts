import type * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The Lambda functions of a `RefreshedDatabase`: `RefreshedDatabase.handlers`. Use them to add
 * alarms on their errors or duration, or to read their logs.
 */
export interface RefreshHandlers {
  /** Starts one refresh per scheduled time. */
  readonly startRefresh: lambda.IFunction;
  /** Plans a refresh: the newest copy, the serving database, what to delete first. */
  readonly prepareRefresh: lambda.IFunction;
  /** Deletes this construct's databases: leftovers, a failed refresh's, the previous one. */
  readonly deleteDatabases: lambda.IFunction;
  /** Restores the newest copy under a temporary name. */
  readonly restoreDatabase: lambda.IFunction;
  /** One check of a restore, its instances and secret, or the swap. */
  readonly checkDatabase: lambda.IFunction;
  /** Creates the restored database's instances. */
  readonly createInstances: lambda.IFunction;
  /** Resets the master password into a new Secrets Manager secret. */
  readonly resetMasterPassword: lambda.IFunction;
  /** Renames the serving database away and the new one into place, and rolls the names back after a failure (refresh mode). */
  readonly swapNames?: lambda.IFunction;
  /** Publishes the age of the serving database's data, hourly (refresh mode). */
  readonly publishDataAge?: lambda.IFunction;
  /** The built-in restore-test check: the database accepts a connection on its port (restore-test mode). */
  readonly checkConnection?: lambda.IFunction;
  /** Records a restore test's result as a metric and the detail of its event (restore-test mode). */
  readonly recordRestoreTest?: lambda.IFunction;
}
