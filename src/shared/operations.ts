import { ArnFormat, Duration, Fn, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

/*
 * What an operator of either construct works with: the state machine's log group, read access to
 * its executions, and the failure alarm.
 */

/** Where an alarm description's runbook lives: the README's Troubleshooting section. */
export const RUNBOOK_URL = 'https://github.com/cdk-shared-cluster-snapshots/cdk-shared-cluster-snapshots#troubleshooting';
/** CloudWatch's limit for an alarm description (PutMetricAlarm, AlarmDescription). */
export const MAX_ALARM_DESCRIPTION_LENGTH = 1024;

/** `logRetention`'s default on both constructs. */
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;

/** Step Functions log groups go under this prefix (see createStateMachineLogGroup). */
const VENDED_LOGS_PREFIX = '/aws/vendedlogs/states/';
/** CloudWatch Logs' limit for a log group name. */
const MAX_LOG_GROUP_NAME_LENGTH = 512;
/** The UUID at the end of a CloudFormation stack id (`arn:...:stack/<name>/<uuid>`). */
const STACK_UUID_LENGTH = 36;

/** The state machine and where its failed executions are read, for an alarm's description. */
export interface AlarmSubject {
  readonly region: string;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
}

/** The alarm subject of a state machine in its own stack's Region. */
export function alarmSubjectOf(stateMachine: sfn.StateMachine): AlarmSubject {
  return {
    region: Stack.of(stateMachine).region,
    stateMachineName: stateMachine.stateMachineName,
    stateMachineArn: stateMachine.stateMachineArn,
  };
}

/** Where to open a state machine in the Step Functions console (the commercial partition's address). */
export function stateMachineConsoleUrl({ region, stateMachineArn }: AlarmSubject): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/statemachines/view/${stateMachineArn}`;
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

/** What a construct's failure alarm watches, and what it says. */
export interface FailureAlarmProps {
  readonly stateMachine: sfn.StateMachine;
  /**
   * Functions outside the state machine whose errors count too, by the id of their metric in the
   * alarm's expression (e.g. `starterErrors`): a failure there starts no execution to fail.
   */
  readonly functionErrors: Record<string, lambda.IFunction>;
  readonly description: string;
  /** The expression's label, as the alarm's graph shows it. */
  readonly label: string;
  readonly alarmTopic?: sns.ITopic;
}

/**
 * Alarms on any failed, timed-out or aborted execution, and on any error of the functions given,
 * within 5 minutes. Metric math treats a missing value as 0 (CloudWatch User Guide, "Using metric
 * math", "Basic arithmetic functions"), so one failure of any kind makes the sum 1.
 */
export function createFailureAlarm(scope: Construct, props: FailureAlarmProps): cloudwatch.Alarm {
  const period = Duration.minutes(5);
  const { stateMachine } = props;
  const usingMetrics: Record<string, cloudwatch.IMetric> = {
    failed: stateMachine.metricFailed({ period, statistic: 'Sum' }),
    timedOut: stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
    aborted: stateMachine.metricAborted({ period, statistic: 'Sum' }),
  };
  for (const [id, fn] of Object.entries(props.functionErrors)) usingMetrics[id] = fn.metricErrors({ period, statistic: 'Sum' });
  const alarm = new cloudwatch.Alarm(scope, 'FailureAlarm', {
    alarmDescription: props.description,
    metric: new cloudwatch.MathExpression({ expression: Object.keys(usingMetrics).join(' + '), usingMetrics, period, label: props.label }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  if (props.alarmTopic) alarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
  return alarm;
}
