import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/*
 * The widgets both constructs' dashboards show: executions by outcome, their duration, an age
 * metric against its alarm, and alarm states.
 */

/** Runs and copies happen a few times a day at most: counts per hour show each as one point. */
export const COUNT_PERIOD = Duration.hours(1);
export const WIDGET_WIDTH = 12;
const WIDGET_HEIGHT = 6;

/** A construct's execution counts, by aws-cdk's names. */
export interface ExecutionMetrics {
  metricSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  metricTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  metricAborted(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/** A count's options on these widgets: the Sum per hour, labelled. */
export function perHour(label: string): cloudwatch.MetricOptions {
  return { period: COUNT_PERIOD, statistic: cloudwatch.Stats.SUM, label };
}

/** The errors of each function (by label), per hour, for the right axis of `executionsWidget`. */
export function functionErrors(functions: Record<string, lambda.IFunction>): cloudwatch.IMetric[] {
  return Object.entries(functions).map(([label, fn]) => fn.metricErrors(perHour(label)));
}

/** Executions by outcome per hour; `right`, counts per hour beside them (errors of functions that start none). */
export function executionsWidget(title: string, source: ExecutionMetrics, right: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    left: [
      source.metricSucceeded(perHour('Succeeded')),
      source.metricFailed(perHour('Failed')),
      source.metricTimedOut(perHour('Timed out')),
      source.metricAborted(perHour('Aborted')),
    ],
    right,
    width: WIDGET_WIDTH,
    height: WIDGET_HEIGHT,
  });
}

export function durationWidget(stateMachine: sfn.StateMachine): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title: 'Execution duration (ms)',
    left: [
      stateMachine.metricTime({ period: COUNT_PERIOD, statistic: cloudwatch.Stats.AVERAGE, label: 'Average' }),
      stateMachine.metricTime({ period: COUNT_PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: 'Longest' }),
    ],
    width: WIDGET_WIDTH,
    height: WIDGET_HEIGHT,
  });
}

/** The Maximum of an age metric: its stalest series. */
export function ageWidget(title: string, metric: (props?: cloudwatch.MetricOptions) => cloudwatch.IMetric, label: string): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    left: [metric({ statistic: cloudwatch.Stats.MAXIMUM, label })],
    width: WIDGET_WIDTH,
    height: WIDGET_HEIGHT,
  });
}

export function alarmStatusWidget(title: string, alarms: cloudwatch.IAlarm[]): cloudwatch.AlarmStatusWidget {
  return new cloudwatch.AlarmStatusWidget({ title, alarms, width: WIDGET_WIDTH, height: WIDGET_HEIGHT });
}
