import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { SnapshotHandlerLogGroups } from './snapshot-handlers';
import { HANDLER_METRICS, HANDLER_NAMES } from '../shared/constants';

/** Runs happen once per schedule period: counts per hour show each run as one point. */
const COUNT_PERIOD = Duration.hours(1);
const WIDGET_WIDTH = 12;
/** How many runs the per-run table lists. */
const RUNS_LISTED = 20;

/** What the dashboard reads of a `SharedClusterSnapshots` (structural, to avoid a circular import). */
export interface DashboardSource {
  readonly ownerId: string;
  readonly stateMachine: sfn.StateMachine;
  readonly starterFunction: lambda.IFunction;
  readonly failureAlarm: cloudwatch.IAlarm;
  readonly starterLogGroup: logs.ILogGroup;
  readonly handlerLogGroups: SnapshotHandlerLogGroups;
  metricSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  metricTimedOut(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  metricAborted(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  metricRunSkipped(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Snapshot freshness, where the instance publishes it (issue 9); its widget is added when present. */
  metricNewestSnapshotAge?(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/**
 * One instance's dashboard: its runs' outcomes (skipped runs too), durations and RDS calls, and snapshot freshness
 * where published. RDS calls come from the handlers' embedded-metric-format lines
 * (metrics.lambda-shared.ts); the per-run table sums those lines by `runId`.
 */
export class SnapshotsDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, source: DashboardSource) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', { defaultInterval: Duration.days(14) });
    this.dashboard.addWidgets(
      runsWidget(source),
      new cloudwatch.AlarmStatusWidget({ title: 'Failure alarm', alarms: [source.failureAlarm], width: WIDGET_WIDTH, height: 6 }),
    );
    this.dashboard.addWidgets(durationWidget(source.stateMachine), ...freshnessWidgets(source));
    this.dashboard.addWidgets(rdsCallsWidget(source.ownerId), rdsCallsPerRunWidget(source));
  }
}

function runsWidget(source: DashboardSource): cloudwatch.GraphWidget {
  const options = { period: COUNT_PERIOD, statistic: cloudwatch.Stats.SUM };
  return new cloudwatch.GraphWidget({
    title: 'Executions (one per cluster and run)',
    left: [
      source.metricSucceeded({ ...options, label: 'Succeeded' }),
      source.metricFailed({ ...options, label: 'Failed' }),
      source.metricTimedOut({ ...options, label: 'Timed out' }),
      source.metricAborted({ ...options, label: 'Aborted' }),
    ],
    right: [
      source.starterFunction.metricErrors({ ...options, label: 'Starter errors' }),
      source.metricRunSkipped({ ...options, label: 'Skipped (earlier run in progress)' }),
    ],
    width: WIDGET_WIDTH,
    height: 6,
  });
}

function durationWidget(stateMachine: sfn.StateMachine): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title: 'Execution duration (ms)',
    left: [
      stateMachine.metricTime({ period: COUNT_PERIOD, statistic: cloudwatch.Stats.AVERAGE, label: 'Average' }),
      stateMachine.metricTime({ period: COUNT_PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: 'Longest' }),
    ],
    width: WIDGET_WIDTH,
    height: 6,
  });
}

function freshnessWidgets(source: DashboardSource): cloudwatch.IWidget[] {
  if (typeof source.metricNewestSnapshotAge !== 'function') return [];
  return [new cloudwatch.GraphWidget({
    title: 'Age of the newest shared snapshot',
    left: [source.metricNewestSnapshotAge({ statistic: cloudwatch.Stats.MAXIMUM, label: 'Oldest cluster' })],
    width: WIDGET_WIDTH,
    height: 6,
  })];
}

/** RDS calls per hour, stacked by handler: with one run a day, each bar is one run. */
function rdsCallsWidget(ownerId: string): cloudwatch.GraphWidget {
  const rdsCalls = (handler: string) => new cloudwatch.Metric({
    namespace: HANDLER_METRICS.namespace,
    metricName: HANDLER_METRICS.rdsCalls,
    dimensionsMap: { [HANDLER_METRICS.ownerDimension]: ownerId, [HANDLER_METRICS.handlerDimension]: handler },
    period: COUNT_PERIOD,
    statistic: cloudwatch.Stats.SUM,
    label: handler,
  });
  return new cloudwatch.GraphWidget({
    title: 'RDS calls per hour, by handler',
    left: Object.values(HANDLER_NAMES).map(rdsCalls),
    stacked: true,
    view: cloudwatch.GraphWidgetView.BAR,
    width: WIDGET_WIDTH,
    height: 6,
  });
}

/** The exact sum per run, from the metric lines' `runId` property (a run is not a dimension). */
function rdsCallsPerRunWidget(source: DashboardSource): cloudwatch.LogQueryWidget {
  const metric = HANDLER_METRICS.rdsCalls;
  return new cloudwatch.LogQueryWidget({
    title: 'RDS calls per run',
    logGroupNames: [source.starterLogGroup, ...Object.values(source.handlerLogGroups)].map((group: logs.ILogGroup) => group.logGroupName),
    queryLines: [
      `filter ispresent(${metric}) and ispresent(runId)`,
      `stats sum(${metric}) as rdsCalls, count_distinct(clusterIdentifier) as clusters, count(*) as invocations by runId`,
      'sort runId desc',
      `limit ${RUNS_LISTED}`,
    ],
    view: cloudwatch.LogQueryVisualizationType.TABLE,
    width: WIDGET_WIDTH,
    height: 6,
  });
}
