import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { build, Json, lambdaEnvironment, newStack, addSnapshots, roleIdOf, TARGETS } from './helpers';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE } from '../../../src/shared/constants';

const statementsOfRole = (template: Json, roleId: string): Json[] =>
  (Object.values(template.findResources('AWS::IAM::Policy')) as Json[])
    .filter((policy) => policy.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);

describe('retainUntilCopied', () => {
  test('off by default: no bus policy, no rule, no RecordCopy function; CleanUp is told so', () => {
    const { stack, construct, template } = build();
    template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    template.resourceCountIs('AWS::Events::Rule', 0);
    expect(construct.recordCopyFunction).toBeUndefined();
    expect(lambdaEnvironment(stack, template, construct.handlers.cleanUp)).toMatchObject({ RETAIN_UNTIL_COPIED: 'false', MAX_RETENTION_SECONDS: '604800' });
  });

  test('the default bus policy lets exactly the target accounts put Copied events from this library\'s source', () => {
    const { template } = build({ retainUntilCopied: true });
    template.resourceCountIs('AWS::Events::EventBusPolicy', 1);
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: 'default',
      StatementId: Match.stringLikeRegexp('^copied-[0-9a-f]{42}$'),
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: TARGETS.map((account) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] })) },
        Action: 'events:PutEvents',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111111111111:event-bus/default']] },
        Condition: { StringEquals: { 'events:source': EVENT_SOURCE, 'events:detail-type': EVENT_DETAIL_TYPE.copied } },
      },
    });
  });

  test('the rule passes Copied events from the target accounts only to RecordCopy, with retries', () => {
    const { stack, construct, template } = build({ retainUntilCopied: true });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': [EVENT_SOURCE], 'detail-type': [EVENT_DETAIL_TYPE.copied], 'account': TARGETS },
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [stack.getLogicalId(construct.recordCopyFunction!.node.defaultChild as never), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
      })],
    });
  });

  test('RecordCopy knows the account, owner, prefix and targets; CleanUp the retention settings', () => {
    const { stack, construct, template } = build({ retainUntilCopied: true, maxRetention: Duration.days(3) });
    expect(lambdaEnvironment(stack, template, construct.recordCopyFunction!)).toMatchObject({
      ACCOUNT_ID: '111111111111', OWNER_ID: construct.ownerId, SNAPSHOT_PREFIX: 'shared', TARGET_ACCOUNT_IDS: TARGETS.join(','),
    });
    expect(lambdaEnvironment(stack, template, construct.handlers.cleanUp)).toMatchObject({ RETAIN_UNTIL_COPIED: 'true', MAX_RETENTION_SECONDS: String(3 * 86_400) });
  });

  test('RecordCopy may only read its own snapshots and add copied- tags to <prefix>-* snapshots with the owner tag', () => {
    const { stack, construct, template } = build({ retainUntilCopied: true, snapshotPrefix: 'nightly' });
    const statements = statementsOfRole(template, roleIdOf(stack, construct.recordCopyFunction!))
      .filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith('rds:')));
    const ownSnapshots = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:eu-west-1:111111111111:cluster-snapshot:nightly-*']] };
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'rds:DescribeDBClusterSnapshots', Resource: ownSnapshots },
      {
        Effect: 'Allow',
        Action: 'rds:AddTagsToResource',
        Resource: ownSnapshots,
        Condition: {
          'StringEquals': { 'aws:ResourceTag/shared-cluster-snapshots:owner': construct.ownerId },
          'ForAllValues:StringLike': { 'aws:TagKeys': ['shared-cluster-snapshots:copied-*'] },
        },
      },
    ]);
  });

  test('CleanUp may add copied- tags (pending marks) only with retainUntilCopied, under the same conditions as RecordCopy', () => {
    const addTags = (props: object) => {
      const { stack, construct, template } = build(props);
      return statementsOfRole(template, roleIdOf(stack, construct.handlers.cleanUp)).filter((st) => [st.Action].flat().includes('rds:AddTagsToResource'));
    };
    expect(addTags({})).toEqual([]);
    expect(addTags({ retainUntilCopied: true })).toEqual([expect.objectContaining({
      Condition: {
        'StringEquals': { 'aws:ResourceTag/shared-cluster-snapshots:owner': 'TestStack/Snapshots' },
        'ForAllValues:StringLike': { 'aws:TagKeys': ['shared-cluster-snapshots:copied-*'] },
      },
    })]);
  });

  test('two instances in one stack get distinct bus policy statements', () => {
    const stack = newStack();
    addSnapshots(stack, { retainUntilCopied: true }, 'A');
    addSnapshots(stack, { retainUntilCopied: true, snapshotPrefix: 'other' }, 'B');
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::Events::EventBusPolicy')) as Json[];
    expect(new Set(policies.map((p) => p.Properties.StatementId)).size).toBe(2);
  });
});

describe('validation of the event props', () => {
  test.each<[string, object, RegExp]>([
    ['maxRetention below a day', { retainUntilCopied: true, maxRetention: Duration.hours(12) }, /maxRetention must be between 1 and 366 days, got 43200 seconds/],
    ['maxRetention over 366 days', { retainUntilCopied: true, maxRetention: Duration.days(400) }, /maxRetention must be between 1 and 366 days/],
    ['maxRetention in part seconds', { retainUntilCopied: true, maxRetention: Duration.millis(86_400_500) }, /maxRetention must be a whole number of seconds/],
    ['maxRetention without retainUntilCopied', { maxRetention: Duration.days(3) }, /maxRetention applies only with retainUntilCopied/],
    ['maxSnapshotAge below an hour', { maxSnapshotAge: Duration.minutes(30) }, /maxSnapshotAge must be a whole number of hours from 1 to 8784, got 1800 seconds/],
    ['maxSnapshotAge not whole hours', { maxSnapshotAge: Duration.minutes(90) }, /maxSnapshotAge must be a whole number of hours/],
    ['maxSnapshotAge over 366 days', { maxSnapshotAge: Duration.days(367) }, /maxSnapshotAge must be a whole number of hours from 1 to 8784/],
  ])('%s is refused', (_, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test.each<[string, object]>([
    ['a day of retention', { retainUntilCopied: true, maxRetention: Duration.days(1) }],
    ['366 days of retention', { retainUntilCopied: true, maxRetention: Duration.days(366) }],
    ['an hour of age, with an hourly schedule', { maxSnapshotAge: Duration.hours(1), schedule: ScheduleExpression.rate(Duration.hours(1)) }],
    ['366 days of age', { maxSnapshotAge: Duration.days(366) }],
  ])('%s is accepted', (_, props) => {
    expect(() => build(props)).not.toThrow();
  });
});
