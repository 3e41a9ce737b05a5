/**
 * DB instances beside clusters, at synth: validation of instanceIdentifiers, instanceTag and
 * maxConcurrentInstanceCopies, IAM scoped per kind, the environment each function reads, and
 * cdk-nag clean.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { addSnapshots, build, handlerFunctions, lambdaEnvironment, newStack, roleIdOf } from './helpers';
import { SnapshotSource } from '../../../src';
import { ENV, ERROR } from '../../../src/shared/constants';
import { statementProblems } from '../../iam/reference';
import { synthesize } from '../../iam/stacks';
import { NAG_FINDING, runNag } from '../../nag-helpers';

const SNAPSHOT_ARN = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:rds:eu-west-1:111111111111:snapshot:${name}`]] });
const DB_ARN = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:rds:eu-west-1:111111111111:db:${name}`]] });

/** Every statement of the role's inline policies, with its actions and resources as lists. */
function statementsOfRole(template: Template, roleId: string): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId));
  return policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .map((s: any) => ({ ...s, Action: [s.Action].flat(), Resource: [s.Resource].flat() }));
}

describe('validation of the DB instance props', () => {
  test.each<[string, object, RegExp]>([
    ['an invalid identifier', { instanceIdentifiers: ['1bad'] }, /instanceIdentifiers contains '1bad', which is not a DB instance identifier: 1-63 letters/],
    ['a duplicate identifier', { instanceIdentifiers: ['orders-pg', 'Orders-PG'] }, /instanceIdentifiers contains 'Orders-PG' twice/],
    ['a reserved tag key', { instanceTag: { key: 'aws:x', value: 'y' } }, /instanceTag\.key must be 1-128 characters and not start with 'aws:' or 'rds:'/],
    ['a tag value too long', { instanceTag: { key: 'k', value: 'v'.repeat(257) } }, /instanceTag\.value must be at most 256 characters, got 257/],
    ['a copy cap of 0', { instanceIdentifiers: ['orders-pg'], maxConcurrentInstanceCopies: 0 }, /maxConcurrentInstanceCopies must be a whole number from 1 to 20 .*got 0/],
    ['a copy cap past the documented limit', { instanceIdentifiers: ['orders-pg'], maxConcurrentInstanceCopies: 21 }, /maxConcurrentInstanceCopies must be a whole number from 1 to 20/],
    ['a fractional copy cap', { instanceIdentifiers: ['orders-pg'], maxConcurrentInstanceCopies: 2.5 }, /maxConcurrentInstanceCopies must be a whole number .*got 2.5/],
  ])('%s is refused, naming the prop, the value and the rule', (_, props, message) => {
    expect(() => addSnapshots(newStack(), props)).toThrow(message);
  });

  test('nothing selected at all is refused; instances alone are enough', () => {
    expect(() => addSnapshots(newStack(), { clusterIdentifiers: undefined })).toThrow(/instanceIdentifiers or instanceTag\): neither was given/);
    expect(() => addSnapshots(newStack(), { clusterIdentifiers: undefined, instanceIdentifiers: ['orders-pg'] })).not.toThrow();
    expect(() => addSnapshots(newStack(), { clusterIdentifiers: undefined, instanceTag: { key: 'share', value: 'yes' } })).not.toThrow();
  });

  test('additionalSharingKeys: an alias, or a key of another Region, is refused naming its position', () => {
    const stack = newStack();
    const alias = kms.Alias.fromAliasName(stack, 'Alias', 'alias/shared');
    const elsewhere = kms.Key.fromKeyArn(stack, 'Elsewhere', 'arn:aws:kms:us-east-1:111111111111:key/12345678-aaaa-bbbb-cccc-1234567890ab');
    expect(() => addSnapshots(stack, { additionalSharingKeys: [alias] })).toThrow(/additionalSharingKeys\[0\] is the KMS alias 'alias\/shared', not a key/);
    expect(() => addSnapshots(newStack(), { additionalSharingKeys: [kms.Key.fromKeyArn(newStack(), 'K', elsewhere.keyArn)] }))
      .toThrow(/additionalSharingKeys\[0\] is in us-east-1, but this stack deploys to eu-west-1/);
  });

  test('additionalSharingKeys reach Prepare, which alone decides the copy', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Trusted', 'arn:aws:kms:eu-west-1:111111111111:key/12345678-aaaa-bbbb-cccc-1234567890ab');
    const construct = addSnapshots(stack, { additionalSharingKeys: [key] });
    const template = Template.fromStack(stack);
    expect(lambdaEnvironment(stack, template, construct.handlers.prepare)).toMatchObject({ [ENV.ADDITIONAL_SHARING_KEY_ARNS]: key.keyArn });
  });

  test('explicit instances past the default instance snapshot quota warn, apart from the clusters', () => {
    const stack = newStack();
    addSnapshots(stack, { clusterIdentifiers: ['orders-db'], instanceIdentifiers: Array.from({ length: 34 }, (_, i) => `pg-${i}`) });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('snapshotQuota')).map((m) => String(m.entry.data));
    expect(warnings).toEqual([expect.stringMatching(
      /^retainSnapshots 1 with 34 DB instances holds up to 102 manual DB instance snapshots during a run .*Raise the quota "Manual DB instance snapshots" in Service Quotas to at least 102/,
    )]);
  });

  test('tokens are not checked at synth', () => {
    const stack = newStack();
    expect(() => addSnapshots(stack, {
      instanceIdentifiers: [Token.asString({ Ref: 'InstanceId' })],
      maxConcurrentInstanceCopies: Token.asNumber({ Ref: 'Cap' }),
    })).not.toThrow();
  });
});

describe('IAM per kind', () => {
  test('without DB instances, no function may touch one: the template is the cluster-only one', () => {
    const { template } = build();
    const all = JSON.stringify(template.toJSON());
    expect(all).not.toMatch(/rds:(CreateDBSnapshot|CopyDBSnapshot|DeleteDBSnapshot|ModifyDBSnapshotAttribute|DescribeDBInstances)\b/);
    expect(all).not.toContain(ENV.INSTANCE_IDENTIFIERS);
  });

  test('explicit instances: CreateDBSnapshot only on their ARNs (a managed policy) and into owner-tagged <prefix>-* DB snapshots', () => {
    const { stack, template, construct } = build({ instanceIdentifiers: ['orders-pg', 'Billing-PG'] });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: 'SharedClusterSnapshots: the instanceIdentifiers it may snapshot (part 1 of 1)',
      PolicyDocument: { Statement: [{ Action: 'rds:CreateDBSnapshot', Effect: 'Allow', Resource: [DB_ARN('orders-pg'), DB_ARN('billing-pg')] }] },
      Roles: [{ Ref: roleIdOf(stack, construct.handlers.createSnapshot) }],
    });
    const create = statementsOfRole(template, roleIdOf(stack, construct.handlers.createSnapshot));
    expect(create).toContainEqual(expect.objectContaining({
      Action: ['rds:CreateDBSnapshot', 'rds:AddTagsToResource'],
      Resource: [SNAPSHOT_ARN('shared-*')],
      Condition: { StringEquals: { 'aws:RequestTag/shared-cluster-snapshots:owner': construct.ownerId } },
    }));
    // No CreateDBSnapshot on db:* without instanceTag.
    expect(create.filter((s) => s.Action.includes('rds:CreateDBSnapshot') && JSON.stringify(s.Resource).includes(':db:*'))).toEqual([]);
    // Every mutating DB snapshot action needs the prefix and the owner tag.
    const mutating = ['rds:CopyDBSnapshot', 'rds:DeleteDBSnapshot', 'rds:ModifyDBSnapshotAttribute'];
    for (const fn of handlerFunctions(construct)) {
      for (const statement of statementsOfRole(template, roleIdOf(stack, fn))) {
        if (!statement.Action.some((a: string) => mutating.includes(a))) continue;
        expect(statement.Resource).toEqual([SNAPSHOT_ARN('shared-*')]);
        expect(JSON.stringify(statement.Condition)).toContain(construct.ownerId);
      }
    }
  });

  test('instanceTag: CreateDBSnapshot on db:* only for instances carrying the tag (read from the instance)', () => {
    const { stack, template, construct } = build({ instanceTag: { key: 'share', value: 'yes' } });
    expect(statementsOfRole(template, roleIdOf(stack, construct.handlers.createSnapshot))).toContainEqual(expect.objectContaining({
      Action: ['rds:CreateDBSnapshot'], Resource: [DB_ARN('*')], Condition: { StringEquals: { 'aws:ResourceTag/share': 'yes' } },
    }));
    expect(statementsOfRole(template, roleIdOf(stack, construct.starterFunction))).toContainEqual(expect.objectContaining({
      Action: ['rds:DescribeDBInstances'], Resource: [DB_ARN('*')],
    }));
    template.resourcePropertiesCountIs('AWS::IAM::ManagedPolicy', { Description: Match.stringLikeRegexp('instanceIdentifiers') }, 0);
  });

  test('the selection reaches Prepare, the starter and the freshness publisher; the copy cap reaches CopySnapshot', () => {
    const { stack, template, construct } = build({ instanceIdentifiers: ['orders-pg'], instanceTag: { key: 'share', value: 'yes' }, maxConcurrentInstanceCopies: 7 });
    const freshness = construct.node.findChild('PublishFreshness') as lambda.IFunction;
    for (const fn of [construct.handlers.prepare, construct.starterFunction, freshness]) {
      expect(lambdaEnvironment(stack, template, fn)).toMatchObject({
        [ENV.INSTANCE_IDENTIFIERS]: 'orders-pg', [ENV.INSTANCE_TAG_KEY]: 'share', [ENV.INSTANCE_TAG_VALUE]: 'yes',
      });
    }
    expect(lambdaEnvironment(stack, template, construct.handlers.copySnapshot)).toMatchObject({ [ENV.MAX_CONCURRENT_INSTANCE_COPIES]: '7' });
  });

  test('an instance that is not available is waited for as a cluster is', () => {
    const { template } = build({ instanceIdentifiers: ['orders-pg'] });
    const definition = JSON.stringify(template.toJSON());
    expect(definition).toContain(`\\"ErrorEquals\\":[\\"${ERROR.ClusterNotAvailable}\\",\\"${ERROR.InstanceNotAvailable}\\"]`);
  });
});

describe('snapshotSource', () => {
  const automated = SnapshotSource.newestAutomatedSnapshot(Duration.hours(6));

  test.each<[string, Duration, RegExp]>([
    ['under an hour', Duration.minutes(30), /snapshotSource maxAge must be a whole number of seconds from 1 hour to 35 days .*got 1800 seconds/],
    ['over 35 days', Duration.days(36), /got 3110400 seconds/],
  ])('a maxAge %s is refused', (_, maxAge, message) => {
    expect(() => addSnapshots(newStack(), { instanceIdentifiers: ['orders-pg'], snapshotSource: SnapshotSource.newestAutomatedSnapshot(maxAge) })).toThrow(message);
  });

  test('CopySnapshot may copy only the selected instances\' automated snapshots, into owner-tagged ones; Prepare reads maxAge', () => {
    const { stack, template, construct } = build({ instanceIdentifiers: ['orders-pg', 'Billing-PG'], snapshotSource: automated });
    expect(statementsOfRole(template, roleIdOf(stack, construct.handlers.copySnapshot))).toContainEqual(expect.objectContaining({
      Action: ['rds:CopyDBSnapshot'],
      Resource: [SNAPSHOT_ARN('rds:orders-pg-*'), SNAPSHOT_ARN('rds:billing-pg-*')],
      Condition: { StringEquals: { 'aws:RequestTag/shared-cluster-snapshots:owner': construct.ownerId } },
    }));
    expect(lambdaEnvironment(stack, template, construct.handlers.prepare)).toMatchObject({ [ENV.AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS]: '21600' });
  });

  test('the state machine goes from Prepare straight to CopySnapshot when Prepare found an automated snapshot; without the option, no such state', () => {
    const definition = (props: object) => JSON.parse(JSON.stringify(build(props).template.toJSON()).match(/"DefinitionString":(\{.*?\}),"LoggingConfiguration"/)![1]);
    const withOption = JSON.stringify(definition({ instanceIdentifiers: ['orders-pg'], snapshotSource: automated }));
    expect(withOption).toContain('\\"SnapshotSource\\":{\\"Type\\":\\"Choice\\",\\"Choices\\":[{\\"Variable\\":\\"$.sourceSnapshotIdentifier\\",\\"IsPresent\\":true,\\"Next\\":\\"CopySnapshot\\"}],\\"Default\\":\\"CreateSnapshot\\"}');
    expect(JSON.stringify(definition({ instanceIdentifiers: ['orders-pg'] }))).not.toContain('SnapshotSource');
  });
});

describe('checks on a mixed fleet', () => {
  const mixed = (stack: Stack) => addSnapshots(stack, {
    clusterIdentifiers: ['orders-db'],
    clusterTag: { key: 'share-snapshots', value: 'true' },
    instanceIdentifiers: ['billing-pg', 'ledger-ora'],
    instanceTag: { key: 'share-snapshots', value: 'true' },
    retainUntilCopied: true,
    snapshotSource: SnapshotSource.newestAutomatedSnapshot(Duration.hours(6)),
  });

  test.each<[string, (stack: Stack) => unknown]>([
    ['ids and tags of both kinds', mixed],
    ['explicit instances reusing automated snapshots', (stack) => addSnapshots(stack, {
      instanceIdentifiers: ['billing-pg'], snapshotSource: SnapshotSource.newestAutomatedSnapshot(Duration.hours(6)),
    })],
  ])('cdk-nag AwsSolutions, %s: no errors or warnings', (_, add) => {
    const stack = newStack();
    add(stack);
    runNag(stack);
    const annotations = Annotations.fromStack(stack);
    expect([...annotations.findError('*', NAG_FINDING), ...annotations.findWarning('*', NAG_FINDING)].map((m) => String(m.entry.data))).toEqual([]);
  });

  test('every statement agrees with the Service Authorization Reference', async () => {
    const synthesized = synthesize(() => ({
      clusterIdentifiers: ['orders-db'],
      instanceIdentifiers: ['billing-pg'],
      instanceTag: { key: 'share-snapshots', value: 'true' },
      targetAccountIds: ['222222222222'],
      retainUntilCopied: true,
      snapshotSource: SnapshotSource.newestAutomatedSnapshot(Duration.hours(6)),
    }));
    const problems: Record<string, string[]> = {};
    for (const role of synthesized.roles.values()) {
      for (const [i, statement] of role.statements.entries()) {
        const found = await statementProblems(statement, { wildcardReasons: {} });
        if (found.length > 0) problems[`${role.roleId} statement ${i}`] = found;
      }
    }
    expect(problems).toEqual({});
  });
});
