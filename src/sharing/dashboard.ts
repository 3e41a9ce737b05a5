import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { SnapshotHandlerLogGroups } from './snapshot-handlers';
import { HANDLER_METRICS, HANDLER_NAMES } from '../shared/constants';
import {
  ageWidget, alarmStatusWidget, COUNT_PERIOD, durationWidget, ExecutionMetrics, executionsWidget, functionErrors, perHour, WIDGET_WIDTH,
} from '../shared/dashboard-widgets';

/** How many runs the per-run table lists. */
const RUNS_LISTED = 20;

/** What the dashboard reads of a `SharedClusterSnapshots` (structural, to avoid a circular import). */
export interface DashboardSource extends ExecutionMetrics {
  readonly ownerId: string;
  readonly stateMachine: sfn.StateMachine;
  readonly starterFunction: lambda.IFunction;
  readonly failureAlarm: cloudwatch.IAlarm;
  readonly starterLogGroup: logs.ILogGroup;
  readonly handlerLogGroups: SnapshotHandlerLogGroups;
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
      executionsWidget('Executions (one per cluster and run)', source, [
        ...functionErrors({ 'Starter errors': source.starterFunction }),
        source.metricRunSkipped(perHour('Skipped (earlier run in progress)')),
      ]),
      alarmStatusWidget('Failure alarm', [source.failureAlarm]),
    );
    this.dashboard.addWidgets(durationWidget(source.stateMachine), ...freshnessWidgets(source));
    this.dashboard.addWidgets(rdsCallsWidget(source.ownerId), rdsCallsPerRunWidget(source));
  }
}

function freshnessWidgets(source: DashboardSource): cloudwatch.IWidget[] {
  if (typeof source.metricNewestSnapshotAge !== 'function') return [];
  return [ageWidget('Age of the newest shared snapshot', (props) => source.metricNewestSnapshotAge!(props), 'Oldest cluster')];
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
