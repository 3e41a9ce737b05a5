import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { sharingHandler, type HandlerFunctionFactory } from './handler-functions';
import { freshnessOwnerDimension } from './handlers/freshness.lambda-shared';
import type { SnapshotPermissions } from './permissions';
import { SOURCE_FRESHNESS_METRIC } from '../shared/constants';

/** The freshness metric's period: the handler publishes once per period. */
export const FRESHNESS_PERIOD = Duration.hours(1);
/** Consecutive breaching (or empty) periods before the alarm fires: one late publication does not alarm. */
const FRESHNESS_ALARM_PERIODS = 2;

export interface SnapshotFreshnessProps {
  readonly ownerId: string;
  /** The alarm threshold, `maxSnapshotAge`, in seconds. */
  readonly maxSnapshotAgeSeconds: number;
  readonly permissions: SnapshotPermissions;
  /** The owner id and the cluster (and DB instance) selection. */
  readonly environment: Record<string, string>;
  readonly functions: HandlerFunctionFactory;
  /** With DB instances selected: listing their snapshots (and, with `regions`, listing them in the other Regions). */
  readonly instanceStatements?: iam.PolicyStatement[];
  /** `regions`: each other Region gets an alarm of its own on its copies' series (dimension `Region`). @default - none */
  readonly regions?: string[];
}

/**
 * The metric of the newest shared snapshot's age (Maximum: the stalest selected cluster), in the
 * stack's Region, or of the copies in another of `regions`.
 */
export function newestSnapshotAgeMetric(ownerId: string, props?: cloudwatch.MetricOptions, region?: string): cloudwatch.Metric {
  const { ownerDimension, regionDimension } = SOURCE_FRESHNESS_METRIC;
  return new cloudwatch.Metric({
    namespace: SOURCE_FRESHNESS_METRIC.namespace,
    metricName: SOURCE_FRESHNESS_METRIC.newestSnapshotAge,
    dimensionsMap: { [ownerDimension]: freshnessOwnerDimension(ownerId), ...(region ? { [regionDimension]: region } : {}) },
    statistic: 'Maximum',
    period: FRESHNESS_PERIOD,
    unit: cloudwatch.Unit.SECONDS,
    ...props,
  });
}

/**
 * The source side's freshness: an hourly schedule of its own (so a disabled or broken snapshot
 * schedule still shows), a handler that publishes each selected cluster's newest shared snapshot
 * age, and an alarm on the stalest one. Missing data breaches: a publisher that stopped alarms too.
 */
export class SnapshotFreshness extends Construct {
  public readonly handler: lambda.Function;
  public readonly schedule: scheduler.Schedule;
  public readonly alarm: cloudwatch.Alarm;
  /** `regions`: each other Region's alarm, on its copies. */
  public readonly regionAlarms: Record<string, cloudwatch.Alarm> = {};

  constructor(scope: Construct, id: string, props: SnapshotFreshnessProps) {
    super(scope, id);
    this.handler = props.functions.create('PublishFreshness', sharingHandler('publishFreshness'), props.environment,
      [...props.permissions.listSnapshotsOfCluster(), ...props.instanceStatements ?? []]);
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Publishes the SharedClusterSnapshots freshness metric',
      schedule: scheduler.ScheduleExpression.rate(FRESHNESS_PERIOD),
      target: new schedulerTargets.LambdaInvoke(this.handler, { retryAttempts: 3, maxEventAge: Duration.minutes(30) }),
    });
    this.alarm = this.alarmOn('Alarm', 'The newest shared snapshot of a DB cluster is older than maxSnapshotAge, or no freshness data arrived. '
      + 'Check that the schedule is enabled, the clusters exist under their identifiers, and the last executions.', props);
    for (const region of props.regions ?? []) {
      this.regionAlarms[region] = this.alarmOn(`Alarm-${region}`, `The newest copy in ${region} of a DB cluster's shared snapshot is older `
        + 'than maxSnapshotAge, or no freshness data arrived. Check the last executions\' RegionCopyFailed errors and the '
        + `Cluster Snapshot Failed events naming ${region} (its key, its copy limit).`, props, region);
    }
  }

  private alarmOn(id: string, alarmDescription: string, props: SnapshotFreshnessProps, region?: string): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, id, {
      alarmDescription,
      metric: newestSnapshotAgeMetric(props.ownerId, undefined, region),
      threshold: props.maxSnapshotAgeSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: FRESHNESS_ALARM_PERIODS,
      datapointsToAlarm: FRESHNESS_ALARM_PERIODS,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }
}
