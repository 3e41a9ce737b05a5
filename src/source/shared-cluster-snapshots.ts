import { Duration, Fn, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CopyConfirmations, recordConfirmationStatements } from './confirmations';
import { maxRetentionSeconds, maxSnapshotAgeSeconds } from './event-props';
import { newestSnapshotAgeMetric, SnapshotFreshness } from './freshness';
import { assertEnvironmentFits, clusterEnvironment } from './function-environment';
import { CheckSnapshotFunction } from './handlers/check-snapshot-function';
import { CleanUpFailedRunFunction } from './handlers/clean-up-failed-run-function';
import { CleanUpFunction } from './handlers/clean-up-function';
import { CopySnapshotFunction } from './handlers/copy-snapshot-function';
import { CreateSnapshotFunction } from './handlers/create-snapshot-function';
import { PrepareFunction } from './handlers/prepare-function';
import { ShareSnapshotFunction } from './handlers/share-snapshot-function';
import { StartExecutionsFunction } from './handlers/start-executions-function';
import { addNagSuppressions } from './nag-suppressions';
import { SnapshotPermissions } from './permissions';
import type { SharedClusterSnapshotsProps } from './props';
import { createSharingKey, warnImportedKey } from './sharing-key';
import { SnapshotHandlers } from './snapshot-handlers';
import { PROP_DEFAULTS, snapshotTimeoutOf, validateProps } from './validation';
import { SnapshotWorkflow } from './workflow';
import { ENV, SOURCE_EVENTS_ENV } from '../shared/constants';
import { ownerIdFor } from '../shared/naming.lambda-shared';

/** Step Functions log groups go under this prefix (see createStateMachineLogGroup). */
const VENDED_LOGS_PREFIX = '/aws/vendedlogs/states/';
/** CloudWatch Logs' limit for a log group name. */
const MAX_LOG_GROUP_NAME_LENGTH = 512;
/** The UUID at the end of a CloudFormation stack id (`arn:...:stack/<name>/<uuid>`). */
const STACK_UUID_LENGTH = 36;
/** How long a scheduled run may still start after its time: Scheduler's delivery and Lambda's async retries. */
const RUN_START_MAX_AGE = Duration.hours(1);
/** Scheduler's attempts to deliver the invocation. */
const SCHEDULE_RETRY_ATTEMPTS = 3;
/** Lambda's attempts after a failed starter run (2 is Lambda's maximum). */
const STARTER_ASYNC_RETRY_ATTEMPTS = 2;

type HandlerClass = new (scope: Construct, id: string, props: lambda.FunctionOptions) => lambda.Function;

/**
 * Snapshots Aurora/RDS DB clusters on a schedule, re-encrypts each snapshot with a KMS key the
 * target accounts may use, and shares it with them. One Step Functions execution per cluster and
 * run; the previous shared snapshot is deleted only after the new one is shared.
 *
 * @example
 * import { Duration, TimeZone } from 'aws-cdk-lib';
 * import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
 *
 * new SharedClusterSnapshots(this, 'Snapshots', {
 *   clusterIdentifiers: ['orders-db', 'billing-db'],
 *   clusterTag: { key: 'share-snapshots', value: 'true' },
 *   targetAccountIds: ['222222222222'],
 *   schedule: ScheduleExpression.cron({ hour: '3', minute: '0', timeZone: TimeZone.EUROPE_BERLIN }),
 *   waitInterval: Duration.minutes(1),
 * });
 */
export class SharedClusterSnapshots extends Construct {
  /** The state machine that runs one execution per cluster. Start it with `{"clusterIdentifier": "..."}`. */
  public readonly stateMachine: sfn.StateMachine;
  /** The key the shared snapshots are encrypted with. */
  public readonly encryptionKey: kms.IKey;
  /** The function the schedule invokes; it starts one execution per cluster. */
  public readonly starterFunction: lambda.IFunction;
  /** Alarms when an execution fails, times out or is aborted, or when the starter fails. */
  public readonly failureAlarm: cloudwatch.Alarm;
  /** The schedule that starts every run. */
  public readonly schedule: scheduler.Schedule;
  /** The handler functions the state machine calls, by step. */
  public readonly handlers: SnapshotHandlers;
  /**
   * The tag value that marks every snapshot this instance creates (tag `shared-cluster-snapshots:owner`):
   * `<stack name>/<construct path below the stack>`, unique per deployed instance in an account and
   * Region. A hash of it is the owner part of every snapshot name.
   */
  public readonly ownerId: string;
  /**
   * Alarms when the newest shared snapshot of any selected cluster is older than `maxSnapshotAge`, or
   * no freshness data arrives (missing data breaches): "nothing failed, but nothing was shared". It
   * is in ALARM after the first deployment until the clusters' first snapshots are shared.
   */
  public readonly freshnessAlarm: cloudwatch.Alarm;
  /** With `retainUntilCopied`: the handler that records the targets' copy confirmations. */
  public readonly recordCopyFunction?: lambda.IFunction;

  private readonly logRetention: logs.RetentionDays;

  constructor(scope: Construct, id: string, props: SharedClusterSnapshotsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    validateProps(stack, props);

    const waitInterval = props.waitInterval ?? PROP_DEFAULTS.waitInterval;
    const snapshotTimeout = snapshotTimeoutOf(props);
    const prefix = props.snapshotPrefix ?? PROP_DEFAULTS.snapshotPrefix;
    const clusterIdentifiers = props.clusterIdentifiers ?? [];
    this.ownerId = ownerIdFor(stack.stackName, this.node.scopes.slice(this.node.scopes.indexOf(stack) + 1).map((c) => c.node.id));
    this.logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;

    if (props.encryptionKey) {
      this.encryptionKey = props.encryptionKey;
      warnImportedKey(this);
    } else {
      this.encryptionKey = createSharingKey(this, 'SharingKey', props.targetAccountIds);
    }

    const environment: Record<string, string> = {
      [ENV.OWNER_ID]: this.ownerId,
      [ENV.SNAPSHOT_PREFIX]: prefix,
      [ENV.SHARING_KEY_ARN]: this.encryptionKey.keyArn,
      [ENV.TARGET_ACCOUNT_IDS]: props.targetAccountIds.join(','),
      [ENV.RETAIN_SNAPSHOTS]: String(props.retainSnapshots ?? PROP_DEFAULTS.retainSnapshots),
      [ENV.ALLOW_UNENCRYPTED]: String(props.allowUnencrypted ?? false),
      [ENV.SNAPSHOT_TIMEOUT_SECONDS]: String(snapshotTimeout.toSeconds()),
      [ENV.WAIT_INTERVAL_SECONDS]: String(waitInterval.toSeconds()),
    };
    // Only Prepare and the starter read the cluster selection; a long id list is carried once each.
    const selection = clusterEnvironment(clusterIdentifiers, props.clusterTag);
    const permissions = new SnapshotPermissions(stack, prefix, this.ownerId, clusterIdentifiers, props.clusterTag);
    const maxConcurrentCopies = props.maxConcurrentCopies ?? PROP_DEFAULTS.maxConcurrentCopies;
    const retentionEnvironment = {
      [SOURCE_EVENTS_ENV.RETAIN_UNTIL_COPIED]: String(props.retainUntilCopied ?? false),
      [SOURCE_EVENTS_ENV.MAX_RETENTION_SECONDS]: String(maxRetentionSeconds(props)),
    };
    this.handlers = this.createHandlers(permissions, environment, selection, maxConcurrentCopies, retentionEnvironment);

    this.stateMachine = new SnapshotWorkflow(this, 'Workflow', {
      handlers: this.handlers,
      waitInterval,
      snapshotTimeout,
      logGroup: this.createStateMachineLogGroup(),
      notifyTargetAccountIds: props.notifyTargetAccounts ? props.targetAccountIds : undefined,
    }).stateMachine;

    this.starterFunction = this.createStarter(permissions, {
      [ENV.OWNER_ID]: this.ownerId,
      [ENV.STATE_MACHINE_ARN]: this.stateMachine.stateMachineArn,
      [ENV.WAIT_INTERVAL_SECONDS]: String(waitInterval.toSeconds()),
      [ENV.RDS_REQUESTS_PER_SECOND]: String(props.rdsRequestsPerSecond ?? PROP_DEFAULTS.rdsRequestsPerSecond),
      ...selection,
    }, props.clusterTag !== undefined);
    this.schedule = this.createSchedule(this.starterFunction, props.schedule);
    this.failureAlarm = this.createFailureAlarm(this.starterFunction, props.alarmTopic);
    const createFunction = this.createFunction.bind(this);
    if (props.retainUntilCopied) {
      this.recordCopyFunction = new CopyConfirmations(this, 'CopyConfirmations', {
        targetAccountIds: props.targetAccountIds,
        ownerId: this.ownerId,
        permissions,
        environment: { ...environment, [SOURCE_EVENTS_ENV.ACCOUNT_ID]: stack.account },
        createFunction,
      }).handler;
    }
    const freshness = new SnapshotFreshness(this, 'Freshness', {
      ownerId: this.ownerId,
      maxSnapshotAgeSeconds: maxSnapshotAgeSeconds(props),
      permissions,
      environment: { [ENV.OWNER_ID]: this.ownerId, ...selection },
      createFunction,
    });
    this.freshnessAlarm = freshness.alarm;
    if (props.alarmTopic) this.freshnessAlarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
    addNagSuppressions(this, permissions, prefix, props.clusterTag, {
      functions: [freshness.handler, ...(this.recordCopyFunction ? [this.recordCopyFunction] : [])],
      scheduled: [{ schedule: freshness.schedule, fn: freshness.handler }],
    });
  }

  /**
   * The age, in seconds, of the newest shared snapshot of the stalest selected cluster (Maximum over
   * the period; 1 hour by default). Published every hour, one value per cluster.
   */
  public metricNewestSnapshotAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return newestSnapshotAgeMetric(this.ownerId, props);
  }

  /** Executions that failed, per 5 minutes by default. */
  public metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed(props);
  }

  /** Executions that succeeded, per 5 minutes by default. */
  public metricSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricSucceeded(props);
  }

  /** Executions that timed out, per 5 minutes by default. */
  public metricTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricTimedOut(props);
  }

  /** Executions that were aborted, per 5 minutes by default. */
  public metricAborted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricAborted(props);
  }

  /** Lets `grantee` start an execution by hand, e.g. `{"clusterIdentifier": "orders-db"}`. */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /** The workflow's handler functions, each with its own role holding only what it calls. */
  private createHandlers(
    permissions: SnapshotPermissions,
    environment: Record<string, string>,
    selection: Record<string, string>,
    maxConcurrentCopies: number,
    retentionEnvironment: Record<string, string>,
  ): SnapshotHandlers {
    const workflowFunction = (handlerId: string, fn: HandlerClass, statements: iam.PolicyStatement[], extraEnvironment = {}) =>
      this.createFunction(handlerId, fn, { ...environment, ...extraEnvironment }, statements);

    const prepare = workflowFunction('Prepare', PrepareFunction, [
      ...permissions.describeClusters(),
      ...permissions.listSnapshotsOfCluster(),
      ...permissions.deleteOwnSnapshots(),
    ], selection);
    const createSnapshot = workflowFunction('CreateSnapshot', CreateSnapshotFunction, [
      ...permissions.createSnapshots(),
      ...permissions.describeOwnSnapshots(),
    ]);
    permissions.attachClusterPolicies(this, 'CreateSnapshotClusters', createSnapshot.role!, createSnapshot);
    const checkSnapshot = workflowFunction('CheckSnapshot', CheckSnapshotFunction, permissions.describeOwnSnapshots());
    const copySnapshot = workflowFunction('CopySnapshot', CopySnapshotFunction, [
      ...permissions.copySnapshots(),
      ...permissions.describeOwnSnapshots(),
      ...permissions.useSourceKeysThroughRds(),
      ...permissions.countCopiesInProgress(),
      ...permissions.useSharingKeyThroughRds(this.encryptionKey.keyArn),
    ], { [ENV.MAX_CONCURRENT_COPIES]: String(maxConcurrentCopies) });
    // Revocation reads who each retained shared snapshot of the cluster is shared with.
    const shareSnapshot = workflowFunction('ShareSnapshot', ShareSnapshotFunction, [
      ...permissions.shareSnapshots(),
      ...permissions.listSnapshotsOfCluster(),
      ...permissions.describeOwnSnapshotAttributes(),
    ]);
    const cleanUp = workflowFunction('CleanUp', CleanUpFunction, [
      ...permissions.listSnapshotsOfCluster(),
      ...permissions.describeOwnSnapshotAttributes(),
      ...permissions.deleteOwnSnapshots(),
      // retainUntilCopied: CleanUp marks the new snapshot as awaited by the known receivers.
      ...(retentionEnvironment[SOURCE_EVENTS_ENV.RETAIN_UNTIL_COPIED] === 'true' ? recordConfirmationStatements(permissions, this.ownerId) : []),
    ], retentionEnvironment);
    const cleanUpFailedRun = workflowFunction('CleanUpFailedRun', CleanUpFailedRunFunction, [
      ...permissions.describeOwnSnapshots(),
      ...permissions.describeOwnSnapshotAttributes(),
      ...permissions.deleteOwnSnapshots(),
    ]);
    return { prepare, createSnapshot, checkSnapshot, copySnapshot, shareSnapshot, cleanUp, cleanUpFailedRun };
  }

  /** The function the schedule invokes: it reads the cluster selection and starts one execution per cluster. */
  private createStarter(permissions: SnapshotPermissions, environment: Record<string, string>, discoversByTag: boolean): lambda.Function {
    const starter = this.createFunction('Starter', StartExecutionsFunction, environment, [
      ...permissions.readAccountQuotas(),
      // A retried start credits this run's own snapshots in the quota check (quota.lambda-shared.ts).
      ...permissions.listSnapshotsOfCluster(),
      ...(discoversByTag ? permissions.listClusters() : []),
    ], Duration.minutes(5));
    this.stateMachine.grantStartExecution(starter);
    // Scheduler invokes the starter asynchronously, so a failed attempt is retried by Lambda itself
    // (by default twice, for up to 6 hours). Set explicitly: a retry starts only what is missing, and
    // within the hour the schedule allows, so a run starts close to its scheduled time or not at all.
    starter.configureAsyncInvoke({ retryAttempts: STARTER_ASYNC_RETRY_ATTEMPTS, maxEventAge: RUN_START_MAX_AGE });
    return starter;
  }

  private createSchedule(starter: lambda.IFunction, schedule?: scheduler.ScheduleExpression): scheduler.Schedule {
    return new scheduler.Schedule(this, 'Schedule', {
      description: 'Starts a SharedClusterSnapshots run',
      schedule: schedule ?? scheduler.ScheduleExpression.cron({ minute: '0', hour: '3' }),
      target: new targets.LambdaInvoke(starter, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        // Delivery retries, when Scheduler cannot invoke the function at all.
        retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        maxEventAge: RUN_START_MAX_AGE,
      }),
    });
  }

  /**
   * Log groups under `/aws/vendedlogs/states/` need no entry in the account's CloudWatch Logs
   * resource policy, which is capped at 5,120 characters; any other name adds one per state machine
   * (Step Functions Developer Guide, "Logging using CloudWatch Logs"). The name is unique per stack
   * and construct path, and ends with the stack id's UUID: the group is retained when the stack is
   * deleted, and a retained group of the same name would block the stack's next creation.
   */
  private createStateMachineLogGroup(): logs.LogGroup {
    const stackUuid = Fn.select(2, Fn.split('/', Stack.of(this).stackId));
    const unique = Names.uniqueResourceName(this, {
      maxLength: MAX_LOG_GROUP_NAME_LENGTH - VENDED_LOGS_PREFIX.length - STACK_UUID_LENGTH - 1,
      separator: '-',
      allowedSpecialCharacters: '-_.',
    });
    return new logs.LogGroup(this, 'StateMachineLogs', {
      logGroupName: `${VENDED_LOGS_PREFIX}${unique}-${stackUuid}`,
      retention: this.logRetention,
    });
  }

  private createFunction(
    id: string,
    fn: HandlerClass,
    environment: Record<string, string>,
    statements: iam.PolicyStatement[],
    timeout = Duration.minutes(2),
  ): lambda.Function {
    assertEnvironmentFits(id, { ...environment, AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' });
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: this.logRetention });
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `SharedClusterSnapshots ${id} handler`,
    });
    logGroup.grantWrite(role);
    for (const statement of statements) role.addToPrincipalPolicy(statement);
    return new fn(this, id, { role, logGroup, environment, timeout, memorySize: 256 });
  }

  private createFailureAlarm(starter: lambda.IFunction, alarmTopic?: sns.ITopic): cloudwatch.Alarm {
    const period = Duration.minutes(5);
    const alarm = new cloudwatch.Alarm(this, 'FailureAlarm', {
      alarmDescription: 'A SharedClusterSnapshots execution failed, timed out or was aborted, or the starter failed. Open the failed execution in the Step Functions console.',
      metric: new cloudwatch.MathExpression({
        expression: 'failed + timedOut + aborted + starterErrors',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ period, statistic: 'Sum' }),
          timedOut: this.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
          aborted: this.stateMachine.metricAborted({ period, statistic: 'Sum' }),
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
}
