import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { evaluate, IamStatement, RequestContext } from '../../sim/iam-policy';
import { ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps } from '../../src';

// The receiver's policies, resolved and evaluated the way IAM does (the simulator's evaluator): what
// each role may do, and, as important, what it may not.

const TARGET = '222222222222';
const SOURCE = '111111111111';
const STRANGER = '444444444444';
const rds = (account: string, resource: string) => `arn:aws:rds:eu-west-1:${account}:${resource}`;
const key = (account: string) => `arn:aws:kms:eu-west-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const bus = (account: string) => `arn:aws:events:eu-west-1:${account}:event-bus/default`;

const stack = new Stack(new App(), 'Iam', { env: { account: TARGET, region: 'eu-west-1' } });
const receiver = new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: [SOURCE], sourceSnapshotPrefix: 'shared', confirmCopies: true });
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const OWNER = { ['aws:RequestTag/received-cluster-snapshots:owner']: receiver.ownerId };
const OWNED = { ['aws:ResourceTag/received-cluster-snapshots:owner']: receiver.ownerId };
const VIA_RDS = { 'kms:ViaService': 'rds.eu-west-1.amazonaws.com' };
const COPY_KEY_ID = stack.getLogicalId(receiver.encryptionKey.node.defaultChild as any);

function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Record<string, any>;
  if (node['Fn::Join']) return (node['Fn::Join'][1] as unknown[]).map(resolve).join(node['Fn::Join'][0]);
  if (node.Ref === 'AWS::Partition') return 'aws';
  if (node.Ref === 'AWS::URLSuffix') return 'amazonaws.com';
  if (node.Ref) return `ref:${node.Ref}`;
  if (node['Fn::GetAtt']) return node['Fn::GetAtt'][0] === COPY_KEY_ID ? key(TARGET) : `arn:aws:fake:::${node['Fn::GetAtt'][0]}`;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
}

function statementsOf(role: IRole | undefined): IamStatement[] {
  const roleId = stack.getLogicalId(role!.node.defaultChild as any);
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: any) => ref.Ref === roleId))
    .flatMap((r) => resolve(r.Properties.PolicyDocument.Statement) as IamStatement[]);
}

type Case = [string, string, RequestContext?];
const isAllowed = (role: IRole | undefined, [action, resource, context]: Case) => evaluate(statementsOf(role), { action, resource, context }).allowed;
/** The cases the role may NOT do (expected: none). */
const allowed = (role: IRole | undefined, cases: Case[]) => cases.filter((c) => !isAllowed(role, c));
/** The cases the role MAY do (expected: none). */
const denied = (role: IRole | undefined, cases: Case[]) => cases.filter((c) => isAllowed(role, c));

const SHARED = rds(SOURCE, 'cluster-snapshot:shared-orders-db-202611270300');
const COPY = rds(TARGET, 'cluster-snapshot:received-shared-orders-db-202611270300-6fbbb8dd6598');

test('the copy role: reads and copies the sources\' prefixed snapshots into tagged own copies, with the keys only through RDS', () => {
  const role = receiver.handlers.copySnapshot.role;
  expect(allowed(role, [
    ['rds:DescribeDBClusterSnapshots', COPY],
    ['rds:DescribeDBClusterSnapshots', SHARED],
    ['rds:CopyDBClusterSnapshot', SHARED],
    ['rds:CopyDBClusterSnapshot', COPY, OWNER],
    ['rds:AddTagsToResource', COPY, OWNER],
    ['kms:Decrypt', key(SOURCE), VIA_RDS],
    ['kms:DescribeKey', key(SOURCE), VIA_RDS],
    ['kms:CreateGrant', key(SOURCE), { ...VIA_RDS, 'kms:GrantIsForAWSResource': true }],
    ['kms:CreateGrant', key(TARGET), { ...VIA_RDS, 'kms:GrantIsForAWSResource': true }],
    ['kms:DescribeKey', key(TARGET), VIA_RDS],
    ['rds:DescribeAccountAttributes', '*'],
  ])).toEqual([]);
  expect(denied(role, [
    ['rds:CopyDBClusterSnapshot', rds(STRANGER, 'cluster-snapshot:shared-x')],
    ['rds:CopyDBClusterSnapshot', rds(SOURCE, 'cluster-snapshot:manual-x')],
    ['rds:CopyDBClusterSnapshot', rds(TARGET, 'cluster-snapshot:other-x'), OWNER],
    ['rds:CopyDBClusterSnapshot', COPY],
    ['rds:AddTagsToResource', COPY, { ['aws:RequestTag/received-cluster-snapshots:owner']: 'someone-else' }],
    ['rds:DeleteDBClusterSnapshot', COPY, OWNED],
    ['kms:Decrypt', key(SOURCE)],
    ['kms:Decrypt', key(STRANGER), VIA_RDS],
    ['kms:CreateGrant', key(SOURCE), VIA_RDS],
    ['kms:CreateGrant', key(SOURCE), { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:GrantIsForAWSResource': true }],
    ['kms:Decrypt', rds(TARGET, 'cluster-snapshot:x'), VIA_RDS],
  ])).toEqual([]);
});

test('the roles that delete: only own-prefixed copies that carry this owner id', () => {
  for (const role of [receiver.handlers.checkCopy.role, receiver.handlers.retainCopies.role]) {
    expect(allowed(role, [['rds:DeleteDBClusterSnapshot', COPY, OWNED]])).toEqual([]);
    expect(denied(role, [
      ['rds:DeleteDBClusterSnapshot', COPY],
      ['rds:DeleteDBClusterSnapshot', COPY, { ['aws:ResourceTag/received-cluster-snapshots:owner']: 'someone-else' }],
      ['rds:DeleteDBClusterSnapshot', rds(TARGET, 'cluster-snapshot:manual-orders-db'), OWNED],
      ['rds:DeleteDBClusterSnapshot', SHARED, OWNED],
      ['rds:CopyDBClusterSnapshot', SHARED],
    ])).toEqual([]);
  }
});

test('the receiver and the scan read and start executions, and change no snapshot', () => {
  const starts: Case = ['states:StartExecution', `ref:${stack.getLogicalId(receiver.stateMachine.node.defaultChild as any)}`];
  expect(allowed(receiver.handlers.receiveEvent.role, [['rds:DescribeDBClusterSnapshots', SHARED], starts])).toEqual([]);
  expect(allowed(receiver.handlers.scan.role, [
    ['rds:DescribeDBClusterSnapshots', rds(TARGET, 'cluster:*')], ['rds:DescribeDBClusterSnapshots', rds(TARGET, 'cluster-snapshot:*')], starts,
  ])).toEqual([]);
  for (const role of [receiver.handlers.receiveEvent.role, receiver.handlers.scan.role]) {
    expect(denied(role, [
      ['rds:CopyDBClusterSnapshot', SHARED], ['rds:DeleteDBClusterSnapshot', COPY, OWNED], ['rds:DescribeDBClusterSnapshots', rds(STRANGER, 'cluster-snapshot:shared-x')],
    ])).toEqual([]);
  }
});

test('the state machine puts events only on the source accounts\' default buses', () => {
  const role = receiver.stateMachine.role;
  expect(allowed(role, [['events:PutEvents', bus(SOURCE)]])).toEqual([]);
  expect(denied(role, [
    ['events:PutEvents', bus(STRANGER)],
    ['events:PutEvents', bus(TARGET)],
    ['events:PutEvents', `arn:aws:events:eu-west-1:${SOURCE}:event-bus/custom`],
  ])).toEqual([]);
});

// DB snapshots (DB instances' snapshots): the same scoping on the instance resource types (`snapshot`, `db`).
const DB_SHARED = rds(SOURCE, 'snapshot:shared-ledger-pg-202611270300');
const DB_COPY = rds(TARGET, 'snapshot:received-shared-ledger-pg-202611270300-ebedeabb72fd');

test('DB snapshots, the copy role: reads and copies the sources\' prefixed DB snapshots into tagged own copies', () => {
  const role = receiver.handlers.copySnapshot.role;
  expect(allowed(role, [
    ['rds:DescribeDBSnapshots', DB_COPY],
    ['rds:DescribeDBSnapshots', DB_SHARED],
    ['rds:CopyDBSnapshot', DB_SHARED],
    ['rds:CopyDBSnapshot', DB_COPY, OWNER],
    ['rds:AddTagsToResource', DB_COPY, OWNER],
  ])).toEqual([]);
  expect(denied(role, [
    ['rds:CopyDBSnapshot', rds(STRANGER, 'snapshot:shared-x')],
    ['rds:CopyDBSnapshot', rds(SOURCE, 'snapshot:manual-x')],
    ['rds:CopyDBSnapshot', rds(TARGET, 'snapshot:other-x'), OWNER],
    ['rds:CopyDBSnapshot', DB_COPY],
    ['rds:AddTagsToResource', DB_COPY, { ['aws:RequestTag/received-cluster-snapshots:owner']: 'someone-else' }],
    ['rds:DeleteDBSnapshot', DB_COPY, OWNED],
    // A kind's copy action never reaches the other kind's ARNs.
    ['rds:CopyDBSnapshot', SHARED],
    ['rds:CopyDBClusterSnapshot', DB_SHARED],
    ['rds:CopyDBOptionGroup', rds(TARGET, 'og:target-oracle-tz')],
  ])).toEqual([]);
});

test('DB snapshots, the roles that delete: only own-prefixed DB snapshot copies that carry this owner id', () => {
  for (const role of [receiver.handlers.checkCopy.role, receiver.handlers.retainCopies.role]) {
    expect(allowed(role, [['rds:DeleteDBSnapshot', DB_COPY, OWNED]])).toEqual([]);
    expect(denied(role, [
      ['rds:DeleteDBSnapshot', DB_COPY],
      ['rds:DeleteDBSnapshot', rds(TARGET, 'snapshot:manual-ledger-pg'), OWNED],
      ['rds:DeleteDBSnapshot', DB_SHARED, OWNED],
      ['rds:DeleteDBSnapshot', rds(TARGET, 'snapshot:rds:ledger-pg-2026-11-27-03-00'), OWNED],
      ['rds:DeleteDBClusterSnapshot', DB_COPY, OWNED],
    ])).toEqual([]);
  }
});

test('DB snapshots, the starters: read shared DB snapshots and list them, change none', () => {
  expect(allowed(receiver.handlers.receiveEvent.role, [['rds:DescribeDBSnapshots', DB_SHARED]])).toEqual([]);
  expect(allowed(receiver.handlers.scan.role, [['rds:DescribeDBSnapshots', rds(TARGET, 'db:*')], ['rds:DescribeDBSnapshots', rds(TARGET, 'snapshot:*')]])).toEqual([]);
  for (const role of [receiver.handlers.receiveEvent.role, receiver.handlers.scan.role]) {
    expect(denied(role, [['rds:CopyDBSnapshot', DB_SHARED], ['rds:DeleteDBSnapshot', DB_COPY, OWNED], ['rds:DescribeDBSnapshots', rds(STRANGER, 'snapshot:shared-x')]])).toEqual([]);
  }
});

describe('IAM per kind: a receiver holds the actions of the kinds it selects only', () => {
  const actionsOf = (props: Partial<ReceivedClusterSnapshotsProps>) => {
    const s = new Stack(new App(), 'Kinds', { env: { account: TARGET, region: 'eu-west-1' } });
    new ReceivedClusterSnapshots(s, 'Received', { sourceAccountIds: [SOURCE], ...props });
    const policies = Object.values(Template.fromStack(s).toJSON().Resources as Record<string, any>).filter((r) => r.Type === 'AWS::IAM::Policy');
    return new Set(policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat())));
  };

  test('clusterIdentifiers only: no DB snapshot action', () => {
    const actions = actionsOf({ clusterIdentifiers: ['orders-db'] });
    expect(actions).toContain('rds:CopyDBClusterSnapshot');
    expect([...actions].filter((a) => /DBSnapshot/.test(a))).toEqual([]);
  });

  test('instanceIdentifiers only: no cluster snapshot action', () => {
    const actions = actionsOf({ instanceIdentifiers: ['ledger-pg'], optionGroupName: 'target-oracle-tz' });
    expect([...actions].filter((a) => /DBSnapshot/.test(a)).sort()).toEqual(['rds:CopyDBSnapshot', 'rds:DeleteDBSnapshot', 'rds:DescribeDBSnapshots']);
    expect([...actions].filter((a) => /DBCluster/.test(a))).toEqual([]);
  });
});
