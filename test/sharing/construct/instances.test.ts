/**
 * DB instances beside clusters, at synth: validation of instanceIdentifiers, instanceTag and
 * maxConcurrentInstanceCopies, IAM scoped per kind, the environment each function reads, and
 * cdk-nag clean.
 */
import { Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { addSnapshots, build, handlerFunctions, lambdaEnvironment, newStack, roleIdOf } from './helpers';
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

describe('checks on a mixed fleet', () => {
  const mixed = (stack: Stack) => addSnapshots(stack, {
    clusterIdentifiers: ['orders-db'],
    clusterTag: { key: 'share-snapshots', value: 'true' },
    instanceIdentifiers: ['billing-pg', 'ledger-ora'],
    instanceTag: { key: 'share-snapshots', value: 'true' },
    retainUntilCopied: true,
  });

  test('cdk-nag AwsSolutions: no errors or warnings', () => {
    const stack = newStack();
    mixed(stack);
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
