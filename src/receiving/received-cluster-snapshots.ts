import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { createFreshnessAlarm, createReceiverFailureAlarm, newestCopyAgeMetric } from './alarms';
import { ReceiverDashboard } from './dashboard';
import { addReceiverNagSuppressions } from './nag-suppressions';
import { ReceiverPermissions } from './permissions';
import type { ReceivedClusterSnapshotsProps } from './props';
import { createCopyFunctions, createStarterFunctions, receiverFunctionFactory, receiverLogGroups } from './receiver-functions';
import { ReceiverHandlerLogGroups, ReceiverHandlers } from './receiver-handlers';
import { newestReplicaAgeMetric, ReceiverReplicas, replicaEnvironment } from './replicas';
import { freshnessPeriods, maxCopyAgeSeconds, RECEIVER_DEFAULTS, receivedKinds, validateReceiverProps } from './validation';
import { CopyWorkflow } from './workflow';
import { DEFAULTS, ENV, EVENT_DETAIL_TYPE, EVENT_SOURCE, TARGET_ENV } from '../shared/constants';
import { warnIgnoredKeyRemovalPolicy } from '../shared/key-removal';
import { createStateMachineLogGroup, DEFAULT_LOG_RETENTION, grantReadExecutions } from '../shared/operations';
import type { IOwnedClusterSnapshotCopies } from '../shared/snapshot-copies';

/**
 * Receives the DB cluster snapshots and DB (instance) snapshots that `SharedClusterSnapshots` shares
 * from other accounts: copies each one into this account with this account's KMS key as soon as its
 * `Cluster Snapshot Shared` event arrives (and on a catch-up scan), keeps the newest copies per
 * source database, and alarms when the newest copy of any source database grows too old.
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
   * Alarms when a copy execution fails, times out or is aborted, or when the receive-event or the
   * scan function fails (a refused event, a scan that could not start a copy), within 5 minutes.
   */
  public readonly failureAlarm: cloudwatch.Alarm;
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
  /** The log group of each handler function in `handlers`, by step. */
  public readonly handlerLogGroups: ReceiverHandlerLogGroups;
  /** The state machine's log group: every state's input and output (`/aws/vendedlogs/states/...`). */
  public readonly stateMachineLogGroup: logs.ILogGroup;
  /** The tag value that marks every copy this instance makes (tag `received-cluster-snapshots:owner`). */
  public readonly ownerId: string;
  /**
   * With `replicaRegions`: the state machine that runs one execution per copy and replica Region
   * (input `{"copyIdentifier": "...", "region": "..."}`).
   */
  public readonly replicaStateMachine?: sfn.StateMachine;
  /** With `replicaRegions`: one freshness alarm per replica Region, in the order listed (see `metricNewestReplicaAge`). */
  public readonly replicaFreshnessAlarms: cloudwatch.Alarm[];
  /** With `replicaRegions`: alarms when a replica execution fails, times out or is aborted, within 5 minutes. */
  public readonly replicaFailureAlarm?: cloudwatch.Alarm;
  /** The start of every copy's identifier (`copyPrefix`). */
  public readonly copyPrefix: string;

  private dashboard?: ReceiverDashboard;

  constructor(scope: Construct, id: string, props: ReceivedClusterSnapshotsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    validateReceiverProps(this, props);
    this.ownerId = this.node.addr;
    const copyPrefix = this.copyPrefix = props.copyPrefix ?? RECEIVER_DEFAULTS.copyPrefix;
    const sourcePrefix = props.sourceSnapshotPrefix ?? '';
    const logRetention = props.logRetention ?? DEFAULT_LOG_RETENTION;
    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'CopyKey', {
      description: 'Encrypts the copies of DB cluster snapshots received by ReceivedClusterSnapshots',
      enableKeyRotation: true,
      // The copies, and every restore from them, depend on the key.
      removalPolicy: props.keyRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (props.encryptionKey && props.keyRemovalPolicy !== undefined) warnIgnoredKeyRemovalPolicy(this);

    const retainCopies = props.retainCopies ?? RECEIVER_DEFAULTS.retainCopies;
    const environment: Record<string, string> = {
      [ENV.OWNER_ID]: this.ownerId,
      [TARGET_ENV.SOURCE_ACCOUNT_IDS]: props.sourceAccountIds.join(','),
      [TARGET_ENV.SOURCE_SNAPSHOT_PREFIX]: sourcePrefix,
      [TARGET_ENV.SOURCE_CLUSTER_IDENTIFIERS]: (props.clusterIdentifiers ?? []).join(','),
      [TARGET_ENV.SOURCE_INSTANCE_IDENTIFIERS]: (props.instanceIdentifiers ?? []).join(','),
      [TARGET_ENV.COPY_PREFIX]: copyPrefix,
      ...replicaEnvironment(props.replicaRegions, retainCopies),
    };
    const permissions = new ReceiverPermissions(stack, copyPrefix, this.ownerId, props.sourceAccountIds, sourcePrefix, receivedKinds(props));
    const factory = receiverFunctionFactory(this, props, logRetention);
    const replicas = props.replicaRegions?.length ? new ReceiverReplicas(this, 'Replicas', {
      replicaRegions: props.replicaRegions,
      factory,
      permissions,
      environment: { ...environment, [ENV.SNAPSHOT_TIMEOUT_SECONDS]: String(DEFAULTS.snapshotTimeoutSeconds) },
      ownerId: this.ownerId,
      copyPrefix,
      homeKeyArn: this.encryptionKey.keyArn,
      retainCopies,
      waitInterval: Duration.seconds(DEFAULTS.waitIntervalSeconds),
      logRetention,
      maxCopyAgeSeconds: maxCopyAgeSeconds(props.maxCopyAge ?? RECEIVER_DEFAULTS.maxCopyAge),
      freshnessPeriods: freshnessPeriods(props),
      alarmTopic: props.alarmTopic,
    }) : undefined;
    const copyFunctions = createCopyFunctions({
      factory,
      permissions,
      environment,
      copyKeyArn: this.encryptionKey.keyArn,
      retainCopies,
      confirmCopies: props.confirmCopies ?? false,
      replicas,
      optionGroupName: props.optionGroupName,
    });
    this.stateMachineLogGroup = createStateMachineLogGroup(this, logRetention);
    this.stateMachine = new CopyWorkflow(this, 'Workflow', {
      handlers: copyFunctions,
      waitInterval: Duration.seconds(DEFAULTS.waitIntervalSeconds),
      copyTimeout: Duration.seconds(DEFAULTS.snapshotTimeoutSeconds),
      confirmationBuses: props.confirmCopies ? permissions.sourceBuses : undefined,
      receiver: { copyPrefix, ownerId: this.ownerId },
      logGroup: this.stateMachineLogGroup,
    }).stateMachine;

    // The receive-event function and the scan start copies; each checks first that no source is this account.
    const starterEnvironment = { ...environment, [ENV.STATE_MACHINE_ARN]: this.stateMachine.stateMachineArn };
    const starters = createStarterFunctions(factory, permissions, starterEnvironment, replicas);
    this.stateMachine.grantStartExecution(starters.receiveEvent);
    this.stateMachine.grantStartExecution(starters.scan);
    this.handlers = { ...copyFunctions, ...starters, ...replicas?.handlers };
    this.replicaStateMachine = replicas?.stateMachine;
    this.replicaFreshnessAlarms = replicas?.freshnessAlarms ?? [];
    this.replicaFailureAlarm = replicas?.failureAlarm;
    this.handlerLogGroups = receiverLogGroups(factory, this.handlers);

    this.rule = this.receiveEvents(starters.receiveEvent, props.sourceAccountIds);
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Starts a ReceivedClusterSnapshots catch-up scan',
      schedule: props.schedule ?? RECEIVER_DEFAULTS.schedule,
      target: new schedulerTargets.LambdaInvoke(starters.scan, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });

    this.failureAlarm = createReceiverFailureAlarm(this, this.stateMachine, starters, props.alarmTopic);
    this.freshnessAlarm = createFreshnessAlarm(this, this.ownerId, props);
    addReceiverNagSuppressions(this, permissions, replicas?.permissions);
    if (props.dashboard) this.addDashboard();
  }

  /**
   * Adds this instance's CloudWatch dashboard, or returns it if already added (as `dashboard: true`
   * does): copies by outcome, their durations, the errors of the receive-event and scan functions,
   * the alarms, and the age of the newest copy.
   */
  public addDashboard(): cloudwatch.Dashboard {
    this.dashboard ??= new ReceiverDashboard(this, 'Dashboard', this);
    return this.dashboard.dashboard;
  }

  /**
   * Lets `grantee` read this state machine's executions (list, describe, history) and the
   * state machine's and functions' logs: what reading a failed copy takes.
   */
  public grantReadExecutions(grantee: iam.IGrantable): iam.Grant {
    const logGroups = [this.stateMachineLogGroup, ...Object.values(this.handlerLogGroups)];
    return grantReadExecutions(this.stateMachine, this.stateMachine.stateMachineName, logGroups, grantee);
  }

  /**
   * The age, in seconds, of the newest available copy of the stalest source cluster.
   * Maximum over the period, 1 hour by default. Published by every catch-up scan, one value per
   * source cluster.
   */
  public metricNewestCopyAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return newestCopyAgeMetric(this.ownerId, props);
  }

  /**
   * The age, in seconds, of the newest available replica in `regionName` (one of `replicaRegions`) of
   * the stalest source cluster. Maximum over the period, 1 hour by default; published by every scan.
   */
  public metricNewestReplicaAge(regionName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return newestReplicaAgeMetric(this.ownerId, regionName, props);
  }

  /** Copy executions that failed, per 5 minutes by default. */
  public metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed(props);
  }

  /** Copy executions that succeeded, per 5 minutes by default. */
  public metricSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricSucceeded(props);
  }

  /** Copy executions that timed out, per 5 minutes by default. */
  public metricTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricTimedOut(props);
  }

  /** Copy executions that were aborted, per 5 minutes by default. */
  public metricAborted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricAborted(props);
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
}
