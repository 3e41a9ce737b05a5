import { ArnFormat, Duration, Fn, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { freshnessOwnerDimension } from './handlers/freshness.lambda-shared';
import { HANDLER_NAMES, RUN_SKIPPED_METRIC } from '../shared/constants';

/** Where the alarm description's runbook lives: the README's Troubleshooting section. */
export const RUNBOOK_URL = 'https://github.com/cdk-shared-cluster-snapshots/cdk-shared-cluster-snapshots#troubleshooting';
/** CloudWatch's limit for an alarm description (PutMetricAlarm, AlarmDescription). */
export const MAX_ALARM_DESCRIPTION_LENGTH = 1024;

/** Step Functions log groups go under this prefix (see createStateMachineLogGroup). */
const VENDED_LOGS_PREFIX = '/aws/vendedlogs/states/';
/** CloudWatch Logs' limit for a log group name. */
const MAX_LOG_GROUP_NAME_LENGTH = 512;
/** The UUID at the end of a CloudFormation stack id (`arn:...:stack/<name>/<uuid>`). */
const STACK_UUID_LENGTH = 36;

/** A function's construct id, which is also its `Handler` metric dimension. */
export type HandlerName = typeof HANDLER_NAMES[keyof typeof HANDLER_NAMES];

/** What each function does, as its Lambda description shows it in the console (at most 256 characters). */
export const FUNCTION_DESCRIPTIONS: Readonly<Record<HandlerName, string>> = {
  Starter: 'SharedClusterSnapshots: starts one execution per cluster for each scheduled run',
  Prepare: 'SharedClusterSnapshots: checks the cluster and plans the run (Prepare step)',
  CreateSnapshot: 'SharedClusterSnapshots: snapshots one cluster (CreateSnapshot step)',
  CheckSnapshot: 'SharedClusterSnapshots: checks whether the snapshot or its copy is available (CheckSnapshot and CheckCopy steps)',
  CopySnapshot: 'SharedClusterSnapshots: copies the snapshot, re-encrypted with the sharing key (CopySnapshot step)',
  ShareSnapshot: 'SharedClusterSnapshots: shares the snapshot with the target accounts (ShareSnapshot step)',
  CleanUp: 'SharedClusterSnapshots: deletes the temporary snapshot and shared snapshots beyond retainSnapshots (CleanUp step)',
  CleanUpFailedRun: 'SharedClusterSnapshots: deletes what a failed run created (CleanUpFailedRun step)',
  PublishFreshness: 'SharedClusterSnapshots: publishes the age of each selected cluster\'s newest shared snapshot (hourly)',
  RecordCopy: 'SharedClusterSnapshots: records a target account\'s Cluster Snapshot Copied confirmation as a tag (retainUntilCopied)',
};

/** The state machine and where its failed executions are read, for the alarm's description. */
export interface AlarmSubject {
  readonly region: string;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
}

/**
 * What to do when the failure alarm fires: which console page to open and which runbook to follow.
 * The console address is the commercial partition's (console.aws.amazon.com); elsewhere the
 * state machine's name is what to look for.
 */
export function failureAlarmDescription({ region, stateMachineName, stateMachineArn }: AlarmSubject): string {
  return [
    'A SharedClusterSnapshots execution failed, timed out or was aborted, or its starter function failed.',
    `Open the state machine ${stateMachineName} in the Step Functions console`,
    `(https://${region}.console.aws.amazon.com/states/home?region=${region}#/statemachines/view/${stateMachineArn})`,
    'and its newest execution with status Failed, Timed out or Aborted: the error names the cause,',
    "the graph shows the failed step, and CleanUpFailedRun's output lists what it deleted.",
    "No failed execution: read the starter function's log group.",
    `Runbook: README, "Reading a failed execution" and "Troubleshooting" (${RUNBOOK_URL}).`,
  ].join(' ');
}

/**
 * Read access to one state machine's executions: what an operator needs to read a failed
 * execution (its status, error, cause and history) and the logs around it.
 */
export function grantReadExecutions(
  stateMachine: sfn.IStateMachine,
  stateMachineName: string,
  logGroups: logs.ILogGroup[],
  grantee: iam.IGrantable,
): iam.Grant {
  const executions = Stack.of(stateMachine).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const grant = iam.Grant.addToPrincipal({
    grantee,
    actions: ['states:ListExecutions', 'states:DescribeStateMachine'],
    resourceArns: [stateMachine.stateMachineArn],
  }).combine(iam.Grant.addToPrincipal({
    grantee,
    actions: ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:DescribeStateMachineForExecution'],
    resourceArns: [executions],
  }));
  return logGroups.reduce((all, logGroup) => all.combine(logGroup.grantRead(grantee)), grant);
}

/**
 * Log groups under `/aws/vendedlogs/states/` need no entry in the account's CloudWatch Logs
 * resource policy, which is capped at 5,120 characters; any other name adds one per state machine
 * (Step Functions Developer Guide, "Logging using CloudWatch Logs"). The name is unique per stack
 * and construct path, and ends with the stack id's UUID: the group is retained when the stack is
 * deleted, and a retained group of the same name would block the stack's next creation.
 */
export function createStateMachineLogGroup(scope: Construct, retention: logs.RetentionDays): logs.LogGroup {
  const stackUuid = Fn.select(2, Fn.split('/', Stack.of(scope).stackId));
  const unique = Names.uniqueResourceName(scope, {
    maxLength: MAX_LOG_GROUP_NAME_LENGTH - VENDED_LOGS_PREFIX.length - STACK_UUID_LENGTH - 1,
    separator: '-',
    allowedSpecialCharacters: '-_.',
  });
  return new logs.LogGroup(scope, 'StateMachineLogs', {
    logGroupName: `${VENDED_LOGS_PREFIX}${unique}-${stackUuid}`,
    retention,
  });
}

/** Alarms on any failed, timed-out or aborted execution, and on any starter error, within 5 minutes. */
export function createFailureAlarm(
  scope: Construct,
  stateMachine: sfn.StateMachine,
  starter: lambda.IFunction,
  alarmTopic?: sns.ITopic,
): cloudwatch.Alarm {
  const period = Duration.minutes(5);
  const alarm = new cloudwatch.Alarm(scope, 'FailureAlarm', {
    alarmDescription: failureAlarmDescription({
      region: Stack.of(scope).region,
      stateMachineName: stateMachine.stateMachineName,
      stateMachineArn: stateMachine.stateMachineArn,
    }),
    metric: new cloudwatch.MathExpression({
      expression: 'failed + timedOut + aborted + starterErrors',
      usingMetrics: {
        failed: stateMachine.metricFailed({ period, statistic: 'Sum' }),
        timedOut: stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
        aborted: stateMachine.metricAborted({ period, statistic: 'Sum' }),
        starterErrors: starter.metricErrors({ period, statistic: 'Sum' }),
      },
      period,
      label: 'Failed runs',
    }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  if (alarmTopic) alarm.addAlarmAction(new cwActions.SnsAction(alarmTopic));
  return alarm;
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
