import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations as AssertionAnnotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { build, handlerFunctions, HANDLER_NAMES, Json, logicalIdOf, newStack, REGION, render, addSnapshots } from './helpers';
import { SharedClusterSnapshots } from '../../../src';
import { MAX_ALARM_DESCRIPTION_LENGTH } from '../../../src/shared/operations';
import { SnapshotsDashboard } from '../../../src/sharing/dashboard';
import { failureAlarmDescription } from '../../../src/sharing/operations';

/** The template's resources of one type, by logical id. */
function resourcesOf(template: Template, type: string): Record<string, Json> {
  return template.findResources(type);
}

function functionResource(stack: Stack, template: Template, fn: lambda.IFunction): Json {
  return resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(stack, fn)];
}

describe('log groups', () => {
  const { stack, construct, template } = build();

  test('stateMachineLogGroup is the group the state machine logs to', () => {
    const machine = Object.values(resourcesOf(template, 'AWS::StepFunctions::StateMachine'))[0];
    const destination = machine.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn;
    expect(render(destination)).toBe(`<${stack.getLogicalId(construct.stateMachineLogGroup.node.defaultChild as any)}.Arn>`);
  });

  test('handlerLogGroups[step] is the group handlers[step] logs to, one distinct group each', () => {
    const ids = HANDLER_NAMES.map((name) => {
      const fn = functionResource(stack, template, construct.handlers[name]);
      const groupId = stack.getLogicalId(construct.handlerLogGroups[name].node.defaultChild as any);
      expect(render(fn.Properties.LoggingConfig.LogGroup)).toBe(`<${groupId}>`);
      return groupId;
    });
    expect(new Set(ids).size).toBe(HANDLER_NAMES.length);
    expect(Object.keys(construct.handlerLogGroups).sort()).toEqual([...HANDLER_NAMES].sort());
  });

  test('starterLogGroup is the group the starter logs to', () => {
    const fn = functionResource(stack, template, construct.starterFunction);
    expect(render(fn.Properties.LoggingConfig.LogGroup)).toBe(`<${stack.getLogicalId(construct.starterLogGroup.node.defaultChild as any)}>`);
  });
});

describe('grantReadExecutions', () => {
  const stack = newStack();
  const construct = addSnapshots(stack);
  const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
  construct.grantReadExecutions(operator);
  const template = Template.fromStack(stack);
  const machineId = stack.getLogicalId(construct.stateMachine.node.defaultChild as any);

  function statements(): Json[] {
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(stack.getLogicalId(operator.node.defaultChild as any)));
    return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
  }

  test('lists the executions and describes the state machine, on this state machine only', () => {
    expect(statements()).toContainEqual({
      Effect: 'Allow',
      Action: ['states:ListExecutions', 'states:DescribeStateMachine'],
      Resource: { Ref: machineId },
    });
  });

  test('describes executions and reads their history, on this state machine\'s executions only', () => {
    const statement = statements().find((s) => asArray(s.Action).includes('states:DescribeExecution'));
    expect(statement.Action).toEqual(['states:DescribeExecution', 'states:GetExecutionHistory', 'states:DescribeStateMachineForExecution']);
    expect(render(statement.Resource)).toBe(`arn:<AWS::Partition>:states:${REGION}:111111111111:execution:<${machineId}.Name>:*`);
  });

  test('reads the state machine\'s and every function\'s log group, and no other', () => {
    const logStatements = statements().filter((s) => asArray(s.Action).includes('logs:GetLogEvents'));
    const groups = [construct.stateMachineLogGroup, construct.starterLogGroup, ...Object.values(construct.handlerLogGroups)];
    expect(logStatements.flatMap((s) => asArray(s.Resource)).map(render).sort())
      .toEqual(groups.map((g) => `<${stack.getLogicalId(g.node.defaultChild as any)}.Arn>`).sort());
    for (const s of logStatements) {
      expect(s.Action).toEqual(['logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:GetLogGroupFields', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams']);
    }
  });

  test('grants nothing that writes, starts or stops', () => {
    const actions = statements().flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => /^states:(Start|Stop|Send|Update|Delete|Create)|^logs:(Put|Create|Delete)/.test(a))).toEqual([]);
  });
});

describe('function descriptions', () => {
  const { stack, construct, template } = build();
  const descriptions = [construct.starterFunction, ...handlerFunctions(construct)]
    .map((fn) => functionResource(stack, template, fn).Properties.Description as string);

  test('say what each function does, name the construct and the step, and are not source paths', () => {
    expect(descriptions).toHaveLength(8);
    for (const description of descriptions) {
      expect(description).toMatch(/^SharedClusterSnapshots: /);
      expect(description).not.toMatch(/\.ts\b|src\//);
      expect(description.length).toBeLessThanOrEqual(256); // Lambda's limit for Description
    }
    expect(new Set(descriptions).size).toBe(8);
    expect(functionResource(stack, template, construct.handlers.createSnapshot).Properties.Description)
      .toBe('SharedClusterSnapshots: snapshots one cluster (CreateSnapshot step)');
  });
});

describe('the failure alarm\'s description', () => {
  const { stack, construct, template } = build();
  const alarm = resourcesOf(template, 'AWS::CloudWatch::Alarm')[stack.getLogicalId(construct.failureAlarm.node.defaultChild as any)];
  const description = render(alarm.Properties.AlarmDescription);
  const machineId = stack.getLogicalId(construct.stateMachine.node.defaultChild as any);

  test('opens this state machine in the Step Functions console of the stack\'s Region', () => {
    expect(description).toContain(`Open the state machine <${machineId}.Name> in the Step Functions console`);
    expect(description).toContain(`https://${REGION}.console.aws.amazon.com/states/home?region=${REGION}#/statemachines/view/<${machineId}>`);
  });

  test('names the runbook: README sections that exist', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const anchor = /#([a-z-]+)\)\.$/.exec(description)![1];
    const headings = readme.split('\n').filter((l) => /^#+ /.test(l)).map((l) => l.replace(/^#+ /, '').toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-'));
    expect(headings).toContain(anchor);
    expect(readme).toContain('**Reading a failed execution**');
    expect(description).toContain('"Reading a failed execution" and "Troubleshooting"');
  });

  test('fits CloudWatch\'s 1,024 characters with the longest Region, name and ARN', () => {
    const name = 'n'.repeat(80); // Step Functions' limit for a state machine name
    const longest = failureAlarmDescription({
      region: 'ap-southeast-5',
      stateMachineName: name,
      stateMachineArn: `arn:aws-us-gov:states:us-gov-west-1:111111111111:stateMachine:${name}`,
    });
    expect(longest.length).toBeLessThanOrEqual(MAX_ALARM_DESCRIPTION_LENGTH);
  });
});

/** The dashboard body as JSON, references as `<LogicalId>` text. */
function dashboardBody(template: Template): Json {
  const [dashboard] = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody;
  const text = body['Fn::Join'] ? body['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : render(part))).join('') : body;
  return JSON.parse(text);
}

function metricsOf(body: Json): Json[][] {
  return body.widgets.flatMap((w: Json) => w.properties.metrics ?? []);
}

describe('the dashboard', () => {
  test('is not created by default', () => {
    build().template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('dashboard: true and addDashboard() make one and the same dashboard', () => {
    const { construct, template } = build({ dashboard: true });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(construct.addDashboard()).toBe(construct.addDashboard());
    expect(construct.addDashboard()).toBeInstanceOf(cloudwatch.Dashboard);
  });

  describe('widgets', () => {
    const stack = newStack();
    const construct = addSnapshots(stack);
    construct.addDashboard();
    const template = Template.fromStack(stack);
    const body = dashboardBody(template);
    const machineArn = `<${stack.getLogicalId(construct.stateMachine.node.defaultChild as any)}>`;

    test('executions succeeded, failed, timed out and aborted, and their durations, of this state machine', () => {
      const names = metricsOf(body).filter((m) => m[0] === 'AWS/States' && m.includes(machineArn)).map((m) => m[1]);
      expect(names).toEqual(expect.arrayContaining(['ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', 'ExecutionTime']));
    });

    test('RDS calls of every handler, read by the namespace, metric and dimensions the handlers write', () => {
      const rdsCalls = metricsOf(body).filter((m) => m[0] === 'SharedClusterSnapshots' && m[1] === 'RdsCalls');
      // [namespace, name, dimension, value, dimension, value, options]
      const read = rdsCalls.map((m) => ({ metric: m[1], [m[2]]: m[3], [m[4]]: m[5] }));
      expect(read).toEqual(
        ['Starter', 'Prepare', 'CreateSnapshot', 'CheckSnapshot', 'CopySnapshot', 'CopyToRegion', 'ShareSnapshot', 'CleanUp', 'CleanUpFailedRun', 'PublishFreshness', 'RecordCopy']
          .map((handler) => ({ metric: 'RdsCalls', OwnerId: construct.ownerId, Handler: handler })),
      );
      expect(rdsCalls.every((m) => m[6].stat === 'Sum')).toBe(true);
    });

    test('a per-run table from the metric lines of all function log groups', () => {
      const query = body.widgets.find((w: Json) => w.type === 'log');
      expect(query.properties.query).toContain('stats sum(RdsCalls) as rdsCalls');
      expect(query.properties.query).toContain('by runId');
      const groups = [construct.starterLogGroup, ...Object.values(construct.handlerLogGroups)];
      for (const group of groups) expect(query.properties.query).toContain(`<${stack.getLogicalId(group.node.defaultChild as any)}>`);
    });

    test('the failure alarm\'s status', () => {
      const alarmWidget = body.widgets.find((w: Json) => w.properties.alarms);
      expect(alarmWidget.properties.alarms).toEqual([`<${stack.getLogicalId(construct.failureAlarm.node.defaultChild as any)}.Arn>`]);
    });

    test('freshness, exactly when the construct publishes it (metricNewestSnapshotAge)', () => {
      const hasFreshness = body.widgets.some((w: Json) => w.properties.title === 'Age of the newest shared snapshot');
      expect(hasFreshness).toBe(typeof (construct as Json).metricNewestSnapshotAge === 'function');
    });
  });

  test('a source with metricNewestSnapshotAge gets the freshness widget with that metric', () => {
    const stack = newStack();
    const construct: SharedClusterSnapshots = addSnapshots(stack);
    const age = new cloudwatch.Metric({ namespace: 'Test', metricName: 'NewestSnapshotAge' });
    const source = Object.assign(Object.create(construct), { metricNewestSnapshotAge: (props?: cloudwatch.MetricOptions) => age.with(props ?? {}) });
    new SnapshotsDashboard(stack, 'WithFreshness', source);
    const widget = dashboardBody(Template.fromStack(stack)).widgets.find((w: Json) => w.properties.title === 'Age of the newest shared snapshot');
    expect(widget.properties.metrics[0].slice(0, 2)).toEqual(['Test', 'NewestSnapshotAge']);
  });
});

function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}


describe('the README\'s acknowledgement of the imported-key warning', () => {
  function importedKeyWarnings(acknowledge: boolean): unknown[] {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:${REGION}:111111111111:key/11111111-2222-3333-4444-555555555555`);
    const construct = addSnapshots(stack, { encryptionKey: key });
    if (acknowledge) Annotations.of(construct).acknowledgeWarning('cdk-shared-cluster-snapshots:importedKey', 'policy checked');
    return AssertionAnnotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('importedKey'));
  }

  test('the warning exists under that id, and the README\'s call removes it', () => {
    expect(importedKeyWarnings(false)).toHaveLength(1);
    expect(importedKeyWarnings(true)).toHaveLength(0);
  });
});

test('cdk-nag AwsSolutions: the dashboard adds no finding', () => {
  const stack = newStack();
  addSnapshots(stack, { dashboard: true });
  Aspects.of(stack).add(new AwsSolutionsChecks());
  const annotations = AssertionAnnotations.fromStack(stack);
  const nag = Match.stringLikeRegexp('AwsSolutions-.*');
  expect([...annotations.findError('*', nag), ...annotations.findWarning('*', nag)].map((m) => `${m.id}: ${String(m.entry.data).split('\n')[0]}`)).toEqual([]);
});
