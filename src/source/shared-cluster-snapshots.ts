import { gzipSync } from 'zlib';
import { Duration, Stack, Token } from 'aws-cdk-lib';
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
import type { ClusterTag, SharedClusterSnapshotsProps } from './props';
import { createSharingKey, warnImportedKey } from './sharing-key';
import { PROP_DEFAULTS, snapshotTimeoutOf, validateProps } from './validation';
import { SnapshotWorkflow } from './workflow';
import { ENV } from '../shared/constants';

/** Lambda allows 4 KB of environment in all; past this, the id list is compressed. */
const MAX_PLAIN_ID_LIST = 1024;
const MAX_COMPRESSED_ID_LIST = 3072;

/**
 * The cluster selection as environment variables. Hundreds of ids do not fit Lambda's 4 KB
 * environment as text, so a long literal list is gzip-compressed (deterministic: no timestamp).
 */
function clusterEnvironment(ids: string[], tag?: ClusterTag): Record<string, string> {
  const env: Record<string, string> = tag ? { [ENV.CLUSTER_TAG_KEY]: tag.key, [ENV.CLUSTER_TAG_VALUE]: tag.value } : {};
  const plain = ids.join(',');
  if (plain.length <= MAX_PLAIN_ID_LIST || ids.some((id) => Token.isUnresolved(id))) {
    env[ENV.CLUSTER_IDENTIFIERS] = plain;
    return env;
  }
  const compressed = gzipSync(Buffer.from(plain, 'utf8'), { level: 9 }).toString('base64');
  if (compressed.length > MAX_COMPRESSED_ID_LIST) {
    throw new Error(
      `clusterIdentifiers lists ${ids.length} clusters, ${compressed.length} bytes even compressed; Lambda's environment holds 4 KB. Tag the clusters and use clusterTag for a fleet this large`,
    );
  }
  env[ENV.CLUSTER_IDENTIFIERS_GZIP] = compressed;
  return env;
}

/** Lambda's limit for all environment variables of a function, measured as their JSON. */
const MAX_ENVIRONMENT_BYTES = 4096;
/** What an unresolved token (an ARN, an imported id) is assumed to take once deployed. */
const TOKEN_BYTES_ESTIMATE = 128;

/** Fails at synth, naming the props that fill it, when an environment would not deploy. */
function assertEnvironmentFits(handlerId: string, environment: Record<string, string>): void {
  const measured = Object.fromEntries(Object.entries(environment).map(([k, v]) =>
    [k, Token.isUnresolved(v) ? 'x'.repeat(TOKEN_BYTES_ESTIMATE) : v]));
  const bytes = Buffer.byteLength(JSON.stringify(measured), 'utf8');
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    throw new Error(
      `clusterIdentifiers, clusterTag and targetAccountIds make the ${handlerId} handler's environment about ${bytes} bytes, over Lambda's ${MAX_ENVIRONMENT_BYTES}-byte limit. Select large fleets with clusterTag instead of listing them`,
    );
  }
}

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
  public readonly handlers: Record<string, lambda.IFunction>;
  /** The tag value that marks every snapshot this instance creates (tag `shared-cluster-snapshots:owner`). */
  public readonly ownerId: string;

  private readonly logRetention: logs.RetentionDays;

  constructor(scope: Construct, id: string, props: SharedClusterSnapshotsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    validateProps(stack, props);

    const waitInterval = props.waitInterval ?? PROP_DEFAULTS.waitInterval;
    const snapshotTimeout = snapshotTimeoutOf(props);
    const prefix = props.snapshotPrefix ?? PROP_DEFAULTS.snapshotPrefix;
    const clusterIdentifiers = props.clusterIdentifiers ?? [];
    this.ownerId = this.node.addr;
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
    const handler = (handlerId: string, fn: HandlerClass, statements: iam.PolicyStatement[]) =>
      this.handler(handlerId, fn, environment, statements);

    const prepare = this.handler('Prepare', PrepareFunction, { ...environment, ...selection }, [
      ...permissions.describeClusters(),
      ...permissions.listSnapshotsOfCluster(),
      ...permissions.deleteOwnSnapshots(),
    ]);
    const createSnapshot = handler('CreateSnapshot', CreateSnapshotFunction, [
      ...permissions.createSnapshots(),
      ...permissions.describeOwnSnapshots(),
    ]);
    permissions.attachClusterPolicies(this, 'CreateSnapshotClusters', createSnapshot.role!, createSnapshot);
    const checkSnapshot = handler('CheckSnapshot', CheckSnapshotFunction, permissions.describeOwnSnapshots());
    const copySnapshot = handler('CopySnapshot', CopySnapshotFunction, [
      ...permissions.copySnapshots(),
      ...permissions.describeOwnSnapshots(),
      ...permissions.useSourceKeysThroughRds(),
      ...permissions.useSharingKeyThroughRds(this.encryptionKey.keyArn),
    ]);
    const shareSnapshot = handler('ShareSnapshot', ShareSnapshotFunction, permissions.shareSnapshots());
    const cleanUp = handler('CleanUp', CleanUpFunction, [
      ...permissions.listSnapshotsOfCluster(),
      ...permissions.describeOwnSnapshotAttributes(),
      ...permissions.deleteOwnSnapshots(),
    ]);
    const cleanUpFailedRun = handler('CleanUpFailedRun', CleanUpFailedRunFunction, [
      ...permissions.describeOwnSnapshots(),
      ...permissions.describeOwnSnapshotAttributes(),
      ...permissions.deleteOwnSnapshots(),
    ]);
    this.handlers = { prepare, createSnapshot, checkSnapshot, copySnapshot, shareSnapshot, cleanUp, cleanUpFailedRun };

    const workflow = new SnapshotWorkflow(this, 'Workflow', {
      handlers: { prepare, createSnapshot, checkSnapshot, copySnapshot, shareSnapshot, cleanUp, cleanUpFailedRun },
      waitInterval,
      snapshotTimeout,
      logGroup: new logs.LogGroup(this, 'StateMachineLogs', { retention: this.logRetention }),
    });
    this.stateMachine = workflow.stateMachine;

    const starter = this.handler('Starter', StartExecutionsFunction, {
      [ENV.STATE_MACHINE_ARN]: this.stateMachine.stateMachineArn,
      [ENV.WAIT_INTERVAL_SECONDS]: String(waitInterval.toSeconds()),
      [ENV.RDS_REQUESTS_PER_SECOND]: String(props.rdsRequestsPerSecond ?? PROP_DEFAULTS.rdsRequestsPerSecond),
      ...selection,
    }, [...permissions.readAccountQuotas(), ...(props.clusterTag ? permissions.listClusters() : [])], Duration.minutes(5));
    this.stateMachine.grantStartExecution(starter);
    this.starterFunction = starter;

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Starts a SharedClusterSnapshots run',
      schedule: props.schedule ?? scheduler.ScheduleExpression.cron({ minute: '0', hour: '3' }),
      target: new targets.LambdaInvoke(starter, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });

    this.failureAlarm = this.createFailureAlarm(starter);
    if (props.alarmTopic) {
      this.failureAlarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
    }
    addNagSuppressions(this, permissions, props);
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

  private handler(
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

  private createFailureAlarm(starter: lambda.IFunction): cloudwatch.Alarm {
    const period = Duration.minutes(5);
    return new cloudwatch.Alarm(this, 'FailureAlarm', {
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
  }
}
