import type * as lambda from 'aws-cdk-lib/aws-lambda';

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
}
