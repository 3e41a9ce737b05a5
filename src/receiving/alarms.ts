import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { ReceivedClusterSnapshotsProps } from './props';
import type { ReceiverHandlers } from './receiver-handlers';
import { freshnessPeriods, maxCopyAgeSeconds, RECEIVER_DEFAULTS } from './validation';
import { FRESHNESS_METRIC, TARGET_ERROR } from '../shared/constants';
import { AlarmSubject, alarmSubjectOf, createFailureAlarm, RUNBOOK_URL, stateMachineConsoleUrl } from '../shared/operations';

/** The freshness alarm's period; it alarms when every period of (scan interval + 1 hour) breaches. */
const FRESHNESS_PERIOD = Duration.hours(1);

/**
 * What to do when the receiver's failure alarm fires: which console page to open and which
 * runbook to follow. The console address is the commercial partition's (console.aws.amazon.com);
 * elsewhere the state machine's name is what to look for.
 */
export function receiverFailureAlarmDescription(subject: AlarmSubject): string {
  return [
    'A ReceivedClusterSnapshots copy execution failed, timed out or was aborted, or its receive-event or scan function failed.',
    `Open the state machine ${subject.stateMachineName} in the Step Functions console`,
    `(${stateMachineConsoleUrl(subject)})`,
    'and its newest execution with status Failed, Timed out or Aborted: the error names the cause and the graph shows the failed step.',
    'No failed execution: read the ReceiveEvent and ScanSharedSnapshots functions\' log groups',
    `(e.g. ${TARGET_ERROR.SharedSnapshotNotFound}, ${TARGET_ERROR.SourceIsOwnAccount}).`,
    `Runbook: README, "Reading a failed execution" and "Troubleshooting" (${RUNBOOK_URL}).`,
  ].join(' ');
}

/**
 * Alarms on any failed, timed-out or aborted copy execution, and on any error of the functions
 * that start copies (an event refused, a scan that failed), within 5 minutes.
 */
export function createReceiverFailureAlarm(
  scope: Construct,
  stateMachine: sfn.StateMachine,
  handlers: Pick<ReceiverHandlers, 'receiveEvent' | 'scan'>,
  alarmTopic?: sns.ITopic,
): cloudwatch.Alarm {
  return createFailureAlarm(scope, {
    stateMachine,
    functionErrors: { receiveEventErrors: handlers.receiveEvent, scanErrors: handlers.scan },
    description: receiverFailureAlarmDescription(alarmSubjectOf(stateMachine)),
    label: 'Failed copies',
    alarmTopic,
  });
}

/**
 * The age, in seconds, of the newest available copy of the stalest source database of `ownerId`:
 * Maximum over the period, 1 hour by default.
 */
export function newestCopyAgeMetric(ownerId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: FRESHNESS_METRIC.namespace,
    metricName: FRESHNESS_METRIC.newestCopyAge,
    dimensionsMap: { [FRESHNESS_METRIC.ownerDimension]: ownerId },
    statistic: 'Maximum',
    period: FRESHNESS_PERIOD,
    unit: cloudwatch.Unit.SECONDS,
    ...props,
  });
}

/** Alarms when the newest copy of any source database is older than `maxCopyAge`, or no freshness data arrives. */
export function createFreshnessAlarm(scope: Construct, ownerId: string, props: ReceivedClusterSnapshotsProps): cloudwatch.Alarm {
  const periods = freshnessPeriods(props);
  const alarm = new cloudwatch.Alarm(scope, 'FreshnessAlarm', {
    alarmDescription: 'The newest copy of a source database (DB cluster or DB instance) is older than maxCopyAge, or no freshness data arrived from the catch-up scan. '
      + 'Check the source side\'s runs, its key policy and shares, and the receiver\'s executions.',
    metric: newestCopyAgeMetric(ownerId),
    threshold: maxCopyAgeSeconds(props.maxCopyAge ?? RECEIVER_DEFAULTS.maxCopyAge),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  if (props.alarmTopic) alarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
  return alarm;
}
