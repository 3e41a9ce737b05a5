import { createHash } from 'crypto';
import { createRequire } from 'module';
import { gunzipSync } from 'zlib';
import { App, Duration, Fn, Stack, TimeZone, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  ACCOUNT,
  addSnapshots,
  asList,
  build,
  definitionOf,
  functionArnInDefinition,
  handlerFunctions,
  HANDLER_NAMES,
  Json,
  lambdaEnvironment,
  logicalIdOf,
  newStack,
  REGION,
  render,
  roleIdOf,
  stateJson,
  TARGETS,
  tasksOf,
} from './helpers';
import { SharedClusterSnapshots, SharedClusterSnapshotsProps } from '../../../src';
import { TAG_OWNER } from '../../../src/shared/constants';

// asl-validator 4 is CommonJS (`module.exports = function validator(definition, opts)`) and ships no types.
type AslValidator = (definition: unknown) => { isValid: boolean; errors: unknown[]; errorsText: (separator?: string) => string };
const aslValidator = createRequire(__filename)('asl-validator') as AslValidator;

/** Incompressible, valid cluster ids. */
function createHashForTest(i: number): string {
  return createHash('sha256').update(String(i)).digest('hex').slice(0, 20);
}

const OWNER_TAG = TAG_OWNER;

const rdsArn = (resource: string) => `arn:<AWS::Partition>:rds:${REGION}:${ACCOUNT}:${resource}`;
const rootOf = (account: string) => `arn:<AWS::Partition>:iam::${account}:root`;

interface PolicyStatement {
  readonly roles: string[];
  readonly statement: Json;
}

/** Every statement of every AWS::IAM::Policy and ManagedPolicy, with the role logical ids the policy is attached to. */
function policyStatements(template: Template): PolicyStatement[] {
  const policies = { ...template.findResources('AWS::IAM::Policy'), ...template.findResources('AWS::IAM::ManagedPolicy') };
  return Object.values(policies).flatMap((policy: Json) =>
    asList<Json>(policy.Properties.PolicyDocument.Statement).map((statement) => ({
      roles: asList<Json>(policy.Properties.Roles).map((role) => role.Ref as string),
      statement,
    })));
}

const actionsOf = (statement: Json): string[] => asList<string>(statement.Action);

function statementsWithAction(template: Template, action: string): PolicyStatement[] {
  return policyStatements(template).filter(({ statement }) => actionsOf(statement).includes(action));
}

/** The actions granted to one role, by any of its policies. */
function actionsOfRole(template: Template, roleId: string): string[] {
  return policyStatements(template).filter(({ roles }) => roles.includes(roleId)).flatMap(({ statement }) => actionsOf(statement));
}

describe('IAM', () => {
  const MUTATING_RDS = /^rds:(Create|Copy|Delete|Modify|AddTags|RemoveTags|Restore|Start|Stop|Reboot|Failover|Promote|Reset|Backtrack)/;

  test.each<[string, Partial<SharedClusterSnapshotsProps>]>([
    ['explicit clusters', {}],
    ['clusterTag only', { clusterIdentifiers: undefined, clusterTag: { key: 'share-snapshots', value: 'true' } }],
    ['clusters, tag and prefix', { clusterTag: { key: 'share-snapshots', value: 'true' }, snapshotPrefix: 'nightly' }],
  ])('no mutating RDS action is granted on Resource "*" (%s)', (_, props) => {
    const { template } = build(props);
    const statements = policyStatements(template).map(({ statement }) => statement);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      const actions = actionsOf(statement);
      expect(actions).not.toContain('*');
      expect(actions).not.toContain('rds:*');
      if (actions.some((action) => MUTATING_RDS.test(action))) {
        const resources = asList<unknown>(statement.Resource);
        expect(resources.length).toBeGreaterThan(0);
        expect(resources).not.toContain('*');
        expect(statement.NotResource).toBeUndefined();
      }
    }
  });

  test('DeleteDBClusterSnapshot is only on the prefix ARN and requires the owner tag', () => {
    const { stack, construct, template } = build({ snapshotPrefix: 'nightly' });
    const deletes = statementsWithAction(template, 'rds:DeleteDBClusterSnapshot');
    expect(deletes.length).toBeGreaterThan(0);
    for (const { statement } of deletes) {
      expect(asList(statement.Resource).map(render)).toEqual([rdsArn('cluster-snapshot:nightly-*')]);
      expect(statement.Condition).toEqual({ StringEquals: { [`aws:ResourceTag/${OWNER_TAG}`]: construct.ownerId } });
    }
    const h = construct.handlers;
    expect(deletes.flatMap(({ roles }) => roles).sort())
      .toEqual([h.prepare, h.cleanUp, h.cleanUpFailedRun].map((fn) => roleIdOf(stack, fn)).sort());
  });

  test('ModifyDBClusterSnapshotAttribute (sharing) is only on the prefix ARN and requires the owner tag', () => {
    const { stack, construct, template } = build({ snapshotPrefix: 'nightly' });
    const shares = statementsWithAction(template, 'rds:ModifyDBClusterSnapshotAttribute');
    expect(shares.length).toBe(1);
    expect(asList(shares[0].statement.Resource).map(render)).toEqual([rdsArn('cluster-snapshot:nightly-*')]);
    expect(shares[0].statement.Condition).toEqual({ StringEquals: { [`aws:ResourceTag/${OWNER_TAG}`]: construct.ownerId } });
    expect(shares[0].roles).toEqual([roleIdOf(stack, construct.handlers.shareSnapshot)]);
  });

  test('cluster ARNs are lowercase, as RDS stores identifiers and IAM compares ARNs case-sensitively', () => {
    const { template } = build({ clusterIdentifiers: ['Orders-DB'] });
    const resources = statementsWithAction(template, 'rds:CreateDBClusterSnapshot').flatMap(({ statement }) => asList(statement.Resource).map(render));
    expect(resources).toContain(rdsArn('cluster:orders-db'));
    expect(resources.join(' ')).not.toContain('Orders-DB');
  });

  test('past 60 explicit clusters, the ids are still listed by ARN (in managed policies), never as a request-tag condition', () => {
    const ids = Array.from({ length: 61 }, (_, i) => `Orders-${String(i).padStart(2, '0')}-db`);
    const { template } = build({ clusterIdentifiers: ids });
    const resources = statementsWithAction(template, 'rds:CreateDBClusterSnapshot')
      .flatMap(({ statement }) => asList(statement.Resource).map(render)).filter((arn) => arn.includes(':cluster:'));
    expect(resources.sort()).toEqual(ids.map((id) => rdsArn(`cluster:${id.toLowerCase()}`)).sort());
    expect(JSON.stringify(template.toJSON())).not.toContain('aws:RequestTag/shared-cluster-snapshots:cluster');
  });

  test('60 explicit clusters are still listed by ARN', () => {
    const ids = Array.from({ length: 60 }, (_, i) => `orders-${String(i).padStart(2, '0')}-db`);
    const resources = statementsWithAction(build({ clusterIdentifiers: ids }).template, 'rds:CreateDBClusterSnapshot')
      .flatMap(({ statement }) => asList(statement.Resource).map(render)).filter((arn) => arn.includes(':cluster:'));
    expect(resources.sort()).toEqual(ids.map((id) => rdsArn(`cluster:${id}`)).sort());
  });

  test('CreateDBClusterSnapshot is scoped to the explicit cluster ARNs and to tagged new snapshots', () => {
    const { stack, construct, template } = build();
    const creates = statementsWithAction(template, 'rds:CreateDBClusterSnapshot');
    for (const { roles } of creates) expect(roles).toEqual([roleIdOf(stack, construct.handlers.createSnapshot)]);

    const clusterResources = creates.flatMap(({ statement }) => asList(statement.Resource).map(render)).filter((arn) => arn.includes(':cluster:'));
    expect(clusterResources.sort()).toEqual([rdsArn('cluster:billing-db'), rdsArn('cluster:orders-db')]);

    const onSnapshots = creates.filter(({ statement }) => asList(statement.Resource).map(render).some((arn) => arn.includes(':cluster-snapshot:')));
    expect(onSnapshots).toHaveLength(1);
    expect(asList(onSnapshots[0].statement.Resource).map(render)).toEqual([rdsArn('cluster-snapshot:shared-*')]);
    expect(onSnapshots[0].statement.Condition).toEqual({ StringEquals: { [`aws:RequestTag/${OWNER_TAG}`]: construct.ownerId } });
  });

  test('with clusterTag, CreateDBClusterSnapshot on cluster:* requires the cluster tag', () => {
    const { template } = build({ clusterIdentifiers: undefined, clusterTag: { key: 'share-snapshots', value: 'yes' } });
    const onClusters = statementsWithAction(template, 'rds:CreateDBClusterSnapshot')
      .map(({ statement }) => statement)
      .filter((statement) => asList(statement.Resource).map(render).some((arn) => arn.includes(':cluster:')));
    expect(onClusters).toHaveLength(1);
    expect(asList(onClusters[0].Resource).map(render)).toEqual([rdsArn('cluster:*')]);
    expect(onClusters[0].Condition).toEqual({ StringEquals: { 'aws:ResourceTag/share-snapshots': 'yes' } });
  });

  test('every wildcard cluster ARN granted CreateDBClusterSnapshot carries a condition', () => {
    const { template } = build({ clusterTag: { key: 'share-snapshots', value: 'true' } });
    for (const { statement } of statementsWithAction(template, 'rds:CreateDBClusterSnapshot')) {
      if (asList(statement.Resource).map(render).some((arn) => arn.endsWith('*'))) {
        expect(statement.Condition).toBeDefined();
      }
    }
  });

  test('each handler has its own role', () => {
    const { stack, construct, template } = build();
    const functions = template.findResources('AWS::Lambda::Function');
    const lambdaRoles = Object.values(template.findResources('AWS::IAM::Role')).filter((role: Json) =>
      asList<Json>(role.Properties.AssumeRolePolicyDocument.Statement).some((s) => s.Principal?.Service === 'lambda.amazonaws.com'));
    // The workflow's handlers, the starter and the freshness publisher.
    expect(Object.keys(functions)).toHaveLength(HANDLER_NAMES.length + 2);
    expect(lambdaRoles).toHaveLength(Object.keys(functions).length);

    const roleOfEachFunction = Object.values(functions).map((fn: Json) => fn.Properties.Role['Fn::GetAtt'][0]);
    expect(new Set(roleOfEachFunction).size).toBe(roleOfEachFunction.length);
    const handlerRoles = [...handlerFunctions(construct), construct.starterFunction].map((fn) => roleIdOf(stack, fn));
    expect(new Set(handlerRoles).size).toBe(HANDLER_NAMES.length + 1);
  });

  test('only the starter may start executions', () => {
    const { stack, construct, template } = build();
    const starts = statementsWithAction(template, 'states:StartExecution');
    expect(starts).toHaveLength(1);
    expect(starts[0].roles).toEqual([roleIdOf(stack, construct.starterFunction)]);
    expect(starts[0].statement.Resource).toEqual({ Ref: logicalIdOf(stack, construct.stateMachine) });
    for (const fn of handlerFunctions(construct)) {
      expect(actionsOfRole(template, roleIdOf(stack, fn))).not.toContain('states:StartExecution');
    }
  });

  test('the starter lists clusters only when clusterTag is set', () => {
    const withoutTag = build();
    expect(actionsOfRole(withoutTag.template, roleIdOf(withoutTag.stack, withoutTag.construct.starterFunction)))
      .not.toContain('rds:DescribeDBClusters');

    const withTag = build({ clusterTag: { key: 'share-snapshots', value: 'true' } });
    expect(actionsOfRole(withTag.template, roleIdOf(withTag.stack, withTag.construct.starterFunction)))
      .toContain('rds:DescribeDBClusters');
  });
});

describe('KMS', () => {
  test('the default key rotates and is retained', () => {
    const { template } = build();
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('the key policy names only this account (its administrator) and the target accounts, with no wildcard principal', () => {
    const { template } = build();
    const key: Json = Object.values(template.findResources('AWS::KMS::Key'))[0];
    const principals = (key.Properties.KeyPolicy.Statement as Json[]).flatMap((statement) => {
      expect(statement.Principal).not.toBe('*');
      return asList(statement.Principal.AWS).map(render);
    });
    const allowed = [ACCOUNT, ...TARGETS].map((account) => `arn:<AWS::Partition>:iam::${account}:root`);
    expect(new Set(principals)).toEqual(new Set(allowed));
    // The target accounts may not administer the key.
    for (const statement of key.Properties.KeyPolicy.Statement as Json[]) {
      if (asList(statement.Principal.AWS).map(render).some((p) => TARGETS.some((t) => p.includes(t)))) {
        expect(asList<string>(statement.Action).filter((a) => /^kms:(\*|Put|Schedule|Disable|Delete|Update|Create(Alias|Key))/.test(a) && a !== 'kms:CreateGrant')).toEqual([]);
      }
    }
  });

  test('the key policy lets each target account decrypt, and create grants only for AWS resources', () => {
    const { template } = build();
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0] as Json;
    const statements: Json[] = asList(key.Properties.KeyPolicy.Statement);
    const principalsOf = (statement: Json) => asList(statement.Principal?.AWS).map(render);

    for (const account of TARGETS) {
      const forAccount = statements.filter((statement) => principalsOf(statement).includes(rootOf(account)));
      expect(forAccount.some((statement) =>
        actionsOf(statement).includes('kms:Decrypt') && actionsOf(statement).includes('kms:DescribeKey'))).toBe(true);
      expect(forAccount.some((statement) =>
        actionsOf(statement).includes('kms:CreateGrant')
        && JSON.stringify(statement.Condition) === JSON.stringify({ Bool: { 'kms:GrantIsForAWSResource': 'true' } }))).toBe(true);
      for (const statement of forAccount) {
        expect(statement.Effect).toBe('Allow');
        expect(actionsOf(statement)).not.toContain('kms:*');
        if (actionsOf(statement).includes('kms:CreateGrant')) {
          expect(statement.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
        }
      }
    }
  });

  test('an imported key is used as is, with a warning about its key policy', () => {
    const stack = newStack();
    const encryptionKey = kms.Key.fromKeyArn(stack, 'Imported', `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    const { construct, template } = build({ encryptionKey }, stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(construct.encryptionKey).toBe(encryptionKey);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('key policy must let the target accounts'));
    expect(lambdaEnvironment(stack, template, construct.handlers.copySnapshot).SHARING_KEY_ARN).toBe(encryptionKey.keyArn);

    const grants = statementsWithAction(template, 'kms:CreateGrant')
      .filter(({ statement }) => asList(statement.Resource).includes(encryptionKey.keyArn));
    expect(grants.flatMap(({ roles }) => roles)).toEqual([roleIdOf(stack, construct.handlers.copySnapshot)]);
  });

  test('the default key has no warning', () => {
    const { stack } = build();
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('key policy must let the target accounts'));
  });

  test('the copy handler may create grants on the sharing key', () => {
    const { stack, construct, template } = build();
    const keyArn = `<${logicalIdOf(stack, construct.encryptionKey as kms.Key)}.Arn>`;
    const onKey = statementsWithAction(template, 'kms:CreateGrant')
      .filter(({ statement }) => asList(statement.Resource).map(render).includes(keyArn));
    expect(onKey.flatMap(({ roles }) => roles)).toEqual([roleIdOf(stack, construct.handlers.copySnapshot)]);
  });
});

describe('schedule', () => {
  test('daily at 03:00 UTC by default, with the scheduled time as input', () => {
    const { stack, construct, template } = build();
    // The run's schedule, and the freshness publisher's hourly one (test/sharing/construct/freshness.test.ts).
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: Match.stringLikeRegexp('^(Etc/)?UTC$'),
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [stack.getLogicalId(construct.starterFunction.node.defaultChild as lambda.CfnFunction), 'Arn'] },
        Input: Match.serializedJson({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
      }),
    });
  });

  test('the starter, invoked asynchronously by Scheduler, is retried twice by Lambda within the hour the schedule allows', () => {
    const { stack, construct, template } = build();
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')) as Json[];
    expect(configs).toHaveLength(1);
    expect(configs[0].Properties).toEqual({
      FunctionName: { Ref: logicalIdOf(stack, construct.starterFunction) },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
    });
    const schedule = Object.values(template.findResources('AWS::Scheduler::Schedule'))[0] as Json;
    expect(schedule.Properties.Target.RetryPolicy.MaximumEventAgeInSeconds).toBe(configs[0].Properties.MaximumEventAgeInSeconds);
  });

  test('a cron with a time zone', () => {
    const { template } = build({ schedule: ScheduleExpression.cron({ hour: '3', minute: '0', timeZone: TimeZone.EUROPE_BERLIN }) });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: Match.objectLike({ Input: Match.stringLikeRegexp('<aws.scheduler.scheduled-time>') }),
    });
  });
});

describe('logs and alarm', () => {
  /** The stack id's UUID, as a log group name ends with it. */
  const STACK_UUID = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
  /** A UUID as CloudFormation puts it in a stack id, to measure and check the deployed name. */
  const SAMPLE_UUID = '51af3dc0-da77-11e4-872e-1234567db123';

  /** The log group names of every state machine in the template, with a sample stack UUID. */
  function stateMachineLogGroupNames(template: Template): string[] {
    return Object.values(template.findResources('AWS::StepFunctions::StateMachine')).map((machine: Json) => {
      const logGroupId = machine.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
      const [separator, parts] = template.toJSON().Resources[logGroupId].Properties.LogGroupName['Fn::Join'];
      expect(parts.filter((part: unknown) => typeof part !== 'string')).toEqual([STACK_UUID]);
      return parts.map((part: unknown) => (typeof part === 'string' ? part : SAMPLE_UUID)).join(separator);
    });
  }
  const VALID_NAME = /^\/aws\/vendedlogs\/states\/[-._/#A-Za-z0-9]+$/;

  function expectRetention(template: Template, days: number): void {
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(HANDLER_NAMES.length + 2);
    for (const fn of functions as Json[]) {
      const logGroupId = fn.Properties.LoggingConfig?.LogGroup?.Ref;
      expect(logGroupId).toBeDefined();
      expect(logGroups[logGroupId].Properties.RetentionInDays).toBe(days);
    }
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0] as Json;
    const machineLogGroup = machine.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    expect(logGroups[machineLogGroup].Properties.RetentionInDays).toBe(days);
  }

  test('every log group is kept 90 days by default', () => {
    expectRetention(build().template, 90);
  });

  test('logRetention sets every log group', () => {
    expectRetention(build({ logRetention: logs.RetentionDays.ONE_WEEK }).template, 7);
  });

  const stateMachineLogGroupName = (template: Template): string => stateMachineLogGroupNames(template)[0];

  test('the state machine logs under /aws/vendedlogs/states/, with a valid name unique per stack, instance and stack creation', () => {
    const stack = newStack();
    addSnapshots(stack, {}, 'First');
    addSnapshots(stack, { snapshotPrefix: 'second' }, 'Second');
    const names = [...stateMachineLogGroupNames(Template.fromStack(stack)), stateMachineLogGroupName(build().template)];
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(3);
    for (const name of names) {
      expect(name).toMatch(VALID_NAME);
      expect(name.length).toBeLessThanOrEqual(512);
      // A stack deleted and created again has a new id: its new log group does not collide with the retained one.
      expect(name.endsWith(`-${SAMPLE_UUID}`)).toBe(true);
    }
    // The same construct path in another stack of the same account gets another name.
    const other = new Stack(new App(), 'OtherStack', { env: { account: ACCOUNT, region: REGION } });
    expect(stateMachineLogGroupName(build({}, other).template)).not.toBe(stateMachineLogGroupName(build().template));
  });

  test('the log group name stays within 512 characters for a long stack name and a deep construct path', () => {
    const stack = new Stack(new App(), 'S'.repeat(128), { env: { account: ACCOUNT, region: REGION } });
    let scope: Construct = stack;
    for (let depth = 0; depth < 8; depth++) scope = new Construct(scope, `Level${depth}${'x'.repeat(60)}`);
    new SharedClusterSnapshots(scope, 'Snapshots', { clusterIdentifiers: ['orders-db'], targetAccountIds: TARGETS });
    const [name] = stateMachineLogGroupNames(Template.fromStack(stack));
    expect(name.length).toBeLessThanOrEqual(512);
    expect(name.length).toBeGreaterThan(500);
    expect(name).toMatch(VALID_NAME);
  });

  test('the state machine logs everything and is traced', () => {
    build().template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      TracingConfiguration: { Enabled: true },
    });
  });

  test('the alarm sums failed, timed-out and aborted executions and starter errors, without actions', () => {
    const { template } = build();
    // The failure alarm, and the freshness alarm (test/sharing/construct/freshness.test.ts).
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: Match.absent(),
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.anyValue() }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/States', MetricName: 'ExecutionsFailed' }) }) }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/States', MetricName: 'ExecutionsTimedOut' }) }) }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/States', MetricName: 'ExecutionsAborted' }) }) }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/Lambda', MetricName: 'Errors' }) }) }),
      ]),
    });
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a: Json) => a.Properties.Metrics !== undefined) as Json;
    const metrics: Json[] = alarm.Properties.Metrics;
    const expressions = metrics.filter((metric) => metric.Expression !== undefined);
    expect(expressions).toHaveLength(1);
    expect(expressions[0].ReturnData).not.toBe(false);
    const ids = metrics.filter((metric) => metric.MetricStat).map((metric) => metric.Id as string);
    expect(ids).toHaveLength(4);
    for (const id of ids) expect(expressions[0].Expression).toMatch(new RegExp(`\\b${id}\\b`));
  });

  test('the alarm notifies alarmTopic', () => {
    const stack = newStack();
    const alarmTopic = new sns.Topic(stack, 'Alarms');
    const { template } = build({ alarmTopic }, stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: stack.getLogicalId(alarmTopic.node.defaultChild as sns.CfnTopic) }],
    });
  });
});

describe('runtime', () => {
  test('every function runs on nodejs22.x', () => {
    const { template } = build({ clusterTag: { key: 'share-snapshots', value: 'true' } });
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Json[];
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) expect(fn.Properties.Runtime).toBe('nodejs22.x');
  });
});

describe('state machine definition', () => {
  test.each([
    [Duration.seconds(30), undefined, 30, 21600],
    [Duration.minutes(5), undefined, 300, 21600],
    [Duration.minutes(5), Duration.hours(2), 300, 7200],
    [Duration.seconds(7), Duration.seconds(100), 7, 100],
    [Duration.seconds(1), undefined, 1, 2000],
  ])('waitInterval %s, snapshotTimeout %s: waits and not-ready retries', (waitInterval, snapshotTimeout, interval, timeout) => {
    const { construct } = build({ waitInterval, snapshotTimeout });
    expect(stateJson(construct, 'WaitForSnapshot')).toMatchObject({ Type: 'Wait', Seconds: interval, Next: 'CheckSnapshot' });
    expect(stateJson(construct, 'WaitForCopy')).toMatchObject({ Type: 'Wait', Seconds: interval, Next: 'CheckCopy' });
    for (const check of ['CheckSnapshot', 'CheckCopy']) {
      const retries = (stateJson(construct, check).Retry as Json[]).filter((retry) => retry.ErrorEquals.includes('SnapshotNotReady'));
      expect(retries).toEqual([{
        ErrorEquals: ['SnapshotNotReady'],
        IntervalSeconds: interval,
        BackoffRate: 1,
        MaxAttempts: Math.ceil(timeout / interval) + 1,
      }]);
    }
  });

  test('every task after Prepare up to CleanUp catches everything into CleanUpFailedRun; Prepare, which creates nothing, goes there only through PrepareFailed', () => {
    const definition = definitionOf(build().template);
    const tasks = tasksOf(definition);
    expect(tasks.map(([name]) => name).sort()).toEqual(
      ['CheckCopy', 'CheckSnapshot', 'CleanUp', 'CleanUpFailedRun', 'CopySnapshot', 'CreateSnapshot', 'Prepare', 'PublishSnapshotFailed', 'PublishSnapshotShared', 'ShareSnapshot']);
    for (const [name, task] of tasks) {
      // The Shared event step comes after the share: its failures clean nothing up (events.test.ts).
      if (['CleanUpFailedRun', 'Prepare', 'PublishSnapshotFailed', 'PublishSnapshotShared'].includes(name)) continue;
      expect(task.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'CleanUpFailedRun' }]);
    }
    // Except RunInProgress: an earlier run is still in progress, and the run ends as skipped (no clean-up, no Failed event).
    expect(definition.States.Prepare.Catch).toEqual([
      { ErrorEquals: ['RunInProgress'], ResultPath: '$.error', Next: 'RunSkipped' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'PrepareFailed' },
    ]);
    expect(definition.States.RunSkipped).toEqual({
      Type: 'Pass',
      Parameters: { 'skipped': true, 'clusterIdentifier.$': '$.clusterIdentifier', 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
      Next: 'Skipped',
    });
    expect(definition.States.Skipped).toEqual({ Type: 'Succeed' });
    expect(definition.States.CleanUpFailedRun).toMatchObject({
      Next: 'PublishSnapshotFailed',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.cleanUpError', Next: 'Failed' }],
    });
    expect(definition.States.PublishSnapshotFailed).toMatchObject({
      Next: 'Failed',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.publishError', Next: 'Failed' }],
    });
  });

  test('Failed reports the original error', () => {
    expect(stateJson(build().construct, 'Failed')).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  test('every Lambda task retries transient Lambda and AWS errors with full jitter', () => {
    const definition = definitionOf(build().template);
    // The PutEvents tasks retry any error (test/sharing/construct/events.test.ts).
    for (const [, task] of tasksOf(definition).filter(([, t]) => String(t.Resource).includes(':lambda:'))) {
      const transient = (task.Retry as Json[]).filter((retry) => retry.ErrorEquals.includes('Throttling'));
      expect(transient).toHaveLength(1);
      expect(transient[0].ErrorEquals).toEqual(expect.arrayContaining(['Throttling', 'Lambda.TooManyRequestsException']));
      expect(transient[0].JitterStrategy).toBe('FULL');
      expect(transient[0].ErrorEquals).not.toContain('States.ALL');
    }
  });

  test('each state invokes its own handler', () => {
    const { stack, construct, template } = build();
    const definition = definitionOf(template);
    const fnId = (fn: lambda.IFunction) => functionArnInDefinition(stack, fn);
    const h = construct.handlers;
    expect(Object.fromEntries(tasksOf(definition).map(([name, task]) => [name, task.Resource]))).toEqual({
      Prepare: fnId(h.prepare),
      CreateSnapshot: fnId(h.createSnapshot),
      CheckSnapshot: fnId(h.checkSnapshot),
      CopySnapshot: fnId(h.copySnapshot),
      CheckCopy: fnId(h.checkSnapshot),
      ShareSnapshot: fnId(h.shareSnapshot),
      CleanUp: fnId(h.cleanUp),
      CleanUpFailedRun: fnId(h.cleanUpFailedRun),
      PublishSnapshotShared: 'arn:aws:states:::events:putEvents',
      PublishSnapshotFailed: 'arn:aws:states:::events:putEvents',
    });
  });

  test.each<[string, Partial<SharedClusterSnapshotsProps>]>([
    ['defaults', {}],
    ['tag, 5-minute interval, 2-hour timeout', {
      clusterTag: { key: 'share-snapshots', value: 'true' },
      waitInterval: Duration.minutes(5),
      snapshotTimeout: Duration.hours(2),
    }],
  ])('the definition passes asl-validator (%s)', (_, props) => {
    const result = aslValidator(definitionOf(build(props).template));
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });
});

describe('public members', () => {
  test('are set', () => {
    const { construct } = build();
    expect(construct.stateMachine).toBeDefined();
    expect(construct.encryptionKey).toBeDefined();
    expect(construct.starterFunction).toBeDefined();
    expect(construct.failureAlarm).toBeDefined();
    expect(construct.schedule).toBeDefined();
    expect(Object.keys(construct.handlers).sort()).toEqual([...HANDLER_NAMES].sort());
  });

  test('metricFailed() is the ExecutionsFailed metric of the state machine', () => {
    const { stack, construct } = build();
    const metric = construct.metricFailed();
    expect(metric.namespace).toBe('AWS/States');
    expect(metric.metricName).toBe('ExecutionsFailed');
    expect(stack.resolve(metric.dimensions)).toEqual({ StateMachineArn: stack.resolve(construct.stateMachine.stateMachineArn) });
  });

  test('grantStartExecution grants states:StartExecution on the state machine', () => {
    const stack = newStack();
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    const construct = addSnapshots(stack, { clusterIdentifiers: ['orders-db'] });
    construct.grantStartExecution(operator);
    const template = Template.fromStack(stack);
    const granted = statementsWithAction(template, 'states:StartExecution').filter(({ roles }) => roles.includes(logicalIdOf(stack, operator)));
    expect(granted).toHaveLength(1);
    expect(granted[0].statement.Resource).toEqual({ Ref: logicalIdOf(stack, construct.stateMachine) });
  });
});

describe('environment', () => {
  test('every handler receives the configuration', () => {
    const stack = newStack();
    const { construct, template } = build({
      snapshotPrefix: 'nightly',
      retainSnapshots: 3,
      allowUnencrypted: true,
      clusterTag: { key: 'share-snapshots', value: 'true' },
    }, stack);
    expect(Token.isUnresolved(construct.ownerId)).toBe(false);
    expect(construct.ownerId).toBe('TestStack/Snapshots');
    for (const fn of handlerFunctions(construct)) {
      expect(lambdaEnvironment(stack, template, fn)).toMatchObject({
        OWNER_ID: construct.ownerId,
        SNAPSHOT_PREFIX: 'nightly',
        TARGET_ACCOUNT_IDS: TARGETS.join(','),
        RETAIN_SNAPSHOTS: '3',
        ALLOW_UNENCRYPTED: 'true',
        WAIT_INTERVAL_SECONDS: '60',
        SHARING_KEY_ARN: { 'Fn::GetAtt': [logicalIdOf(stack, construct.encryptionKey as kms.Key), 'Arn'] },
      });
    }
    // Only Prepare reads the cluster selection among the workflow handlers.
    expect(lambdaEnvironment(stack, template, construct.handlers.prepare)).toMatchObject({
      CLUSTER_IDENTIFIERS: 'orders-db,billing-db',
      CLUSTER_TAG_KEY: 'share-snapshots',
      CLUSTER_TAG_VALUE: 'true',
    });
    expect(lambdaEnvironment(stack, template, construct.handlers.cleanUp).CLUSTER_IDENTIFIERS).toBeUndefined();
    expect(lambdaEnvironment(stack, template, construct.starterFunction)).toMatchObject({
      STATE_MACHINE_ARN: { Ref: logicalIdOf(stack, construct.stateMachine) },
      RDS_REQUESTS_PER_SECOND: '8',
      WAIT_INTERVAL_SECONDS: '60',
      CLUSTER_IDENTIFIERS: 'orders-db,billing-db',
      CLUSTER_TAG_KEY: 'share-snapshots',
      CLUSTER_TAG_VALUE: 'true',
    });
  });

  test('a long id list is carried gzip-compressed, and decodes to the same ids', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `orders-${String(i).padStart(3, '0')}-db`);
    const stack = newStack();
    const { construct, template } = build({ clusterIdentifiers: ids }, stack);
    const env = lambdaEnvironment(stack, template, construct.handlers.prepare);
    expect(env.CLUSTER_IDENTIFIERS).toBeUndefined();
    expect(gunzipSync(Buffer.from(String(env.CLUSTER_IDENTIFIERS_GZIP), 'base64')).toString('utf8')).toBe(ids.join(','));
    expect(JSON.stringify(env).length).toBeLessThan(4096);
  });

  test('an id list too long even compressed is refused at synth, pointing at clusterTag', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `c${createHashForTest(i)}`);
    expect(() => build({ clusterIdentifiers: ids })).toThrow(/clusterIdentifiers lists 3000 clusters.*use clusterTag/);
  });

  test('defaults', () => {
    const { stack, construct, template } = build();
    for (const fn of handlerFunctions(construct)) {
      const env = lambdaEnvironment(stack, template, fn);
      expect(env).toMatchObject({ SNAPSHOT_PREFIX: 'shared', RETAIN_SNAPSHOTS: '1', ALLOW_UNENCRYPTED: 'false' });
      expect(env.CLUSTER_TAG_KEY).toBeUndefined();
    }
  });

  test('two instances in one stack have distinct owner ids', () => {
    const stack = newStack();
    const first = addSnapshots(stack, { clusterIdentifiers: ['orders-db'] }, 'First');
    const second = addSnapshots(stack, { clusterIdentifiers: ['orders-db'], snapshotPrefix: 'second' }, 'Second');
    expect(first.ownerId).not.toBe(second.ownerId);
  });

  test('a DatabaseCluster identifier token reaches CLUSTER_IDENTIFIERS and the IAM policy', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const cluster = new rds.DatabaseCluster(stack, 'Orders', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      writer: rds.ClusterInstance.provisioned('Writer'),
      vpc,
    });
    const { construct, template } = build({ clusterIdentifiers: [cluster.clusterIdentifier, 'billing-db'] }, stack);
    const clusterRef = `<${stack.getLogicalId(cluster.node.defaultChild as rds.CfnDBCluster)}>`;
    for (const fn of [construct.handlers.prepare, construct.starterFunction]) {
      expect(render(lambdaEnvironment(stack, template, fn).CLUSTER_IDENTIFIERS)).toBe(`${clusterRef},billing-db`);
    }
    const clusterArns = statementsWithAction(template, 'rds:CreateDBClusterSnapshot')
      .flatMap(({ statement }) => asList(statement.Resource).map(render))
      .filter((arn) => arn.includes(':cluster:'));
    expect(clusterArns.sort()).toEqual([rdsArn(`cluster:${clusterRef}`), rdsArn('cluster:billing-db')].sort());
  });

  test('an imported cluster identifier reaches CLUSTER_IDENTIFIERS', () => {
    const stack = newStack();
    const { construct, template } = build({ clusterIdentifiers: [Fn.importValue('OrdersClusterId')] }, stack);
    for (const fn of [construct.handlers.prepare, construct.starterFunction]) {
      expect(lambdaEnvironment(stack, template, fn).CLUSTER_IDENTIFIERS).toEqual({ 'Fn::ImportValue': 'OrdersClusterId' });
    }
  });
});

describe('snapshot', () => {
  test('a typical stack', () => {
    const stack = newStack();
    const alarmTopic = new sns.Topic(stack, 'Alarms');
    new SharedClusterSnapshots(stack, 'Snapshots', {
      clusterIdentifiers: ['orders-db', 'billing-db'],
      clusterTag: { key: 'share-snapshots', value: 'true' },
      targetAccountIds: TARGETS,
      schedule: ScheduleExpression.cron({ hour: '3', minute: '0', timeZone: TimeZone.EUROPE_BERLIN }),
      waitInterval: Duration.minutes(1),
      alarmTopic,
    });
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });
});
