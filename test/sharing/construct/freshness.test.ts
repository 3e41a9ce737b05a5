import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { build, Json, lambdaEnvironment, newStack, addSnapshots } from './helpers';
import { SOURCE_FRESHNESS_METRIC } from '../../../src/shared/constants';

const freshnessAlarmOf = (template: Template): Json =>
  (Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[]).find((a) => a.Properties.MetricName === SOURCE_FRESHNESS_METRIC.newestSnapshotAge);

describe('source-side freshness', () => {
  test('the publisher runs every hour on a schedule of its own, with the owner id and the cluster selection', () => {
    const { stack, construct, template } = build();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 1800 } }),
    });
    const fn = construct.node.findChild('PublishFreshness') as never;
    expect(lambdaEnvironment(stack, template, fn)).toEqual({
      OWNER_ID: construct.ownerId, CLUSTER_IDENTIFIERS: 'orders-db,billing-db', AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    });
  });

  test('the alarm: the stalest cluster over maxSnapshotAge (26 hours by default) for two hours, missing data breaching, no actions', () => {
    const alarm = freshnessAlarmOf(build().template);
    expect(alarm.Properties).toMatchObject({
      Namespace: 'SharedClusterSnapshots',
      MetricName: 'NewestSharedSnapshotAge',
      Dimensions: [{ Name: 'OwnerId', Value: 'TestStack/Snapshots' }],
      Statistic: 'Maximum',
      Period: 3600,
      Unit: 'Seconds',
      Threshold: 26 * 3600,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'breaching',
    });
    expect(alarm.Properties.AlarmActions).toBeUndefined();
  });

  test('maxSnapshotAge sets the threshold; alarmTopic is notified', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');
    addSnapshots(stack, { maxSnapshotAge: Duration.hours(50), alarmTopic: topic });
    const alarm = freshnessAlarmOf(Template.fromStack(stack));
    expect(alarm.Properties.Threshold).toBe(50 * 3600);
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(topic.node.defaultChild as never) }]);
  });

  test('metricNewestSnapshotAge() is the alarm\'s metric, and takes overrides', () => {
    const { stack, construct } = build();
    const metric = construct.metricNewestSnapshotAge();
    expect(metric.namespace).toBe('SharedClusterSnapshots');
    expect(metric.metricName).toBe('NewestSharedSnapshotAge');
    expect(metric.dimensions).toEqual({ OwnerId: construct.ownerId });
    expect(metric.statistic).toBe('Maximum');
    expect(metric.period.toSeconds()).toBe(3600);
    expect(construct.metricNewestSnapshotAge({ period: Duration.minutes(5) }).period.toSeconds()).toBe(300);
    expect(stack.resolve(construct.freshnessAlarm.metric)).toBeDefined();
  });

  test('the publisher may only list snapshots (the filtered list is authorized on the wildcard ARNs)', () => {
    const { stack, construct, template } = build();
    const fn = construct.node.findChild('PublishFreshness') as { role?: { node: { defaultChild?: unknown } } };
    const roleId = stack.getLogicalId((fn.role as never as { node: { defaultChild: never } }).node.defaultChild);
    const statements = (Object.values(template.findResources('AWS::IAM::Policy')) as Json[])
      .filter((policy) => policy.Properties.Roles.some((role: Json) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => !a.startsWith('logs:'))).toEqual(['rds:DescribeDBClusterSnapshots']);
  });
});
