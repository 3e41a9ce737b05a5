import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ReceiverHandlers } from './receiver-handlers';
import { ageWidget, alarmStatusWidget, durationWidget, ExecutionMetrics, executionsWidget, functionErrors } from '../shared/dashboard-widgets';

/** What the dashboard reads of a `ReceivedClusterSnapshots` (structural, to avoid a circular import). */
export interface ReceiverDashboardSource extends ExecutionMetrics {
  readonly stateMachine: sfn.StateMachine;
  readonly handlers: ReceiverHandlers;
  readonly failureAlarm: cloudwatch.IAlarm;
  readonly freshnessAlarm: cloudwatch.IAlarm;
  metricNewestCopyAge(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/** One receiver's dashboard: its copies' outcomes and durations, the errors that start none, and freshness. */
export class ReceiverDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, source: ReceiverDashboardSource) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', { defaultInterval: Duration.days(14) });
    this.dashboard.addWidgets(
      executionsWidget('Copy executions (one per shared snapshot)', source, functionErrors({
        'Receive-event errors': source.handlers.receiveEvent,
        'Scan errors': source.handlers.scan,
      })),
      alarmStatusWidget('Alarms', [source.failureAlarm, source.freshnessAlarm]),
    );
    this.dashboard.addWidgets(
      durationWidget(source.stateMachine),
      ageWidget('Age of the newest copy', (props) => source.metricNewestCopyAge(props), 'Stalest source database'),
    );
  }
}
