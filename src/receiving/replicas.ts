import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ReceiverFunctionName } from './function-descriptions';
import type { ReceiverPermissions } from './permissions';
import { ReplicaPermissions } from './replica-permissions';
import type { ReplicaRegion } from './replica-region';
import { replicaSettings } from './replica-validation';
import { ReplicaWorkflow, ReplicaWorkflowHandlers } from './replica-workflow';
import { ENV, FRESHNESS_METRIC, REPLICA_TIMEOUT_SECONDS, TARGET_ENV } from '../shared/constants';
import type { HandlerFunctionFactory } from '../shared/handler-functions';
import { createFailureAlarm, createStateMachineLogGroup } from '../shared/operations';

export interface ReceiverReplicasProps {
  readonly replicaRegions: ReplicaRegion[];
  readonly factory: HandlerFunctionFactory<ReceiverFunctionName>;
  readonly permissions: ReceiverPermissions;
  /** What every receiver function reads. */
  readonly environment: Record<string, string>;
  readonly ownerId: string;
  readonly copyPrefix: string;
  readonly homeKeyArn: string;
  readonly retainCopies: number;
  readonly waitInterval: Duration;
  readonly logRetention: logs.RetentionDays;
  /** The freshness alarm's threshold, in seconds, and how many hourly periods it spans. */
  readonly maxCopyAgeSeconds: number;
  readonly freshnessPeriods: number;
  readonly alarmTopic?: sns.ITopic;
}

/** The replica Regions' settings in the environment of every receiver function (TARGET_ENV.REPLICA_REGIONS). */
export function replicaEnvironment(replicas: ReplicaRegion[] | undefined, retainCopies: number): Record<string, string> {
  return replicas?.length ? { [TARGET_ENV.REPLICA_REGIONS]: JSON.stringify(replicaSettings(replicas, retainCopies)) } : {};
}

/**
 * `replicaRegions`: the replica workflow and its functions, the function that starts replicas
 * once a copy is kept, and per Region a freshness alarm; a failure alarm on the replica executions.
 */
export class ReceiverReplicas extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly stateMachineLogGroup: logs.ILogGroup;
  public readonly handlers: ReplicaWorkflowHandlers & { readonly startReplicas: lambda.IFunction };
  public readonly permissions: ReplicaPermissions;
  /** One per replica Region, in the order listed. */
  public readonly freshnessAlarms: cloudwatch.Alarm[];
  public readonly failureAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ReceiverReplicasProps) {
    super(scope, id);
    const { factory, permissions, environment } = props;
    const targets = replicaSettings(props.replicaRegions, props.retainCopies);
    this.permissions = new ReplicaPermissions(Stack.of(this), props.copyPrefix, props.ownerId, targets, permissions.kinds, props.homeKeyArn);
    const replicas = this.permissions;
    const copyReplica = factory.create('CopyReplica', { side: 'receiving', exportName: 'copyReplica' }, {
      ...environment, [ENV.SNAPSHOT_TIMEOUT_SECONDS]: String(REPLICA_TIMEOUT_SECONDS),
    }, [...permissions.describeOwnCopies(), ...replicas.describeReplicas(), ...replicas.copyReplicas()]);
    const checkReplica = factory.create('CheckReplica', { side: 'receiving', exportName: 'checkReplica' }, environment, [
      ...replicas.describeReplicas(), ...replicas.deleteReplicas(),
    ]);
    const retainReplicas = factory.create('RetainReplicas', { side: 'receiving', exportName: 'retainReplicas' }, environment, [
      ...replicas.listReplicas(), ...replicas.deleteReplicas(),
    ]);
    this.stateMachineLogGroup = createStateMachineLogGroup(this, props.logRetention);
    this.stateMachine = new ReplicaWorkflow(this, 'Workflow', {
      handlers: { copyReplica, checkReplica, retainReplicas },
      waitInterval: props.waitInterval,
      timeout: Duration.seconds(REPLICA_TIMEOUT_SECONDS),
      logGroup: this.stateMachineLogGroup,
    }).stateMachine;
    const startReplicas = factory.create('StartReplicas', { side: 'receiving', exportName: 'startReplicas' }, this.starterEnvironment(environment), []);
    this.grantStart(startReplicas);
    this.handlers = { copyReplica, checkReplica, retainReplicas, startReplicas };

    this.freshnessAlarms = targets.map(({ region }) => this.freshnessAlarm(region, props));
    this.failureAlarm = createFailureAlarm(this, {
      stateMachine: this.stateMachine,
      functionErrors: {},
      description: `A ReceivedClusterSnapshots replica execution failed, timed out or was aborted. Open the state machine ${this.stateMachine.stateMachineName} `
        + 'in the Step Functions console and its newest failed execution: the error names the cause (e.g. ReplicaKeyNotAccessible) and its input the Region.',
      label: 'Failed replicas',
      alarmTopic: props.alarmTopic,
    });
  }

  /** The environment of a function that starts replica executions. */
  public starterEnvironment(environment: Record<string, string>): Record<string, string> {
    return { ...environment, [TARGET_ENV.REPLICA_STATE_MACHINE_ARN]: this.stateMachine.stateMachineArn };
  }

  public grantStart(fn: lambda.IFunction): void {
    this.stateMachine.grantStartExecution(fn);
  }

  /** Alarms when the newest replica of any source cluster in `region` is older than `maxCopyAge`, or no data arrives. */
  private freshnessAlarm(region: string, props: ReceiverReplicasProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, `FreshnessAlarm-${region}`, {
      alarmDescription: `The newest replica in ${region} of a source DB cluster is older than maxCopyAge, or no freshness data arrived from the catch-up scan. `
        + 'Check the replica executions (their errors name the cause, e.g. ReplicaKeyNotAccessible) and the Region\'s key.',
      metric: newestReplicaAgeMetric(props.ownerId, region),
      threshold: props.maxCopyAgeSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: props.freshnessPeriods,
      datapointsToAlarm: props.freshnessPeriods,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    if (props.alarmTopic) alarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
    return alarm;
  }
}

/** The age, in seconds, of the newest available replica in `region` of the stalest source cluster: Maximum per hour by default. */
export function newestReplicaAgeMetric(ownerId: string, region: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: FRESHNESS_METRIC.namespace,
    metricName: FRESHNESS_METRIC.newestCopyAge,
    dimensionsMap: { [FRESHNESS_METRIC.ownerDimension]: ownerId, [FRESHNESS_METRIC.regionDimension]: region },
    statistic: 'Maximum',
    period: Duration.hours(1),
    unit: cloudwatch.Unit.SECONDS,
    ...props,
  });
}
