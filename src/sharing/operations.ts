import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { freshnessOwnerDimension } from './handlers/freshness.lambda-shared';
import { HANDLER_NAMES, RUN_SKIPPED_METRIC } from '../shared/constants';
import { AlarmSubject, alarmSubjectOf, createFailureAlarm as createConstructFailureAlarm, RUNBOOK_URL, stateMachineConsoleUrl } from '../shared/operations';

/** A function's construct id, which is also its `Handler` metric dimension. */
export type HandlerName = typeof HANDLER_NAMES[keyof typeof HANDLER_NAMES];

/** What each function does, as its Lambda description shows it in the console (at most 256 characters). */
export const FUNCTION_DESCRIPTIONS: Readonly<Record<HandlerName, string>> = {
  Starter: 'SharedClusterSnapshots: starts one execution per cluster for each scheduled run',
  Prepare: 'SharedClusterSnapshots: checks the cluster and plans the run (Prepare step)',
  CreateSnapshot: 'SharedClusterSnapshots: snapshots one cluster (CreateSnapshot step)',
  CheckSnapshot: 'SharedClusterSnapshots: checks whether the snapshot or its copy is available (CheckSnapshot and CheckCopy steps)',
  CopySnapshot: 'SharedClusterSnapshots: copies the snapshot, re-encrypted with the sharing key (CopySnapshot step)',
  CopyToRegion: 'SharedClusterSnapshots: copies the shared snapshot into another Region under that Region\'s key (CopyToRegion-<region> steps)',
  ShareSnapshot: 'SharedClusterSnapshots: shares the snapshot with the target accounts (ShareSnapshot step)',
  CleanUp: 'SharedClusterSnapshots: deletes the temporary snapshot and shared snapshots beyond retainSnapshots (CleanUp step)',
  CleanUpFailedRun: 'SharedClusterSnapshots: deletes what a failed run created (CleanUpFailedRun step)',
  PublishFreshness: 'SharedClusterSnapshots: publishes the age of each selected cluster\'s newest shared snapshot (hourly)',
  RecordCopy: 'SharedClusterSnapshots: records a target account\'s Cluster Snapshot Copied confirmation as a tag (retainUntilCopied)',
};

/**
 * What to do when the failure alarm fires: which console page to open and which runbook to follow.
 * The console address is the commercial partition's (console.aws.amazon.com); elsewhere the
 * state machine's name is what to look for.
 */
export function failureAlarmDescription(subject: AlarmSubject): string {
  const { stateMachineName } = subject;
  return [
    'A SharedClusterSnapshots execution failed, timed out or was aborted, or its starter function failed.',
    `Open the state machine ${stateMachineName} in the Step Functions console`,
    `(${stateMachineConsoleUrl(subject)})`,
    'and its newest execution with status Failed, Timed out or Aborted: the error names the cause,',
    "the graph shows the failed step, and CleanUpFailedRun's output lists what it deleted.",
    "No failed execution: read the starter function's log group.",
    `Runbook: README, "Reading a failed execution" and "Troubleshooting" (${RUNBOOK_URL}).`,
  ].join(' ');
}

/** Alarms on any failed, timed-out or aborted execution, and on any starter error, within 5 minutes. */
export function createFailureAlarm(
  scope: Construct,
  stateMachine: sfn.StateMachine,
  starter: lambda.IFunction,
  alarmTopic?: sns.ITopic,
): cloudwatch.Alarm {
  return createConstructFailureAlarm(scope, {
    stateMachine,
    functionErrors: { starterErrors: starter },
    description: failureAlarmDescription(alarmSubjectOf(stateMachine)),
    label: 'Failed runs',
    alarmTopic,
  });
}

/** The skipped runs the starter and Prepare count (run-skipped.lambda-shared.ts), summed per hour by default. */
export function runSkippedMetric(ownerId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: RUN_SKIPPED_METRIC.namespace,
    metricName: RUN_SKIPPED_METRIC.runSkipped,
    dimensionsMap: { [RUN_SKIPPED_METRIC.ownerDimension]: freshnessOwnerDimension(ownerId) },
    statistic: 'Sum',
    period: Duration.hours(1),
    unit: cloudwatch.Unit.COUNT,
    ...props,
  });
}
