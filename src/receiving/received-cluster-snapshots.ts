import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RECEIVER_FUNCTION_DESCRIPTIONS, ReceiverFunctionName } from './function-descriptions';
import { addReceiverNagSuppressions } from './nag-suppressions';
import { ReceiverPermissions } from './permissions';
import type { ReceivedClusterSnapshotsProps } from './props';
import { ReceiverHandlers } from './receiver-handlers';
import { maxCopyAgeSeconds, RECEIVER_DEFAULTS, scanIntervalHours, validateReceiverProps } from './validation';
import { CopyWorkflow } from './workflow';
import { bundledFunction } from '../shared/bundled-handler';
import { DEFAULTS, ENV, EVENT_DETAIL_TYPE, EVENT_SOURCE, FRESHNESS_METRIC, TARGET_ENV } from '../shared/constants';
import type { IOwnedClusterSnapshotCopies } from '../shared/snapshot-copies';

/** The freshness alarm's period; it alarms when every period of (scan interval + 1 hour) breaches. */
const FRESHNESS_PERIOD = Duration.hours(1);

/**
 * Receives the DB cluster snapshots that `SharedClusterSnapshots` shares from other accounts: copies
 * each one into this account with this account's KMS key as soon as its `Cluster Snapshot Shared`
 * event arrives (and on a catch-up scan), keeps the newest copies per source cluster, and alarms
 * when the newest copy of any source cluster grows too old.
 *
 * @example
 * import { Duration } from 'aws-cdk-lib';
 * import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
 * import { ReceivedClusterSnapshots } from 'cdk-shared-cluster-snapshots';
 *
 * new ReceivedClusterSnapshots(this, 'Received', {
 *   sourceAccountIds: ['111111111111'],
 *   sourceSnapshotPrefix: 'shared',
 *   clusterIdentifiers: ['orders-db'],
 *   retainCopies: 7,
 *   schedule: ScheduleExpression.rate(Duration.hours(6)),
 *   maxCopyAge: Duration.hours(26),
 *   confirmCopies: true,
 * });
 */
export class ReceivedClusterSnapshots extends Construct implements IOwnedClusterSnapshotCopies {
  /** The state machine that runs one execution per shared snapshot. Start it with `{"sourceAccount": "...", "snapshotArn": "..."}`. */
  public readonly stateMachine: sfn.StateMachine;
  /** The key every copy is encrypted with. */
  public readonly encryptionKey: kms.IKey;
  /**
   * Alarms when the newest copy of any configured, shared or copied source cluster is older than
   * `maxCopyAge`, or no freshness data arrives (missing data breaches). It is in ALARM after the first
   * deployment until the first catch-up scan has published its data.
   */
  public readonly freshnessAlarm: cloudwatch.Alarm;
  /** The rule on this account's default bus that passes `Cluster Snapshot Shared` events from the source accounts to the receiver. */
  public readonly rule: events.Rule;
  /** The catch-up scan's schedule. */
  public readonly schedule: scheduler.Schedule;
  /** The handler functions, by step. */
  public readonly handlers: ReceiverHandlers;
  /** The tag value that marks every copy this instance makes (tag `received-cluster-snapshots:owner`). */
  public readonly ownerId: string;
  /** The start of every copy's identifier (`copyPrefix`). */
  public readonly copyPrefix: string;

  constructor(scope: Construct, id: string, props: ReceivedClusterSnapshotsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    validateReceiverProps(this, props);
    this.ownerId = this.node.addr;
    const copyPrefix = this.copyPrefix = props.copyPrefix ?? RECEIVER_DEFAULTS.copyPrefix;
    const sourcePrefix = props.sourceSnapshotPrefix ?? '';
    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'CopyKey', {
      description: 'Encrypts the copies of DB cluster snapshots received by ReceivedClusterSnapshots',
      enableKeyRotation: true,
      // The copies, and every restore from them, depend on the key.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const environment: Record<string, string> = {
      [ENV.OWNER_ID]: this.ownerId,
      [TARGET_ENV.SOURCE_ACCOUNT_IDS]: props.sourceAccountIds.join(','),
      [TARGET_ENV.SOURCE_SNAPSHOT_PREFIX]: sourcePrefix,
      [TARGET_ENV.SOURCE_CLUSTER_IDENTIFIERS]: (props.clusterIdentifiers ?? []).join(','),
      [TARGET_ENV.COPY_PREFIX]: copyPrefix,
    };
    const permissions = new ReceiverPermissions(stack, copyPrefix, this.ownerId, props.sourceAccountIds, sourcePrefix);
    const copySnapshot = this.handler('CopySharedSnapshot', 'copySharedSnapshot', {
      ...environment,
      [TARGET_ENV.COPY_KEY_ARN]: this.encryptionKey.keyArn,
      [ENV.SNAPSHOT_TIMEOUT_SECONDS]: String(DEFAULTS.snapshotTimeoutSeconds),
    }, [
      ...permissions.describeOwnCopies(),
      ...permissions.describeSourceSnapshots(),
      ...permissions.copyFromSources(),
      ...permissions.useSourceKeysThroughRds(),
      ...permissions.useCopyKeyThroughRds(this.encryptionKey.keyArn),
      ...permissions.readAccountQuotas(),
    ]);
    const checkCopy = this.handler('CheckCopy', 'checkCopy', environment, [
      ...permissions.describeOwnCopies(),
      ...permissions.deleteOwnCopies(),
    ]);
    const retainCopies = this.handler('RetainCopies', 'retainCopies', {
      ...environment,
      [TARGET_ENV.RETAIN_COPIES]: String(props.retainCopies ?? RECEIVER_DEFAULTS.retainCopies),
      [TARGET_ENV.CONFIRM_COPIES]: String(props.confirmCopies ?? false),
    }, [...permissions.listSnapshots(), ...permissions.deleteOwnCopies()]);

    const workflow = new CopyWorkflow(this, 'Workflow', {
      handlers: { copySnapshot, checkCopy, retainCopies },
      waitInterval: Duration.seconds(DEFAULTS.waitIntervalSeconds),
      copyTimeout: Duration.seconds(DEFAULTS.snapshotTimeoutSeconds),
      confirmationBuses: props.confirmCopies ? permissions.sourceBuses : undefined,
      logGroup: new logs.LogGroup(this, 'StateMachineLogs', { retention: logs.RetentionDays.THREE_MONTHS }),
    });
    this.stateMachine = workflow.stateMachine;

    const starterEnvironment = { ...environment, [ENV.STATE_MACHINE_ARN]: this.stateMachine.stateMachineArn };
    const receiveEvent = this.handler('ReceiveEvent', 'receiveEvent', starterEnvironment, permissions.describeSourceSnapshots());
    const scan = this.handler('ScanSharedSnapshots', 'scanSharedSnapshots', starterEnvironment, permissions.listSnapshots(), Duration.minutes(5));
    this.stateMachine.grantStartExecution(receiveEvent);
    this.stateMachine.grantStartExecution(scan);
    this.handlers = { copySnapshot, checkCopy, retainCopies, receiveEvent, scan };

    this.rule = this.receiveEvents(receiveEvent, props.sourceAccountIds);
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Starts a ReceivedClusterSnapshots catch-up scan',
      schedule: props.schedule ?? RECEIVER_DEFAULTS.schedule,
      target: new schedulerTargets.LambdaInvoke(scan, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });

    this.freshnessAlarm = this.createFreshnessAlarm(props);
    if (props.alarmTopic) this.freshnessAlarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
    addReceiverNagSuppressions(this, permissions);
  }

  /**
   * The age, in seconds, of the newest available copy of the stalest source cluster.
   * Maximum over the period, 1 hour by default. Published by every catch-up scan, one value per
   * source cluster.
   */
  public metricNewestCopyAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: FRESHNESS_METRIC.namespace,
      metricName: FRESHNESS_METRIC.newestCopyAge,
      dimensionsMap: { [FRESHNESS_METRIC.ownerDimension]: this.ownerId },
      statistic: 'Maximum',
      period: FRESHNESS_PERIOD,
      unit: cloudwatch.Unit.SECONDS,
      ...props,
    });
  }

  /** Copy executions that failed, per 5 minutes by default. */
  public metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed(props);
  }

  /** Lets `grantee` start a copy by hand, e.g. `{"sourceAccount": "111111111111", "snapshotArn": "arn:aws:rds:..."}`. */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /**
   * The rule, and the default bus policy that lets exactly the source accounts put
   * `Cluster Snapshot Shared` events from this library's source on it.
   */
  private receiveEvents(receiver: lambda.IFunction, sourceAccountIds: string[]): events.Rule {
    const bus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    new events.CfnEventBusPolicy(this, 'AllowSourceAccounts', {
      eventBusName: 'default',
      statementId: `received-${this.ownerId}`,
      statement: {
        Sid: `received-${this.ownerId}`,
        Effect: 'Allow',
        Principal: { AWS: sourceAccountIds.map((account) => `arn:${Aws.PARTITION}:iam::${account}:root`) },
        Action: 'events:PutEvents',
        Resource: bus.eventBusArn,
        Condition: { StringEquals: { 'events:source': EVENT_SOURCE, 'events:detail-type': EVENT_DETAIL_TYPE.shared } },
      },
    });
    const rule = new events.Rule(this, 'SharedSnapshotRule', {
      description: 'Cluster Snapshot Shared events from the source accounts, to ReceivedClusterSnapshots',
      eventPattern: { source: [EVENT_SOURCE], detailType: [EVENT_DETAIL_TYPE.shared], account: sourceAccountIds },
    });
    rule.addTarget(new eventTargets.LambdaFunction(receiver, { retryAttempts: 4, maxEventAge: Duration.hours(2) }));
    return rule;
  }

  private createFreshnessAlarm(props: ReceivedClusterSnapshotsProps): cloudwatch.Alarm {
    // One value per scan: an alarm over (interval + 1 hour) of hourly periods sees at least one.
    const periods = Math.ceil(scanIntervalHours(props.schedule ?? RECEIVER_DEFAULTS.schedule)) + 1;
    return new cloudwatch.Alarm(this, 'FreshnessAlarm', {
      alarmDescription: 'The newest copy of a source DB cluster is older than maxCopyAge, or no freshness data arrived from the catch-up scan. '
        + 'Check the source side\'s runs, its key policy and shares, and the receiver\'s executions.',
      metric: this.metricNewestCopyAge(),
      threshold: maxCopyAgeSeconds(props.maxCopyAge ?? RECEIVER_DEFAULTS.maxCopyAge),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }

  /** The function `id`, running the handler exported as `exportName` by the receiving side's bundle. */
  private handler(
    id: ReceiverFunctionName,
    exportName: string,
    environment: Record<string, string>,
    statements: iam.PolicyStatement[],
    timeout = Duration.minutes(2),
  ): lambda.Function {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.THREE_MONTHS });
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `ReceivedClusterSnapshots ${id} handler`,
    });
    logGroup.grantWrite(role);
    for (const statement of statements) role.addToPrincipalPolicy(statement);
    return bundledFunction(this, id, { side: 'receiving', exportName }, {
      role, logGroup, environment, timeout, memorySize: 256, description: RECEIVER_FUNCTION_DESCRIPTIONS[id],
    });
  }
}
