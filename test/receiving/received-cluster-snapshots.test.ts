import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps } from '../../src';

const SOURCES = ['111111111111', '333333333333'];
const ENV = { account: '222222222222', region: 'eu-west-1' };

function build(props: Partial<ReceivedClusterSnapshotsProps> = {}) {
  const stack = new Stack(new App(), 'Target', { env: ENV });
  const construct = new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: SOURCES, ...props });
  return { stack, construct, template: Template.fromStack(stack) };
}

/** The state machine's definition, with every token replaced by a placeholder. */
function definitionOf(template: Template): { States: Record<string, any> } {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as any[];
  const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(''));
}

/** Every Allow statement of the role of `fn`, with ARNs resolved to strings where they are literal joins. */
function statementsOf(stack: Stack, template: Template, fn: { role?: { node: { findChild(id: string): any } } }): any[] {
  const policy = fn.role!.node.findChild('DefaultPolicy').node.defaultChild;
  const resource = template.toJSON().Resources[stack.getLogicalId(policy)];
  return resource.Properties.PolicyDocument.Statement;
}

const arn = (service: string, account: string, resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:eu-west-1:${account}:${resource}`]],
});

describe('ReceivedClusterSnapshots: the event handoff', () => {
  test('a rule on the default bus passes only Cluster Snapshot Shared events of the source accounts to the receiver', () => {
    const { stack, construct, template } = build();
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['cdk-shared-cluster-snapshots'], 'detail-type': ['Cluster Snapshot Shared'], 'account': SOURCES },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [stack.getLogicalId(construct.handlers.receiveEvent.node.defaultChild as any), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 } })],
    });
    expect(template.findResources('AWS::Events::Rule', { Properties: { EventBusName: Match.anyValue() } })).toEqual({});
  });

  test('the default bus policy lets exactly the source accounts put this library\'s Shared events', () => {
    const { construct, template } = build();
    template.resourceCountIs('AWS::Events::EventBusPolicy', 1);
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: 'default',
      StatementId: `received-${construct.ownerId}`,
      Statement: {
        Sid: `received-${construct.ownerId}`,
        Effect: 'Allow',
        Principal: { AWS: SOURCES.map((a) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${a}:root`]] })) },
        Action: 'events:PutEvents',
        Resource: arn('events', '222222222222', 'event-bus/default'),
        Condition: { StringEquals: { 'events:source': 'cdk-shared-cluster-snapshots', 'events:detail-type': 'Cluster Snapshot Shared' } },
      },
    });
  });

  test('two receivers in one stack keep their own statement ids and owner ids', () => {
    const stack = new Stack(new App(), 'Two', { env: ENV });
    const a = new ReceivedClusterSnapshots(stack, 'A', { sourceAccountIds: SOURCES });
    const b = new ReceivedClusterSnapshots(stack, 'B', { sourceAccountIds: SOURCES, copyPrefix: 'other' });
    expect(a.ownerId).not.toEqual(b.ownerId);
    const ids = Object.values(Template.fromStack(stack).findResources('AWS::Events::EventBusPolicy')).map((r: any) => r.Properties.StatementId);
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((id: string) => /^[A-Za-z0-9_-]{1,64}$/.test(id))).toBe(true);
  });
});

describe('ReceivedClusterSnapshots: copy workflow', () => {
  test('copy, wait, bounded status checks, retention; no confirmation state by default', () => {
    const { template } = build();
    const { States } = definitionOf(template);
    expect(Object.keys(States).sort()).toEqual(['CheckCopy', 'Copied', 'CopySharedSnapshot', 'Failed', 'RetainCopies', 'WaitForCopy']);
    expect(States.CopySharedSnapshot.Retry).toContainEqual(
      { ErrorEquals: ['CopyLimitReached'], IntervalSeconds: 60, MaxAttempts: 39, BackoffRate: 2, MaxDelaySeconds: 600, JitterStrategy: 'FULL' });
    expect(States.CheckCopy.Retry).toContainEqual({ ErrorEquals: ['SnapshotNotReady'], IntervalSeconds: 60, MaxAttempts: 361, BackoffRate: 1 });
    for (const state of ['CopySharedSnapshot', 'CheckCopy', 'RetainCopies']) {
      expect(States[state].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }]);
    }
    expect(States.RetainCopies.Next).toBe('Copied');
    const { stack, construct } = build();
    expect(JSON.stringify(statementsOf(stack, Template.fromStack(stack), construct.stateMachine))).not.toContain('events:PutEvents');
  });

  test('confirmCopies: PutEvents of Cluster Snapshot Copied to the bus the state names, allowed only on the source accounts\' default buses', () => {
    const { stack, construct, template } = build({ confirmCopies: true });
    const { States } = definitionOf(template);
    expect(States.RetainCopies.Next).toBe('ConfirmationRequired');
    expect(States.ConfirmCopy).toMatchObject({
      Resource: 'arn:TOKEN:states:::aws-sdk:eventbridge:putEvents',
      Parameters: { Entries: [{ 'EventBusName.$': '$.confirmation.eventBusName', 'Source': 'cdk-shared-cluster-snapshots', 'DetailType': 'Cluster Snapshot Copied', 'Detail.$': '$.confirmation.detail' }] },
      ResultPath: '$.confirmationResult',
    });
    expect(States.ConfirmationDelivered.Choices).toEqual([{ Variable: '$.confirmationResult.failedEntryCount', NumericGreaterThan: 0, Next: 'ConfirmationFailed' }]);
    expect(States.ConfirmationFailed).toMatchObject({ Type: 'Fail', Error: 'ConfirmationFailed' });
    const putEvents = statementsOf(stack, template, construct.stateMachine).filter((s) => [s.Action].flat().includes('events:PutEvents'));
    expect(putEvents).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: SOURCES.map((a) => arn('events', a, 'event-bus/default')) }]);
  });
});

describe('ReceivedClusterSnapshots: least privilege', () => {
  const own = arn('rds', '222222222222', 'cluster-snapshot:received-*');
  const sourceSnapshots = SOURCES.map((a) => arn('rds', a, 'cluster-snapshot:shared*'));
  const viaRds = { 'kms:ViaService': { 'Fn::Join': ['', ['rds.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] } };

  test('the copy role: copy from the sources\' prefixed snapshots to own tagged copies, source keys only via RDS', () => {
    const { stack, construct, template } = build({ sourceSnapshotPrefix: 'shared' });
    const statements = statementsOf(stack, template, construct.handlers.copySnapshot);
    expect(statements).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: 'rds:CopyDBClusterSnapshot', Resource: sourceSnapshots },
      {
        Effect: 'Allow',
        Action: ['rds:CopyDBClusterSnapshot', 'rds:AddTagsToResource'],
        Resource: own,
        Condition: { StringEquals: { 'aws:RequestTag/received-cluster-snapshots:owner': construct.ownerId } },
      },
      { Effect: 'Allow', Action: ['kms:DescribeKey', 'kms:Decrypt'], Resource: SOURCES.map((a) => arn('kms', a, 'key/*')), Condition: { StringEquals: viaRds } },
      {
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: SOURCES.map((a) => arn('kms', a, 'key/*')),
        Condition: { StringEquals: viaRds, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
    ]));
    // Nothing in the copy role deletes, and nothing touches this account's keys other than the copy key.
    expect(JSON.stringify(statements)).not.toContain('DeleteDBClusterSnapshot');
  });

  test('deletion: only own-prefixed copies with this owner tag, in the roles that delete', () => {
    const { stack, construct, template } = build();
    for (const fn of [construct.handlers.checkCopy, construct.handlers.retainCopies]) {
      expect(statementsOf(stack, template, fn)).toContainEqual({
        Effect: 'Allow',
        Action: 'rds:DeleteDBClusterSnapshot',
        Resource: own,
        Condition: { StringEquals: { 'aws:ResourceTag/received-cluster-snapshots:owner': construct.ownerId } },
      });
    }
    for (const fn of Object.values(construct.handlers)) {
      for (const statement of statementsOf(stack, template, fn)) {
        const actions = [statement.Action].flat() as string[];
        if (actions.some((a) => /^rds:(Delete|Copy|AddTags)/.test(a)) && JSON.stringify(statement.Resource).includes('cluster-snapshot:received-*')) {
          expect(statement.Condition).toBeDefined();
        }
      }
    }
  });

  test('without sourceSnapshotPrefix, any snapshot of the source accounts (and nothing of other accounts)', () => {
    const { stack, construct, template } = build();
    expect(statementsOf(stack, template, construct.handlers.receiveEvent)).toContainEqual(
      { Effect: 'Allow', Action: 'rds:DescribeDBClusterSnapshots', Resource: SOURCES.map((a) => arn('rds', a, 'cluster-snapshot:*')) });
  });
});

describe('ReceivedClusterSnapshots: key, schedule, freshness', () => {
  test('a new key with rotation on, retained; or the given key, with no new key', () => {
    const { template } = build();
    template.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }), DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const stack = new Stack(new App(), 'Own', { env: ENV });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:222222222222:key/abc');
    const construct = new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: SOURCES, encryptionKey: key });
    const own = Template.fromStack(stack);
    own.resourceCountIs('AWS::KMS::Key', 0);
    expect(construct.encryptionKey).toBe(key);
    own.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ COPY_KEY_ARN: 'arn:aws:kms:eu-west-1:222222222222:key/abc' }) } });
  });

  test('the handlers get the configuration they read', () => {
    const { construct, template } = build({ clusterIdentifiers: ['orders-db'], retainCopies: 3, copyPrefix: 'dr', sourceSnapshotPrefix: 'shared', confirmCopies: true });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          OWNER_ID: construct.ownerId,
          SOURCE_ACCOUNT_IDS: SOURCES.join(','),
          SOURCE_SNAPSHOT_PREFIX: 'shared',
          SOURCE_CLUSTER_IDENTIFIERS: 'orders-db',
          COPY_PREFIX: 'dr',
          RETAIN_COPIES: '3',
          CONFIRM_COPIES: 'true',
        }),
      },
    });
  });

  test('instanceIdentifiers reach every function; optionGroupName only the copy function, and only when set', () => {
    const { stack, construct, template } = build({ instanceIdentifiers: ['ledger-pg', 'Billing-Oracle'], optionGroupName: 'target-oracle-tz' });
    const variables = (fn: { node: { defaultChild?: unknown } }) =>
      template.toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as any)].Properties.Environment.Variables;
    for (const fn of Object.values(construct.handlers)) {
      expect(variables(fn)).toMatchObject({ SOURCE_INSTANCE_IDENTIFIERS: 'ledger-pg,Billing-Oracle', SOURCE_CLUSTER_IDENTIFIERS: '' });
      expect(variables(fn).OPTION_GROUP_NAME).toBe(fn === construct.handlers.copySnapshot ? 'target-oracle-tz' : undefined);
    }
    const none = build();
    const copyFunctionId = none.stack.getLogicalId(none.construct.handlers.copySnapshot.node.defaultChild as any);
    expect(none.template.toJSON().Resources[copyFunctionId].Properties.Environment.Variables).not.toHaveProperty('OPTION_GROUP_NAME');
  });

  test('the catch-up scan runs every 6 hours by default, with the scheduled time', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(6 hours)',
      Target: Match.objectLike({ Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}', RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 } }),
    });
  });

  test('the freshness alarm: Maximum of the stalest cluster over every hour of (scan interval + 1 h), missing data breaching', () => {
    const { construct, template } = build({ alarmTopic: undefined });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'SharedClusterSnapshots',
      MetricName: 'NewestCopyAge',
      Dimensions: [{ Name: 'OwnerId', Value: construct.ownerId }],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 26 * 3600,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 7,
      DatapointsToAlarm: 7,
      TreatMissingData: 'breaching',
    });
    expect(construct.metricNewestCopyAge().toMetricConfig().metricStat).toMatchObject({ namespace: 'SharedClusterSnapshots', metricName: 'NewestCopyAge', statistic: 'Maximum' });
  });

  test.each([
    [ScheduleExpression.rate(Duration.minutes(30)), 2],
    [ScheduleExpression.rate(Duration.days(1)), 25],
    [ScheduleExpression.cron({ hour: '4', minute: '0' }), 25],
  ])('the alarm window follows the schedule %#', (schedule, periods) => {
    build({ schedule, maxCopyAge: Duration.hours(30) }).template.hasResourceProperties('AWS::CloudWatch::Alarm', { EvaluationPeriods: periods, DatapointsToAlarm: periods, Threshold: 108_000 });
  });

  test('alarmTopic receives the alarm', () => {
    const stack = new Stack(new App(), 'Topic', { env: ENV });
    const topic = new sns.Topic(stack, 'Alarms');
    new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: SOURCES, alarmTopic: topic });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as any) }] });
  });
});
