/**
 * What an operator of the receiver works with: the failure alarm (its metrics, its action, its
 * description), the metric methods, grantReadExecutions and the dashboard.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps } from '../../src';
import { receiverFailureAlarmDescription } from '../../src/receiving/alarms';
import { FRESHNESS_METRIC } from '../../src/shared/constants';
import { MAX_ALARM_DESCRIPTION_LENGTH } from '../../src/shared/operations';

type Json = any;
const REGION = 'eu-west-1';

function build(props: Partial<ReceivedClusterSnapshotsProps> = {}, configure?: (stack: Stack) => Partial<ReceivedClusterSnapshotsProps>) {
  const stack = new Stack(new App(), 'Target', { env: { account: '222222222222', region: REGION } });
  const construct = new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: ['111111111111'], ...props, ...configure?.(stack) });
  return { stack, construct, template: Template.fromStack(stack) };
}

const idOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as any);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** `{Ref: X}` as `<X>`, `{Fn::GetAtt: [X, A]}` as `<X.A>`, joins joined. */
function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (value.Ref) return `<${value.Ref}>`;
  if (value['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(render).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}

describe('the failure alarm', () => {
  const { stack, construct, template } = build();
  const alarm = template.toJSON().Resources[idOf(stack, construct.failureAlarm)];
  const machine = `<${idOf(stack, construct.stateMachine)}>`;

  test('sums failed, timed-out and aborted copy executions and the receive-event and scan functions\' errors, per 5 minutes', () => {
    const [expression, ...metrics] = alarm.Properties.Metrics;
    expect(expression).toEqual({ Id: 'expr_1', Expression: 'failed + timedOut + aborted + receiveEventErrors + scanErrors', Label: 'Failed copies' });
    const read = Object.fromEntries(metrics.map((m: Json) => [m.Id, {
      metric: `${m.MetricStat.Metric.Namespace}/${m.MetricStat.Metric.MetricName}`,
      dimensions: m.MetricStat.Metric.Dimensions.map((d: Json) => `${d.Name}=${render(d.Value)}`),
      stat: m.MetricStat.Stat,
      period: m.MetricStat.Period,
      returnData: m.ReturnData,
    }]));
    const of = (metric: string, dimension: string) => ({ metric, dimensions: [dimension], stat: 'Sum', period: 300, returnData: false });
    expect(read).toEqual({
      failed: of('AWS/States/ExecutionsFailed', `StateMachineArn=${machine}`),
      timedOut: of('AWS/States/ExecutionsTimedOut', `StateMachineArn=${machine}`),
      aborted: of('AWS/States/ExecutionsAborted', `StateMachineArn=${machine}`),
      receiveEventErrors: of('AWS/Lambda/Errors', `FunctionName=<${idOf(stack, construct.handlers.receiveEvent)}>`),
      scanErrors: of('AWS/Lambda/Errors', `FunctionName=<${idOf(stack, construct.handlers.scan)}>`),
    });
  });

  test('fires on the first one, and is OK without data', () => {
    expect(alarm.Properties).toMatchObject({
      Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
    });
    expect(alarm.Properties.AlarmActions).toBeUndefined();
  });

  test('metricFailed() is the state machine\'s ExecutionsFailed, as aws-cdk names it', () => {
    const metric = construct.metricFailed() as cloudwatch.Metric;
    expect([metric.namespace, metric.metricName, metric.statistic]).toEqual(['AWS/States', 'ExecutionsFailed', 'Sum']);
    expect(stack.resolve(metric.dimensions)).toEqual({ StateMachineArn: { Ref: idOf(stack, construct.stateMachine) } });
    const names = [construct.metricSucceeded(), construct.metricTimedOut(), construct.metricAborted()]
      .map((m) => (m as cloudwatch.Metric).metricName);
    expect(names).toEqual(['ExecutionsSucceeded', 'ExecutionsTimedOut', 'ExecutionsAborted']);
  });

  test('alarmTopic: both alarms notify it, as the source\'s do', () => {
    const built = build({}, (s) => ({ alarmTopic: new sns.Topic(s, 'Alarms') }));
    const topic = { Ref: built.stack.getLogicalId(built.stack.node.findChild('Alarms').node.defaultChild as any) };
    for (const a of [built.construct.failureAlarm, built.construct.freshnessAlarm]) {
      expect(built.template.toJSON().Resources[idOf(built.stack, a)].Properties.AlarmActions).toEqual([topic]);
    }
  });

  describe('description', () => {
    const description = render(alarm.Properties.AlarmDescription);

    test('opens this state machine in the Step Functions console of the stack\'s Region, and names where else to look', () => {
      expect(description).toContain(`Open the state machine <${idOf(stack, construct.stateMachine)}.Name> in the Step Functions console`);
      expect(description).toContain(`https://${REGION}.console.aws.amazon.com/states/home?region=${REGION}#/statemachines/view/${machine}`);
      expect(description).toContain('ReceiveEvent and ScanSharedSnapshots functions\' log groups');
    });

    test('names the runbook: README sections that exist', () => {
      const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
      const anchor = /#([a-z-]+)\)\.$/.exec(description)![1];
      const headings = readme.split('\n').filter((l) => /^#+ /.test(l)).map((l) => l.replace(/^#+ /, '').toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-'));
      expect(headings).toContain(anchor);
      for (const error of ['SharedSnapshotNotFound', 'SourceIsOwnAccount']) expect(readme).toContain(`| \`${error}\` (receiver)`);
    });

    test('fits CloudWatch\'s 1,024 characters with the longest Region, name and ARN', () => {
      const name = 'n'.repeat(80); // Step Functions' limit for a state machine name
      const longest = receiverFailureAlarmDescription({
        region: 'ap-southeast-5',
        stateMachineName: name,
        stateMachineArn: `arn:aws-us-gov:states:us-gov-west-1:222222222222:stateMachine:${name}`,
      });
      expect(longest.length).toBeLessThanOrEqual(MAX_ALARM_DESCRIPTION_LENGTH);
    });
  });
});

describe('grantReadExecutions', () => {
  const stack = new Stack(new App(), 'Target', { env: { account: '222222222222', region: REGION } });
  const construct = new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: ['111111111111'] });
  const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
  construct.grantReadExecutions(operator);
  const template = Template.fromStack(stack);
  const machineId = idOf(stack, construct.stateMachine);
  const statements: Json[] = Object.values<Json>(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(idOf(stack, operator)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);

  test('lists, describes and reads the history of this state machine\'s executions only', () => {
    expect(statements).toContainEqual({ Effect: 'Allow', Action: ['states:ListExecutions', 'states:DescribeStateMachine'], Resource: { Ref: machineId } });
    const executions = statements.find((s) => asList(s.Action).includes('states:DescribeExecution'));
    expect(executions.Action).toEqual(['states:DescribeExecution', 'states:GetExecutionHistory', 'states:DescribeStateMachineForExecution']);
    expect(render(executions.Resource)).toBe(`arn:<AWS::Partition>:states:${REGION}:222222222222:execution:<${machineId}.Name>:*`);
  });

  test('reads the state machine\'s and every function\'s log group, and no other', () => {
    const groups = [construct.stateMachineLogGroup, ...Object.values(construct.handlerLogGroups)];
    expect(groups).toHaveLength(6);
    const read = statements.filter((s) => asList(s.Action).includes('logs:GetLogEvents')).flatMap((s) => asList(s.Resource)).map(render);
    expect(read.sort()).toEqual(groups.map((g) => `<${idOf(stack, g)}.Arn>`).sort());
  });

  test('grants nothing that writes, starts or stops', () => {
    const actions = statements.flatMap((s) => asList(s.Action));
    expect(actions.filter((a) => /^states:(Start|Stop|Send|Update|Delete|Create)|^logs:(Put|Create|Delete)/.test(a))).toEqual([]);
  });

  test('handlerLogGroups[step] is the group handlers[step] logs to', () => {
    for (const [step, fn] of Object.entries(construct.handlers)) {
      const properties = template.toJSON().Resources[idOf(stack, fn)].Properties;
      expect(render(properties.LoggingConfig.LogGroup)).toBe(`<${idOf(stack, (construct.handlerLogGroups as Json)[step])}>`);
    }
  });
});

/** The dashboard body as JSON, references as `<LogicalId>` text. */
function dashboardBody(template: Template): Json {
  const [dashboard] = Object.values<Json>(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody;
  return JSON.parse(body['Fn::Join'] ? body['Fn::Join'][1].map((part: Json) => (typeof part === 'string' ? part : render(part))).join('') : body);
}

describe('the dashboard', () => {
  test('is not created by default; dashboard: true and addDashboard() make one and the same', () => {
    build().template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    const { construct, template } = build({ dashboard: true });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(construct.addDashboard()).toBe(construct.addDashboard());
  });

  test('copies by outcome and duration, the starters\' errors, both alarms and the newest copy\'s age', () => {
    const { stack, construct, template } = build({ dashboard: true });
    const body = dashboardBody(template);
    const metrics: Json[][] = body.widgets.flatMap((w: Json) => w.properties.metrics ?? []);
    const machine = `<${idOf(stack, construct.stateMachine)}>`;
    expect(metrics.filter((m) => m[0] === 'AWS/States' && m.includes(machine)).map((m) => m[1]))
      .toEqual(['ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', 'ExecutionTime', 'ExecutionTime']);
    expect(metrics.filter((m) => m[0] === 'AWS/Lambda').map((m) => [m[1], m[3]])).toEqual([
      ['Errors', `<${idOf(stack, construct.handlers.receiveEvent)}>`],
      ['Errors', `<${idOf(stack, construct.handlers.scan)}>`],
    ]);
    expect(metrics.filter((m) => m[1] === 'NewestCopyAge').map((m) => [m[0], m[2], m[3]]))
      .toEqual([[FRESHNESS_METRIC.namespace, FRESHNESS_METRIC.ownerDimension, construct.ownerId]]);
    const alarms = body.widgets.find((w: Json) => w.properties.alarms).properties.alarms;
    expect(alarms).toEqual([construct.failureAlarm, construct.freshnessAlarm].map((a) => `<${idOf(stack, a)}.Arn>`));
  });

  test('cdk-nag AwsSolutions: the dashboard adds no finding', () => {
    const stack = new Stack(new App(), 'Target', { env: { account: '222222222222', region: REGION } });
    new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: ['111111111111'], dashboard: true });
    Aspects.of(stack).add(new AwsSolutionsChecks());
    const annotations = Annotations.fromStack(stack);
    const nag = Match.stringLikeRegexp('AwsSolutions-.*');
    expect([...annotations.findError('*', nag), ...annotations.findWarning('*', nag)].map((m) => m.id)).toEqual([]);
  });
});
