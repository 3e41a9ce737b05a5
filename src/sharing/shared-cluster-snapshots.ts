import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { clusterEnvironment } from './cluster-environment';
import { CopyConfirmations } from './confirmations';
import { SnapshotsDashboard } from './dashboard';
import { maxRetentionSeconds, maxSnapshotAgeSeconds } from './event-props';
import { newestSnapshotAgeMetric, SnapshotFreshness } from './freshness';
import { HandlerFunctionFactory, sharingHandler, sourceFunctionFactory } from './handler-functions';
import { instanceWiring, sharingKeysEnvironment, starterInstanceStatements } from './instance-wiring';
import { addNagSuppressions } from './nag-suppressions';
import { createFailureAlarm, runSkippedMetric } from './operations';
import { SnapshotPermissions } from './permissions';
import type { SharedClusterSnapshotsProps } from './props';
import { createSharingKey, warnImportedKey } from './sharing-key';
import { SnapshotHandlerLogGroups, SnapshotHandlers } from './snapshot-handlers';
import { snapshotTagsEnvironment } from './snapshot-tags';
import { PROP_DEFAULTS, snapshotTimeoutOf, validateProps } from './validation';
import { SnapshotWorkflow } from './workflow';
import { createWorkflowFunctions, workflowLogGroups } from './workflow-functions';
import { ENV, SOURCE_EVENTS_ENV } from '../shared/constants';
import { warnIgnoredKeyRemovalPolicy } from '../shared/key-removal';
import { ownerIdFor } from '../shared/naming.lambda-shared';
import { createStateMachineLogGroup, DEFAULT_LOG_RETENTION, grantReadExecutions } from '../shared/operations';
import { withConstructPath } from '../shared/validation-error';

/** How long a scheduled run may still start after its time: Scheduler's delivery and Lambda's async retries. */
const RUN_START_MAX_AGE = Duration.hours(1);
/** Scheduler's attempts to deliver the invocation. */
const SCHEDULE_RETRY_ATTEMPTS = 3;
/** Lambda's attempts after a failed starter run (2 is Lambda's maximum). */
const STARTER_ASYNC_RETRY_ATTEMPTS = 2;

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
  /** The function the schedule invokes. It starts one execution per cluster. */
  public readonly starterFunction: lambda.IFunction;
  /** Alarms when an execution fails, times out or is aborted, or when the starter fails. */
  public readonly failureAlarm: cloudwatch.Alarm;
  /**
   * Alarms when the newest shared snapshot of any selected cluster is older than `maxSnapshotAge`, or
   * no freshness data arrives (missing data breaches): "nothing failed, but nothing was shared". It
   * is in ALARM after the first deployment until the clusters' first snapshots are shared.
   */
  public readonly freshnessAlarm: cloudwatch.Alarm;
  /** The schedule that starts every run. */
  public readonly schedule: scheduler.Schedule;
  /** The handler functions the state machine calls, by step. */
  public readonly handlers: SnapshotHandlers;
  /** With `retainUntilCopied`: the handler that records the targets' copy confirmations. */
  public readonly recordCopyFunction?: lambda.IFunction;
  /**
   * The tag value that marks every snapshot this instance creates (tag `shared-cluster-snapshots:owner`):
   * `<stack name>/<construct path below the stack>`, unique per deployed instance in an account and
   * Region. A hash of it is the owner part of every snapshot name.
   */
  public readonly ownerId: string;
  /** The state machine's log group: every state's input and output (`/aws/vendedlogs/states/...`). */
  public readonly stateMachineLogGroup: logs.ILogGroup;
  /** The starter function's log group: which executions each run started, and why any failed to start. */
  public readonly starterLogGroup: logs.ILogGroup;
  /** The log group of each handler function in `handlers`, by step. */
  public readonly handlerLogGroups: SnapshotHandlerLogGroups;

  private dashboard?: SnapshotsDashboard;

  constructor(scope: Construct, id: string, props: SharedClusterSnapshotsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    validateProps(this, props);

    const waitInterval = props.waitInterval ?? PROP_DEFAULTS.waitInterval;
    const snapshotTimeout = snapshotTimeoutOf(props);
    const prefix = props.snapshotPrefix ?? PROP_DEFAULTS.snapshotPrefix;
    const clusterIdentifiers = props.clusterIdentifiers ?? [];
    this.ownerId = ownerIdFor(stack.stackName, this.node.scopes.slice(this.node.scopes.indexOf(stack) + 1).map((c) => c.node.id));
    const logRetention = props.logRetention ?? DEFAULT_LOG_RETENTION;

    if (props.encryptionKey) {
      this.encryptionKey = props.encryptionKey;
      warnImportedKey(this);
      if (props.keyRemovalPolicy !== undefined) warnIgnoredKeyRemovalPolicy(this);
    } else {
      this.encryptionKey = createSharingKey(this, 'SharingKey', props.targetAccountIds, props.keyRemovalPolicy);
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
    // Both measure what the cluster list needs (environment, IAM policies) and may refuse it.
    const [selection, permissions, instances] = withConstructPath(this, 'SharedClusterSnapshots', () => [
      { ...clusterEnvironment(clusterIdentifiers, props.clusterTag), ...sharingKeysEnvironment(props) },
      new SnapshotPermissions(stack, prefix, this.ownerId, clusterIdentifiers, props.clusterTag),
      instanceWiring(stack, props, prefix, this.ownerId),
    ] as const);
    const functions = sourceFunctionFactory(this, props, logRetention);
    this.handlers = createWorkflowFunctions(this, {
      factory: functions,
      permissions,
      ownerId: this.ownerId,
      sharingKeyArn: this.encryptionKey.keyArn,
      environment,
      selection,
      tagging: snapshotTagsEnvironment(stack, props.snapshotTags),
      maxConcurrentCopies: props.maxConcurrentCopies ?? PROP_DEFAULTS.maxConcurrentCopies,
      retainUntilCopied: props.retainUntilCopied ?? false,
      maxRetentionSeconds: maxRetentionSeconds(props),
      instances,
    });
    this.handlerLogGroups = workflowLogGroups(functions, this.handlers);
    this.stateMachineLogGroup = createStateMachineLogGroup(this, logRetention);

    this.stateMachine = new SnapshotWorkflow(this, 'Workflow', {
      handlers: this.handlers,
      waitInterval,
      snapshotTimeout,
      logGroup: this.stateMachineLogGroup,
      notifyTargetAccountIds: props.notifyTargetAccounts ? props.targetAccountIds : undefined,
      withInstances: instances !== undefined,
      automatedSource: instances?.automatedSource,
    }).stateMachine;

    this.starterFunction = this.createStarter(functions, permissions, {
      [ENV.OWNER_ID]: this.ownerId,
      [ENV.STATE_MACHINE_ARN]: this.stateMachine.stateMachineArn,
      // The starter refuses its own account as a target when the stack's account was unknown at synth.
      [ENV.TARGET_ACCOUNT_IDS]: props.targetAccountIds.join(','),
      [ENV.WAIT_INTERVAL_SECONDS]: String(waitInterval.toSeconds()),
      [ENV.RDS_REQUESTS_PER_SECOND]: String(props.rdsRequestsPerSecond ?? PROP_DEFAULTS.rdsRequestsPerSecond),
      ...selection,
      ...instances?.selection,
    }, [...(props.clusterTag ? permissions.listClusters() : []), ...starterInstanceStatements(instances, props.instanceTag !== undefined)]);
    this.starterLogGroup = functions.logGroupOf(this.starterFunction);
    this.schedule = this.createSchedule(this.starterFunction, props.schedule, props.scheduleEnabled ?? true);
    this.failureAlarm = createFailureAlarm(this, this.stateMachine, this.starterFunction, props.alarmTopic);

    if (props.retainUntilCopied) {
      this.recordCopyFunction = new CopyConfirmations(this, 'CopyConfirmations', {
        targetAccountIds: props.targetAccountIds,
        ownerId: this.ownerId,
        permissions,
        environment: { ...environment, [SOURCE_EVENTS_ENV.ACCOUNT_ID]: stack.account },
        functions,
        instanceStatements: instances ? [...instances.permissions.describeOwnSnapshots(), ...instances.permissions.recordConfirmations()] : [],
      }).handler;
    }
    const freshness = new SnapshotFreshness(this, 'Freshness', {
      ownerId: this.ownerId,
      maxSnapshotAgeSeconds: maxSnapshotAgeSeconds(props),
      permissions,
      environment: { [ENV.OWNER_ID]: this.ownerId, ...selection, ...instances?.selection },
      functions,
      instanceStatements: instances?.permissions.listSnapshots() ?? [],
    });
    this.freshnessAlarm = freshness.alarm;
    if (props.alarmTopic) this.freshnessAlarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));

    addNagSuppressions(this, permissions, prefix, props.clusterTag, {
      functions: [freshness.handler, ...(this.recordCopyFunction ? [this.recordCopyFunction] : [])],
      scheduled: [{ schedule: freshness.schedule, fn: freshness.handler }],
      wildcards: instances?.permissions.expectedWildcards(prefix),
    });
    if (props.dashboard) this.addDashboard();
  }

  /**
   * Lets `grantee` read this state machine's executions (list, describe, history) and the
   * state machine's and functions' logs: what reading a failed execution takes.
   */
  public grantReadExecutions(grantee: iam.IGrantable): iam.Grant {
    const logGroups = [this.stateMachineLogGroup, this.starterLogGroup, ...Object.values(this.handlerLogGroups)];
    return grantReadExecutions(this.stateMachine, this.stateMachine.stateMachineName, logGroups, grantee);
  }

  /**
   * Adds this instance's CloudWatch dashboard, or returns it if already added (as `dashboard: true`
   * does): executions by outcome, their durations, RDS calls per handler and per run, and the
   * freshness of the shared snapshots.
   */
  public addDashboard(): cloudwatch.Dashboard {
    this.dashboard ??= new SnapshotsDashboard(this, 'Dashboard', this);
    return this.dashboard.dashboard;
  }

  /**
   * The age, in seconds, of the newest shared snapshot of the stalest selected cluster, as the
   * Maximum over the period (1 hour by default). Published every hour, one value per cluster.
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

  /**
   * Runs skipped because an earlier run of the cluster was still in progress (one per cluster and
   * skipped run), as the Sum over the period (1 hour by default). A skip is not a failure: it does
   * not count in `failureAlarm` and puts no `Cluster Snapshot Failed` event.
   */
  public metricRunSkipped(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return runSkippedMetric(this.ownerId, props);
  }

  /** Lets `grantee` start an execution by hand: `{"clusterIdentifier": "orders-db"}` or `{"instanceIdentifier": "payments-pg"}`. */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /** The function the schedule invokes: it reads the cluster selection and starts one execution per cluster. */
  private createStarter(
    functions: HandlerFunctionFactory,
    permissions: SnapshotPermissions,
    environment: Record<string, string>,
    /** Tag discovery's listings, and the DB instances' statements. */
    discovery: iam.PolicyStatement[],
  ): lambda.Function {
    const starter = functions.create('Starter', sharingHandler('startExecutions'), environment, [
      ...permissions.readAccountQuotas(),
      // A retried start credits this run's own snapshots in the quota check (quota.lambda-shared.ts).
      ...permissions.listSnapshotsOfCluster(),
      ...discovery,
    ], Duration.minutes(5));
    this.stateMachine.grantStartExecution(starter);
    // Once per run it lists the running executions, to skip a cluster whose earlier run is still in progress.
    starter.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: [this.stateMachine.stateMachineArn] }));
    // Scheduler invokes the starter asynchronously, so a failed attempt is retried by Lambda itself
    // (by default twice, for up to 6 hours). Set explicitly: a retry starts only what is missing, and
    // within the hour the schedule allows, so a run starts close to its scheduled time or not at all.
    starter.configureAsyncInvoke({ retryAttempts: STARTER_ASYNC_RETRY_ATTEMPTS, maxEventAge: RUN_START_MAX_AGE });
    return starter;
  }

  private createSchedule(starter: lambda.IFunction, schedule: scheduler.ScheduleExpression | undefined, enabled: boolean): scheduler.Schedule {
    return new scheduler.Schedule(this, 'Schedule', {
      description: 'Starts a SharedClusterSnapshots run',
      enabled,
      schedule: schedule ?? PROP_DEFAULTS.schedule,
      target: new targets.LambdaInvoke(starter, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        // Delivery retries, when Scheduler cannot invoke the function at all.
        retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        maxEventAge: RUN_START_MAX_AGE,
      }),
    });
  }
}
