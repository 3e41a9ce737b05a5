import { App, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { SharedClusterSnapshots } from 'cdk-shared-cluster-snapshots';

const app = new App();
const stack = new Stack(app, 'SharedSnapshots', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111', region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-1' },
});

new SharedClusterSnapshots(stack, 'Snapshots', {
  clusterIdentifiers: ['orders-db', 'billing-db'],
  targetAccountIds: ['222222222222'],
  schedule: ScheduleExpression.cron({ hour: '3', minute: '0', timeZone: TimeZone.EUROPE_BERLIN }),
  waitInterval: Duration.minutes(1),
  snapshotTimeout: Duration.hours(6),
  retainSnapshots: 2,
});
