import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';

/**
 * The Lambda functions of a `ReceivedClusterSnapshots`: `ReceivedClusterSnapshots.handlers`. Use them
 * to add alarms on their errors or duration, or to read their logs.
 */
export interface ReceiverHandlers {
  /** Takes each `Cluster Snapshot Shared` event from a source account, checks it, and starts one copy. */
  readonly receiveEvent: lambda.IFunction;
  /** The catch-up scan, which lists the snapshots shared with this account, starts the missing copies and publishes freshness. */
  readonly scan: lambda.IFunction;
  /** CopySnapshot: copies one shared snapshot under this account's key. */
  readonly copySnapshot: lambda.IFunction;
  /** CheckCopy: one status check of the copy being waited for. */
  readonly checkCopy: lambda.IFunction;
  /** RetainCopies: deletes this instance's older copies of the source cluster beyond `retainCopies`. */
  readonly retainCopies: lambda.IFunction;
  /** With `replicaRegions`: StartReplicas, which starts one replica execution per Region once a copy is kept. */
  readonly startReplicas?: lambda.IFunction;
  /** With `replicaRegions`: CopyReplica, which copies a copy into a replica Region under that Region's key. */
  readonly copyReplica?: lambda.IFunction;
  /** With `replicaRegions`: CheckReplica, one status check of a replica in its Region. */
  readonly checkReplica?: lambda.IFunction;
  /** With `replicaRegions`: RetainReplicas, which deletes older replicas in a Region beyond its `retainCopies`. */
  readonly retainReplicas?: lambda.IFunction;
}

/**
 * The log groups of the functions in `ReceiverHandlers`: `ReceivedClusterSnapshots.handlerLogGroups`.
 * Each function writes one JSON line per event to its own group.
 */
export interface ReceiverHandlerLogGroups {
  /** The receive-event function's log group: each event, and why one was refused or skipped. */
  readonly receiveEvent: logs.ILogGroup;
  /** The catch-up scan's log group: what each scan found, started and published. */
  readonly scan: logs.ILogGroup;
  /** CopySharedSnapshot's log group. */
  readonly copySnapshot: logs.ILogGroup;
  /** CheckCopy's log group. */
  readonly checkCopy: logs.ILogGroup;
  /** RetainCopies' log group. */
  readonly retainCopies: logs.ILogGroup;
  /** StartReplicas' log group (with `replicaRegions`). */
  readonly startReplicas?: logs.ILogGroup;
  /** CopyReplica's log group (with `replicaRegions`). */
  readonly copyReplica?: logs.ILogGroup;
  /** CheckReplica's log group (with `replicaRegions`). */
  readonly checkReplica?: logs.ILogGroup;
  /** RetainReplicas' log group (with `replicaRegions`). */
  readonly retainReplicas?: logs.ILogGroup;
}
