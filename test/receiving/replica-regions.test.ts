/**
 * `replicaRegions` on the receiver: synth validation (each rule by name), the replica workflow and
 * alarms, and the replica roles' IAM, evaluated as IAM does and checked against the Service
 * Authorization Reference.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { evaluate, IamStatement, RequestContext } from '../../sim/iam-policy';
import { ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps, ReplicaRegion } from '../../src';
import { statementProblems } from '../iam/reference';

const TARGET = '222222222222';
const SOURCE = '111111111111';
const keyArn = (region: string, id = `dr-${region}`) => `arn:aws:kms:${region}:${TARGET}:key/${id}`;

function receiverWith(replicaRegions: (stack: Stack) => ReplicaRegion[], props: Partial<ReceivedClusterSnapshotsProps> = {}) {
  const stack = new Stack(new App(), 'Replicas', { env: { account: TARGET, region: 'eu-west-1' } });
  const receiver = new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: [SOURCE], replicaRegions: replicaRegions(stack), ...props });
  return { stack, receiver };
}
const imported = (stack: Stack, arn: string) => kms.Key.fromKeyArn(stack, arn, arn);

describe('replicaRegions validation', () => {
  const build = (replicas: (stack: Stack) => ReplicaRegion[]) => () => receiverWith(replicas);
  test('a key of another Region is refused, naming both Regions', () => {
    expect(build((s) => [{ region: 'us-east-1', encryptionKey: imported(s, keyArn('us-west-2')) }]))
      .toThrow(/replicaRegions\[0\]\.encryptionKey 'arn:aws:kms:us-west-2:222222222222:key\/dr-us-west-2' is in us-west-2, not us-east-1/);
  });
  test('an alias ARN is refused', () => {
    expect(build((s) => [{ region: 'us-east-1', encryptionKey: kms.Alias.fromAliasName(s, 'A', 'alias/dr') as unknown as kms.IKey }]))
      .toThrow(/replicaRegions\[0\]\.encryptionKey must be a key given by its literal key ARN/);
    expect(build((s) => [{ region: 'us-east-1', encryptionKey: imported(s, `arn:aws:kms:us-east-1:${TARGET}:alias/dr`) }]))
      .toThrow(/replicaRegions\[0\]\.encryptionKey must be a key ARN, not an alias ARN/);
  });
  test('a key made in this stack (a token) is refused', () => {
    expect(build((s) => [{ region: 'us-east-1', encryptionKey: new kms.Key(s, 'Here') }])).toThrow(/replicaRegions\[0\]\.encryptionKey must be a key given by its literal key ARN/);
  });
  test('the stack\'s own Region, a Region listed twice and a malformed Region are refused', () => {
    expect(build((s) => [{ region: 'eu-west-1', encryptionKey: imported(s, keyArn('eu-west-1')) }])).toThrow(/replicaRegions\[0\]\.region 'eu-west-1' is the stack's own Region/);
    expect(build((s) => [
      { region: 'us-east-1', encryptionKey: imported(s, keyArn('us-east-1')) },
      { region: 'us-east-1', encryptionKey: imported(s, keyArn('us-east-1', 'other')) },
    ])).toThrow(/replicaRegions\[1\]\.region 'us-east-1' is listed twice/);
    expect(build((s) => [{ region: 'US East', encryptionKey: imported(s, keyArn('us-east-1')) }])).toThrow(/replicaRegions\[0\]\.region must be a literal Region name/);
  });
  test('retainCopies per Region from 1 to 100, and at most 5 Regions', () => {
    expect(build((s) => [{ region: 'us-east-1', encryptionKey: imported(s, keyArn('us-east-1')), retainCopies: 0 }]))
      .toThrow(/replicaRegions\[0\]\.retainCopies must be a whole number from 1 to 100, got 0/);
    const six = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-central-1', 'eu-north-1'];
    expect(build((s) => six.map((region) => ({ region, encryptionKey: imported(s, keyArn(region)) })))).toThrow(/replicaRegions may list at most 5 Regions, got 6/);
  });
});

describe('a receiver with two replica Regions', () => {
  const { stack, receiver } = receiverWith((s) => [
    { region: 'us-east-1', encryptionKey: imported(s, keyArn('us-east-1')) },
    { region: 'eu-central-1', encryptionKey: imported(s, keyArn('eu-central-1')), retainCopies: 2 },
  ], { retainCopies: 5 });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
  const homeKeyId = stack.getLogicalId(receiver.encryptionKey.node.defaultChild as any);
  const HOME_KEY = `arn:aws:kms:eu-west-1:${TARGET}:key/home`;

  function resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== 'object' || value === null) return value;
    const node = value as Record<string, any>;
    if (node['Fn::Join']) return (node['Fn::Join'][1] as unknown[]).map(resolve).join(node['Fn::Join'][0]);
    if (node.Ref === 'AWS::Partition') return 'aws';
    if (node.Ref === 'AWS::URLSuffix') return 'amazonaws.com';
    if (node.Ref) return `arn:aws:states:eu-west-1:${TARGET}:stateMachine:${node.Ref}`;
    if (node['Fn::GetAtt']) return attArn(node['Fn::GetAtt'][0]);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
  }
  /** A resource's ARN as deployed, by its type. */
  function attArn(id: string): string {
    if (id === homeKeyId) return HOME_KEY;
    const type = resources[id]?.Type;
    if (type === 'AWS::Logs::LogGroup') return `arn:aws:logs:eu-west-1:${TARGET}:log-group:${id}:*`;
    if (type === 'AWS::Lambda::Function') return `arn:aws:lambda:eu-west-1:${TARGET}:function:${id}`;
    return `arn:aws:states:eu-west-1:${TARGET}:stateMachine:${id}`;
  }
  const statementsOf = (role: IRole | undefined): IamStatement[] => {
    const roleId = stack.getLogicalId(role!.node.defaultChild as any);
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: any) => ref.Ref === roleId))
      .flatMap((r) => resolve(r.Properties.PolicyDocument.Statement) as IamStatement[]);
  };
  type Case = [string, string, RequestContext?];
  const allows = (role: IRole | undefined, [action, resource, context]: Case) => evaluate(statementsOf(role), { action, resource, context }).allowed;
  const notAllowed = (role: IRole | undefined, cases: Case[]) => cases.filter((c) => !allows(role, c));
  const notDenied = (role: IRole | undefined, cases: Case[]) => cases.filter((c) => allows(role, c));
  const rds = (region: string, resource: string) => `arn:aws:rds:${region}:${TARGET}:${resource}`;
  const COPY = 'cluster-snapshot:received-shared-orders-db-202611270300-6fbbb8dd6598';
  const owner = { 'aws:RequestTag/received-cluster-snapshots:owner': receiver.ownerId };
  const owned = { 'aws:ResourceTag/received-cluster-snapshots:owner': receiver.ownerId };
  const inRegion = (region: string) => ({ 'aws:RequestedRegion': region });
  const viaRds = (region: string) => ({ 'kms:ViaService': `rds.${region}.amazonaws.com` });

  test('one replica state machine, its functions, a freshness alarm per Region on its own series, and a failure alarm', () => {
    expect(receiver.replicaStateMachine).toBeDefined();
    expect(receiver.replicaFreshnessAlarms).toHaveLength(2);
    expect(receiver.replicaFailureAlarm).toBeDefined();
    for (const region of ['us-east-1', 'eu-central-1']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'NewestCopyAge',
        Dimensions: [{ Name: 'OwnerId', Value: receiver.ownerId }, { Name: 'Region', Value: region }],
        TreatMissingData: 'breaching',
      });
    }
    const copyReplicaId = stack.getLogicalId(receiver.handlers.copyReplica!.node.defaultChild as any);
    const settings = JSON.parse(resources[copyReplicaId].Properties.Environment.Variables.REPLICA_REGIONS);
    expect(settings).toEqual([
      { region: 'us-east-1', keyArn: keyArn('us-east-1'), retainCopies: 5 },
      { region: 'eu-central-1', keyArn: keyArn('eu-central-1'), retainCopies: 2 },
    ]);
  });

  test('the copy role copies this instance\'s copy into tagged replicas in the listed Regions only, each under its Region\'s key through RDS', () => {
    const role = receiver.handlers.copyReplica!.role;
    expect(notAllowed(role, [
      ['rds:CopyDBClusterSnapshot', rds('eu-west-1', COPY), inRegion('us-east-1')],
      ['rds:CopyDBClusterSnapshot', rds('us-east-1', COPY), { ...owner, ...inRegion('us-east-1') }],
      ['rds:AddTagsToResource', rds('eu-central-1', COPY), { ...owner, ...inRegion('eu-central-1') }],
      ['rds:DescribeDBClusterSnapshots', rds('us-east-1', COPY), inRegion('us-east-1')],
      ['rds:DescribeAccountAttributes', '*', inRegion('eu-central-1')],
      ['kms:DescribeKey', keyArn('us-east-1'), viaRds('us-east-1')],
      ['kms:CreateGrant', keyArn('eu-central-1'), { ...viaRds('eu-central-1'), 'kms:GrantIsForAWSResource': true }],
      ['kms:Decrypt', HOME_KEY, viaRds('us-east-1')],
    ])).toEqual([]);
    expect(notDenied(role, [
      ['rds:CopyDBClusterSnapshot', rds('eu-north-1', COPY), { ...owner, ...inRegion('eu-north-1') }],
      ['rds:CopyDBClusterSnapshot', rds('eu-west-1', COPY), inRegion('eu-north-1')],
      ['rds:CopyDBClusterSnapshot', rds('us-east-1', COPY), inRegion('us-east-1')],
      ['rds:CopyDBClusterSnapshot', rds('us-east-1', 'cluster-snapshot:manual-x'), { ...owner, ...inRegion('us-east-1') }],
      ['rds:DeleteDBClusterSnapshot', rds('us-east-1', COPY), { ...owned, ...inRegion('us-east-1') }],
      ['kms:DescribeKey', keyArn('us-east-1'), viaRds('eu-central-1')],
      ['kms:CreateGrant', keyArn('us-east-1'), viaRds('us-east-1')],
      ['kms:Decrypt', keyArn('us-east-1'), viaRds('us-east-1')],
    ])).toEqual([]);
  });

  test('the replica roles that delete: only own-prefixed replicas with this owner id, in the listed Regions', () => {
    for (const role of [receiver.handlers.checkReplica!.role, receiver.handlers.retainReplicas!.role]) {
      expect(notAllowed(role, [['rds:DeleteDBClusterSnapshot', rds('eu-central-1', COPY), { ...owned, ...inRegion('eu-central-1') }]])).toEqual([]);
      expect(notDenied(role, [
        ['rds:DeleteDBClusterSnapshot', rds('eu-central-1', COPY), inRegion('eu-central-1')],
        ['rds:DeleteDBClusterSnapshot', rds('eu-west-1', COPY), { ...owned, ...inRegion('eu-west-1') }],
        ['rds:DeleteDBClusterSnapshot', rds('eu-north-1', COPY), { ...owned, ...inRegion('eu-north-1') }],
      ])).toEqual([]);
    }
  });

  test('the home retention reads the replicas to keep a copy whose replica is copying, and deletes none there', () => {
    const role = receiver.handlers.retainCopies.role;
    expect(notAllowed(role, [['rds:DescribeDBClusterSnapshots', rds('us-east-1', COPY), inRegion('us-east-1')]])).toEqual([]);
    expect(notDenied(role, [['rds:DeleteDBClusterSnapshot', rds('us-east-1', COPY), { ...owned, ...inRegion('us-east-1') }]])).toEqual([]);
  });

  test('every statement agrees with the Service Authorization Reference', async () => {
    const problems: Record<string, string[]> = {};
    for (const [id, r] of Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')) {
      for (const [i, statement] of (resolve(r.Properties.PolicyDocument.Statement) as IamStatement[]).entries()) {
        const found = await statementProblems(statement);
        if (found.length > 0) problems[`${id} statement ${i}`] = found;
      }
    }
    expect(problems).toEqual({});
  });
});
