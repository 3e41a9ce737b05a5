import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

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
  /**
   * With `regions`, CopyToRegion: copies the shared snapshot into each other Region under its key
   * (CheckSnapshot, ShareSnapshot, CleanUp and CleanUpFailedRun then do their part there too).
   * @default - none without `regions`
   */
  readonly copyToRegion?: lambda.IFunction;
}

/**
 * The log groups of the functions in `SnapshotHandlers`, one per step: `SharedClusterSnapshots.handlerLogGroups`.
 * Each function writes one JSON line per event, and one metric line per invocation, to its own group.
 */
export interface SnapshotHandlerLogGroups {
  /** Prepare's log group. */
  readonly prepare: logs.ILogGroup;
  /** CreateSnapshot's log group. */
  readonly createSnapshot: logs.ILogGroup;
  /** The log group of the function behind CheckSnapshot and CheckCopy. */
  readonly checkSnapshot: logs.ILogGroup;
  /** CopySnapshot's log group. */
  readonly copySnapshot: logs.ILogGroup;
  /** ShareSnapshot's log group. */
  readonly shareSnapshot: logs.ILogGroup;
  /** CleanUp's log group. */
  readonly cleanUp: logs.ILogGroup;
  /** CleanUpFailedRun's log group. */
  readonly cleanUpFailedRun: logs.ILogGroup;
  /** With `regions`, CopyToRegion's log group. @default - none without `regions` */
  readonly copyToRegion?: logs.ILogGroup;
}
