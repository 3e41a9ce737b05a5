import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { REFRESH_METRIC } from '../shared/constants';

/** The staleness alarm's period: the data age is published hourly. */
export const DATA_AGE_PERIOD = Duration.hours(1);

/** Seconds since the source snapshot of the serving database's data was taken, Maximum per hour, for one owner id. */
export function servingDataAgeMetric(ownerId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: REFRESH_METRIC.namespace,
    metricName: REFRESH_METRIC.servingDataAge,
    dimensionsMap: { [REFRESH_METRIC.ownerDimension]: ownerId },
    statistic: 'Maximum',
    period: DATA_AGE_PERIOD,
    unit: cloudwatch.Unit.SECONDS,
    ...props,
  });
}

/**
 * The hourly data-age publisher's schedule, and the staleness alarm on what it publishes: the data
 * is older than `maxDataAgeSeconds` for two hours, or no database of this construct serves, or
 * nothing is published (missing data breaches).
 */
export function createDataAgeAlarm(
  scope: Construct, publisher: lambda.IFunction, ownerId: string, databaseIdentifier: string, maxDataAgeSeconds: number,
) {
  const schedule = new scheduler.Schedule(scope, 'DataAgeSchedule', {
    description: `Publishes the age of ${databaseIdentifier}'s data for RefreshedDatabase`,
    schedule: scheduler.ScheduleExpression.rate(DATA_AGE_PERIOD),
    target: new schedulerTargets.LambdaInvoke(publisher, { retryAttempts: 3, maxEventAge: Duration.hours(1) }),
  });
  const alarm = new cloudwatch.Alarm(scope, 'StalenessAlarm', {
    alarmDescription: `The data of ${databaseIdentifier} is older than maxDataAge, or no database of this RefreshedDatabase serves it. `
      + 'Check the refreshes (the failure alarm, the state machine\'s executions) and the copies the receiver makes.',
    metric: servingDataAgeMetric(ownerId),
    threshold: maxDataAgeSeconds,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  return { schedule, alarm };
}
