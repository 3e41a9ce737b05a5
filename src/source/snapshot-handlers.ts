import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The Lambda functions the state machine calls, one per step: `SharedClusterSnapshots.handlers`.
 * Use them to add alarms on their errors or duration, or to read their log groups.
 */
export interface SnapshotHandlers {
  /** Prepare: checks that the cluster is configured, available and not mid-run, and plans the run. */
  readonly prepare: lambda.IFunction;
  /** CreateSnapshot: starts the cluster's snapshot, tagged as this run's. */
  readonly createSnapshot: lambda.IFunction;
  /** CheckSnapshot and CheckCopy: one status check of the snapshot or the copy being waited for. */
  readonly checkSnapshot: lambda.IFunction;
  /** CopySnapshot: copies the snapshot, re-encrypting it with the sharing key. */
  readonly copySnapshot: lambda.IFunction;
  /** ShareSnapshot: lets the target accounts restore the shared snapshot. */
  readonly shareSnapshot: lambda.IFunction;
  /** CleanUp: deletes the run's temporary snapshot and shared snapshots beyond `retainSnapshots`. */
  readonly cleanUp: lambda.IFunction;
  /** CleanUpFailedRun: deletes what a failed run created, then the execution fails with its error. */
  readonly cleanUpFailedRun: lambda.IFunction;
}
