import { Match } from 'aws-cdk-lib/assertions';
import { build, Json, roleIdOf } from './helpers';
import { RUN_SKIPPED_METRIC } from '../../../src/shared/constants';

// The skipped runs, as an operator reads them: metricRunSkipped() and the dashboard read the metric
// the starter and Prepare write (run-skipped.lambda-shared.ts); the starter may list this state
// machine's executions, and nothing else's.

test('metricRunSkipped() reads the RunSkipped metric under the owner dimension, summed per hour', () => {
  const { construct } = build();
  expect(construct.metricRunSkipped().toMetricConfig().metricStat).toMatchObject({
    namespace: RUN_SKIPPED_METRIC.namespace,
    metricName: RUN_SKIPPED_METRIC.runSkipped,
    dimensions: [{ name: RUN_SKIPPED_METRIC.ownerDimension, value: construct.ownerId }],
    statistic: 'Sum',
  });
  expect(construct.metricRunSkipped().period.toSeconds()).toBe(3600);
});

test('the dashboard shows the skipped runs beside the executions', () => {
  const { construct, template } = build({ dashboard: true });
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Json[];
  const body = JSON.stringify(dashboard.Properties.DashboardBody);
  expect(body).toContain(JSON.stringify(`["${RUN_SKIPPED_METRIC.namespace}","${RUN_SKIPPED_METRIC.runSkipped}","OwnerId","${construct.ownerId}"`).slice(1, -1));
  expect(body).toContain('Skipped (earlier run in progress)');
});

test('the starter may list the executions of its own state machine only', () => {
  const { stack, construct, template } = build();
  const machine = stack.getLogicalId(construct.stateMachine.node.defaultChild as never);
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: roleIdOf(stack, construct.starterFunction) }],
    PolicyDocument: { Statement: Match.arrayWith([{ Action: 'states:ListExecutions', Effect: 'Allow', Resource: { Ref: machine } }]) },
  });
  const listing = (Object.values(template.findResources('AWS::IAM::Policy')) as Json[])
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .filter((s: Json) => [s.Action].flat().some((a: string) => a.startsWith('states:List')));
  expect(listing).toHaveLength(1);
});
