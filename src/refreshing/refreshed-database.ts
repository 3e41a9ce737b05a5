import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { createDataAgeAlarm, servingDataAgeMetric } from './data-age';
import { addRefreshNagSuppressions } from './nag-suppressions';
import { RefreshPermissions } from './permissions';
import { RefreshedDatabaseProps, RefreshMode } from './props';
import { createRefreshFunctions, createStarter, restoreSettingsJson } from './refresh-functions';
import type { RefreshHandlers } from './refresh-handlers';
import { allowConnections } from './restore-test-network';
import { REFRESH_PROP_DEFAULTS, validateRefreshProps } from './validation';
import { RefreshWorkflow } from './workflow';
import { DELETION_TIMEOUT_SECONDS, ENV, REFRESH_DEFAULTS, REFRESH_ENV, REFRESH_METRIC, SWAP_TIMEOUT_SECONDS } from '../shared/constants';
import { createFailureAlarm, createStateMachineLogGroup, DEFAULT_LOG_RETENTION, grantReadExecutions } from '../shared/operations';

/**
 * Keeps a database in this account fresh from the snapshot copies a `ReceivedClusterSnapshots`
 * makes: on a schedule it restores the newest copy under a temporary name (network, key, parameter
 * group, capacity, tags; deletion protection off), creates its instances, resets the master
 * password into a new Secrets Manager secret, runs your post-restore step, and swaps it in under
 * `databaseIdentifier` (the endpoint stays), keeping the previous database for `keepPrevious`.
 * A failure before the swap deletes what the refresh made and leaves the serving database alone;
 * a failed swap rolls the names back. It never renames or deletes a database it did not create.
 * In `RefreshMode.RESTORE_TEST` it only proves that the newest copy restores, and deletes it.
 *
 * @example
 * import * as ec2 from 'aws-cdk-lib/aws-ec2';
 * import * as rds from 'aws-cdk-lib/aws-rds';
 * import { ReceivedClusterSnapshots, RefreshedDatabase } from 'cdk-shared-cluster-snapshots';
 *
 * const vpc = ec2.Vpc.fromLookup(this, 'Vpc', { vpcName: 'staging' });
 * const databaseSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(this, 'Clients', 'sg-0123456789abcdef0');
 * const received = new ReceivedClusterSnapshots(this, 'Received', { sourceAccountIds: ['111111111111'] });
 * new RefreshedDatabase(this, 'Staging', {
 *   source: received,
 *   sourceClusterIdentifier: 'orders-db',
 *   databaseIdentifier: 'orders-staging',
 *   subnetGroup: new rds.SubnetGroup(this, 'Subnets', { vpc, description: 'orders-staging' }),
 *   databaseSecurityGroups: [databaseSecurityGroup],
 * });
 */
export class RefreshedDatabase extends Construct {
  /** The state machine that runs one refresh per execution. Start it with `{}` to refresh now. */
  public readonly stateMachine: sfn.StateMachine;
  /** The handler functions, by step. */
  public readonly handlers: RefreshHandlers;
  /** The refresh schedule. */
  public readonly schedule: scheduler.Schedule;
  /** Alarms on a failed, timed-out or aborted refresh, or a failed start, within 5 minutes. */
  public readonly failureAlarm: cloudwatch.Alarm;
  /**
   * Alarms when the serving database's data is older than `maxDataAge`, or no database of this
   * construct serves, or no data age arrives (missing data breaches). In ALARM until the first
   * refresh. None in restore-test mode.
   */
  public readonly stalenessAlarm?: cloudwatch.Alarm;
  /** The value of the `refreshed-database:owner` tag on every database and instance this construct creates. */
  public readonly ownerId: string;
  /** The identifier the refreshed database keeps. */
  public readonly databaseIdentifier: string;
  /** The state machine's log group: every state's input and output (`/aws/vendedlogs/states/...`). */
  public readonly stateMachineLogGroup: logs.ILogGroup;
  private readonly functionLogGroups: { logGroupOf(fn: lambda.IFunction): logs.ILogGroup };

  constructor(scope: Construct, id: string, props: RefreshedDatabaseProps) {
    super(scope, id);
    validateRefreshProps(this, props);
    const stack = Stack.of(this);
    this.ownerId = this.node.addr;
    this.databaseIdentifier = props.databaseIdentifier;
    const mode = props.mode ?? REFRESH_PROP_DEFAULTS.mode;
    const kind = props.kind ?? REFRESH_PROP_DEFAULTS.kind;
    const waitInterval = props.waitInterval ?? REFRESH_PROP_DEFAULTS.waitInterval;
    const restoreTimeout = props.restoreTimeout ?? REFRESH_PROP_DEFAULTS.restoreTimeout;
    const postRestoreTimeout = props.postRestoreTimeout ?? REFRESH_PROP_DEFAULTS.postRestoreTimeout;
    const logRetention = props.logRetention ?? DEFAULT_LOG_RETENTION;

    const permissions = new RefreshPermissions(stack, {
      databaseIdentifier: props.databaseIdentifier,
      ownerId: this.ownerId,
      copyPrefix: props.source.copyPrefix,
      copyKeyArn: props.source.encryptionKey.keyArn,
      databaseKeyArn: props.encryptionKey?.keyArn,
      subnetGroupName: props.subnetGroup.subnetGroupName,
      parameterGroupName: props.parameterGroupName,
      masterUserSecretKeyArn: props.masterUserSecretKey?.keyArn,
    });
    const environment: Record<string, string> = {
      [ENV.OWNER_ID]: this.ownerId,
      [REFRESH_ENV.KIND]: kind,
      [REFRESH_ENV.MODE]: mode,
      [REFRESH_ENV.DATABASE_IDENTIFIER]: props.databaseIdentifier,
      [REFRESH_ENV.COPY_PREFIX]: props.source.copyPrefix,
      [REFRESH_ENV.COPY_OWNER_ID]: props.source.ownerId,
      [REFRESH_ENV.SOURCE_CLUSTER]: props.sourceClusterIdentifier,
      ...(props.sourceAccountId ? { [REFRESH_ENV.SOURCE_ACCOUNT]: props.sourceAccountId } : {}),
      [REFRESH_ENV.RESTORE_SETTINGS]: restoreSettingsJson(this, props, REFRESH_DEFAULTS),
      [REFRESH_ENV.FINAL_SNAPSHOT]: String(props.finalSnapshot ?? false),
      ...(props.keepPrevious ? { [REFRESH_ENV.KEEP_PREVIOUS_SECONDS]: String(props.keepPrevious.toSeconds()) } : {}),
      [REFRESH_ENV.RESTORE_TIMEOUT_SECONDS]: String(restoreTimeout.toSeconds()),
      ...(props.vpc ? { [REFRESH_ENV.CONNECT]: 'true' } : {}),
      [REFRESH_ENV.STALE_AFTER_SECONDS]: String(restoreTimeout.toSeconds() + postRestoreTimeout.toSeconds() + SWAP_TIMEOUT_SECONDS
        + DELETION_TIMEOUT_SECONDS),
    };
    const { handlers, factory, settings } = createRefreshFunctions(this, props, permissions, environment, logRetention);
    this.functionLogGroups = factory;
    this.stateMachine = new RefreshWorkflow(this, 'Workflow', {
      handlers,
      mode,
      databaseIdentifier: props.databaseIdentifier,
      kind,
      waitInterval,
      restoreTimeout,
      postRestore: props.postRestore,
      postRestoreTimeout,
      keepPrevious: props.keepPrevious,
      logGroup: this.stateMachineLogGroup = createStateMachineLogGroup(this, logRetention),
    }).stateMachine;
    const startRefresh = createStarter(factory, {
      [ENV.OWNER_ID]: this.ownerId,
      [REFRESH_ENV.DATABASE_IDENTIFIER]: props.databaseIdentifier,
      [ENV.STATE_MACHINE_ARN]: this.stateMachine.stateMachineArn,
    });
    this.stateMachine.grantStartExecution(startRefresh);
    this.handlers = { ...handlers, startRefresh };

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `Starts a RefreshedDatabase ${mode === RefreshMode.REFRESH ? 'refresh' : 'restore test'} of ${props.databaseIdentifier}`,
      schedule: props.schedule ?? REFRESH_PROP_DEFAULTS.schedule,
      target: new schedulerTargets.LambdaInvoke(startRefresh, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });
    this.failureAlarm = createFailureAlarm(this, {
      stateMachine: this.stateMachine,
      functionErrors: { starterErrors: startRefresh },
      description: `A RefreshedDatabase run for ${props.databaseIdentifier} failed, timed out or was aborted, or its starter failed. `
        + `Open ${this.stateMachine.stateMachineName}'s newest failed execution in the Step Functions console: its error names the cause. `
        + 'A refresh that failed left the serving database as it was (or rolled its name back); see the README, "RefreshedDatabase".',
      label: mode === RefreshMode.REFRESH ? 'Failed refreshes' : 'Failed restore tests',
    });
    const scheduled: Array<{ schedule: scheduler.Schedule; fn: lambda.IFunction }> = [{ schedule: this.schedule, fn: startRefresh }];
    if (mode === RefreshMode.REFRESH) {
      const dataAge = createDataAgeAlarm(this, handlers.publishDataAge!, this.ownerId, props.databaseIdentifier,
        (props.maxDataAge ?? REFRESH_PROP_DEFAULTS.maxDataAge).toSeconds());
      this.stalenessAlarm = dataAge.alarm;
      scheduled.push({ schedule: dataAge.schedule, fn: handlers.publishDataAge! });
    } else {
      allowConnections(settings, props);
    }
    if (props.alarmTopic) {
      this.failureAlarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
      this.stalenessAlarm?.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
    }
    addRefreshNagSuppressions({ scope: this, handlers: this.handlers, stateMachine: this.stateMachine }, permissions, scheduled, props.postRestore);
  }

  /** Seconds since the source snapshot of the serving database's data was taken, Maximum per hour (refresh mode). */
  public metricServingDataAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return servingDataAgeMetric(this.ownerId, props);
  }

  /** One datapoint per restore test, 1 when it passed and 0 when it failed (restore-test mode). Minimum per day by default. */
  public metricRestoreTestPassed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: REFRESH_METRIC.namespace,
      metricName: REFRESH_METRIC.restoreTestPassed,
      dimensionsMap: { [REFRESH_METRIC.ownerDimension]: this.ownerId },
      statistic: 'Minimum',
      period: Duration.days(1),
      ...props,
    });
  }

  /** Refreshes that failed, per 5 minutes by default. */
  public metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed(props);
  }

  /**
   * Lets `grantee` read this state machine's executions (list, describe, history) and the state
   * machine's and functions' logs: what reading a failed refresh takes.
   */
  public grantReadExecutions(grantee: iam.IGrantable): iam.Grant {
    const logGroups = [this.stateMachineLogGroup, ...Object.values(this.handlers).map((fn) => this.functionLogGroups.logGroupOf(fn!))];
    return grantReadExecutions(this.stateMachine, this.stateMachine.stateMachineName, logGroups, grantee);
  }

  /** Lets `grantee` start a refresh by hand (input `{}`). */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }
}
