import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { clusterEnvironment } from './cluster-environment';
import { CopyConfirmations } from './confirmations';
import { SnapshotsDashboard } from './dashboard';
import { maxRetentionSeconds, maxSnapshotAgeSeconds } from './event-props';
import { newestSnapshotAgeMetric, SnapshotFreshness } from './freshness';
import { sourceFunctionFactory } from './handler-functions';
import { instanceWiring, sharingKeysEnvironment, starterInstanceStatements } from './instance-wiring';
import { addNagSuppressions } from './nag-suppressions';
import { createFailureAlarm, runSkippedMetric } from './operations';
import { SnapshotPermissions } from './permissions';
import type { SharedClusterSnapshotsProps } from './props';
import { regionWiring } from './region-wiring';
import { createSharingKey, warnImportedKey } from './sharing-key';
import { SnapshotHandlerLogGroups, SnapshotHandlers } from './snapshot-handlers';
import { snapshotTagsEnvironment } from './snapshot-tags';
import { createSchedule, createStarter } from './starter';
import { PROP_DEFAULTS, snapshotTimeoutOf, validateProps } from './validation';
import { SnapshotWorkflow } from './workflow';
import { createWorkflowFunctions, workflowLogGroups } from './workflow-functions';
import { ENV, SOURCE_EVENTS_ENV } from '../shared/constants';
import { warnIgnoredKeyRemovalPolicy } from '../shared/key-removal';
import { ownerIdFor } from '../shared/naming.lambda-shared';
import { createStateMachineLogGroup, DEFAULT_LOG_RETENTION, grantReadExecutions } from '../shared/operations';
import { withConstructPath } from '../shared/validation-error';

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
  /** With `regions`: per other Region, the `freshnessAlarm` of its copies (empty without `regions`). */
  public readonly regionFreshnessAlarms: { [region: string]: cloudwatch.Alarm };
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
    const home = { clusters: permissions, instances: instances?.permissions };
    const regions = regionWiring(this, props, prefix, this.ownerId, home, this.encryptionKey.keyArn);
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
      regions,
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
      regions: regions?.regions,
    }).stateMachine;

    this.starterFunction = createStarter(functions, permissions, this.stateMachine, {
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
    this.schedule = createSchedule(this, this.starterFunction, props.schedule ?? PROP_DEFAULTS.schedule, props.scheduleEnabled ?? true);
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
      environment: { [ENV.OWNER_ID]: this.ownerId, ...selection, ...instances?.selection, ...regions?.environment() },
      functions,
      instanceStatements: [...instances?.permissions.listSnapshots() ?? [], ...regions?.statements('publishFreshness') ?? []],
      regions: regions?.regions,
    });
    this.freshnessAlarm = freshness.alarm;
    this.regionFreshnessAlarms = freshness.regionAlarms;
    for (const alarm of [this.freshnessAlarm, ...Object.values(this.regionFreshnessAlarms)]) {
      if (props.alarmTopic) alarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
    }

    addNagSuppressions(this, permissions, prefix, props.clusterTag, {
      functions: [freshness.handler, ...(this.recordCopyFunction ? [this.recordCopyFunction] : [])],
      scheduled: [{ schedule: freshness.schedule, fn: freshness.handler }],
      wildcards: [...instances?.permissions.expectedWildcards(prefix) ?? [], ...regions?.expectedWildcards(prefix) ?? []],
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

  /** `metricNewestSnapshotAge` of the copies in another of `regions` (the metric's dimension `Region`). */
  public metricNewestSnapshotAgeIn(regionName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return newestSnapshotAgeMetric(this.ownerId, props, regionName);
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
}
