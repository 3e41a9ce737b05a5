import {
  CreateDBClusterSnapshotCommand,
  DBClusterNotFoundFault,
  DBClusterSnapshotAlreadyExistsFault,
  DescribeDBClusterSnapshotsCommand,
  InvalidDBClusterStateFault,
  RDSClient,
  SnapshotQuotaExceededFault,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  DEADLINE,
  mockSnapshots,
  NOW,
  ownedSnapshot,
  OWNER_ID,
  preparedPlan,
  RUN_ID,
  SHARED_ID,
  snapshot,
  TEMP_ID,
  useHandlerEnvironment,
} from './helpers';
import { ENV } from '../../../src/shared/constants';
import { handler } from '../../../src/sharing/handlers/create-snapshot.lambda';
import type { RunPlan } from '../../../src/sharing/handlers/workflow-state.lambda-shared';

const rdsMock = mockClient(RDSClient);
/** NOW + SNAPSHOT_TIMEOUT_SECONDS (7200 s). */

function ownerTags(role: 'shared' | 'temporary') {
  return [
    { Key: 'shared-cluster-snapshots:owner', Value: OWNER_ID },
    { Key: 'shared-cluster-snapshots:cluster', Value: 'orders-db' },
    { Key: 'shared-cluster-snapshots:role', Value: role },
    { Key: 'shared-cluster-snapshots:run', Value: RUN_ID },
  ];
}

useHandlerEnvironment(NOW);

beforeEach(() => {
  rdsMock.reset();
  rdsMock.on(CreateDBClusterSnapshotCommand).resolves({});
});

describe('creating the snapshot', () => {
  test('with a copy to follow: the temporary snapshot, tagged as this run\'s temporary', async () => {
    const plan = preparedPlan(true);
    await expect(handler(plan)).resolves.toEqual({ ...plan, awaitingSnapshotIdentifier: TEMP_ID, deadline: DEADLINE });
    expect(rdsMock.commandCalls(CreateDBClusterSnapshotCommand)).toHaveLength(1);
    expect(rdsMock.commandCalls(CreateDBClusterSnapshotCommand)[0].args[0].input).toEqual({
      DBClusterIdentifier: 'orders-db',
      DBClusterSnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj-tmp',
      Tags: ownerTags('temporary'),
    });
  });

  test('without a copy: the shared snapshot, tagged as this run\'s shared', async () => {
    const plan = preparedPlan(false);
    await expect(handler(plan)).resolves.toEqual({ ...plan, awaitingSnapshotIdentifier: SHARED_ID, deadline: DEADLINE });
    expect(rdsMock.commandCalls(CreateDBClusterSnapshotCommand)[0].args[0].input).toEqual({
      DBClusterIdentifier: 'orders-db',
      DBClusterSnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj',
      Tags: ownerTags('shared'),
    });
  });

  test('snapshotTags (SNAPSHOT_TAGS): the extra tags after the ownership tags, in the same request', async () => {
    process.env[ENV.SNAPSHOT_TAGS] = JSON.stringify({ 'cost-center': '1234', 'team': 'data platform' });
    await handler(preparedPlan(true));
    expect(rdsMock.commandCalls(CreateDBClusterSnapshotCommand)[0].args[0].input).toEqual({
      DBClusterIdentifier: 'orders-db',
      DBClusterSnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj-tmp',
      Tags: [...ownerTags('temporary'), { Key: 'cost-center', Value: '1234' }, { Key: 'team', Value: 'data platform' }],
    });
  });

  test('the deadline is now + SNAPSHOT_TIMEOUT_SECONDS', async () => {
    process.env[ENV.SNAPSHOT_TIMEOUT_SECONDS] = '600';
    const result = await handler(preparedPlan(true));
    expect(result.deadline).toBe('2026-11-27T03:10:00.000Z');
  });

  test('the plan as Prepare serialised it (JSON, without undefined keys) is accepted', async () => {
    const plan = JSON.parse(JSON.stringify(preparedPlan(false))) as RunPlan;
    await expect(handler(plan)).resolves.toMatchObject({ awaitingSnapshotIdentifier: SHARED_ID });
  });
});

describe('a snapshot of that name already exists', () => {
  beforeEach(() => {
    rdsMock.on(CreateDBClusterSnapshotCommand).rejects(new DBClusterSnapshotAlreadyExistsFault({ message: 'exists', $metadata: {} }));
  });

  test('and is this run\'s own (a retried create): success', async () => {
    mockSnapshots(rdsMock, [ownedSnapshot(RUN_ID, 'temporary', { status: 'creating' })]);
    const plan = preparedPlan(true);
    await expect(handler(plan)).resolves.toEqual({ ...plan, awaitingSnapshotIdentifier: TEMP_ID, deadline: DEADLINE });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)[0].args[0].input).toEqual({ DBClusterSnapshotIdentifier: TEMP_ID });
  });

  test.each<[string, ReturnType<typeof snapshot>]>([
    ['a user\'s snapshot without tags', snapshot({ id: TEMP_ID })],
    ['another owner\'s', ownedSnapshot(RUN_ID, 'temporary', { owner: { ownerId: 'other-stack', role: 'temporary', runId: RUN_ID } })],
    ['this owner\'s of another run', ownedSnapshot(RUN_ID, 'temporary', { owner: { role: 'temporary', runId: '202611260300' } })],
    ['this owner\'s with another role', ownedSnapshot(RUN_ID, 'temporary', { owner: { role: 'shared', runId: RUN_ID } })],
    ['this owner\'s of another cluster', ownedSnapshot(RUN_ID, 'temporary', { clusterIdentifier: 'billing-db', owner: { clusterIdentifier: 'billing-db', role: 'temporary', runId: RUN_ID } })],
  ])('and is %s: SnapshotIdentifierConflict', async (_, existing) => {
    mockSnapshots(rdsMock, [existing]);
    await expect(handler(preparedPlan(true))).rejects.toMatchObject({ name: 'SnapshotIdentifierConflict' });
  });

  test('but has vanished when re-read: SnapshotIdentifierConflict', async () => {
    mockSnapshots(rdsMock, []);
    await expect(handler(preparedPlan(true))).rejects.toMatchObject({ name: 'SnapshotIdentifierConflict' });
  });

  test('and reading it fails: the error passes through', async () => {
    rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(awsError('Throttling'));
    await expect(handler(preparedPlan(true))).rejects.toMatchObject({ name: 'Throttling' });
  });
});

describe('RDS errors', () => {
  test('InvalidDBClusterStateFault: ClusterNotAvailable', async () => {
    rdsMock.on(CreateDBClusterSnapshotCommand).rejects(new InvalidDBClusterStateFault({ message: 'backing-up', $metadata: {} }));
    await expect(handler(preparedPlan(true))).rejects.toMatchObject({ name: 'ClusterNotAvailable' });
  });

  test('SnapshotQuotaExceededFault: SnapshotQuotaExceeded', async () => {
    rdsMock.on(CreateDBClusterSnapshotCommand).rejects(new SnapshotQuotaExceededFault({ message: 'quota', $metadata: {} }));
    await expect(handler(preparedPlan(true))).rejects.toMatchObject({ name: 'SnapshotQuotaExceeded' });
  });

  test('DBClusterNotFoundFault: ClusterNotFound', async () => {
    rdsMock.on(CreateDBClusterSnapshotCommand).rejects(new DBClusterNotFoundFault({ message: 'gone', $metadata: {} }));
    await expect(handler(preparedPlan(true))).rejects.toMatchObject({ name: 'ClusterNotFound' });
  });

  test.each(['Throttling', 'InternalFailure', 'AccessDenied'])('%s passes through by name', async (name) => {
    rdsMock.on(CreateDBClusterSnapshotCommand).rejects(awsError(name));
    await expect(handler(preparedPlan(true))).rejects.toMatchObject({ name });
  });
});

describe('a plan that does not name this run\'s own snapshots is refused before any AWS call', () => {
  const good = preparedPlan(true);
  test.each<[string, unknown]>([
    ['sharedSnapshotIdentifier pointing at someone else\'s snapshot', { ...good, sharedSnapshotIdentifier: 'prod-backup-before-migration' }],
    ['temporarySnapshotIdentifier pointing at someone else\'s snapshot', { ...good, temporarySnapshotIdentifier: 'prod-backup-before-migration' }],
    ['the shared name of another run', { ...good, sharedSnapshotIdentifier: 'shared-orders-db-202611260300-u66vbj' }],
    ['the shared name of another cluster', { ...good, sharedSnapshotIdentifier: 'shared-billing-db-202611270300-u66vbj' }],
    ['shared and temporary swapped', { ...good, sharedSnapshotIdentifier: TEMP_ID, temporarySnapshotIdentifier: SHARED_ID }],
    ['a temporary name with copyRequired false', { ...good, copyRequired: false }],
    ['no temporary name with copyRequired true', { ...good, temporarySnapshotIdentifier: undefined }],
    ['copyRequired not a boolean', { ...good, copyRequired: 'true' }],
    ['awaitingSnapshotIdentifier not of this run', { ...good, awaitingSnapshotIdentifier: 'prod-backup-before-migration' }],
    ['a malformed clusterIdentifier', { ...good, clusterIdentifier: 'orders*' }],
    ['a mixed-case clusterIdentifier (names derived from its lowercase form)', { ...good, clusterIdentifier: 'Orders-DB' }],
    ['a non-string deadline', { ...good, deadline: 0 }],
    ['a missing clusterIdentifier', { ...good, clusterIdentifier: undefined }],
    ['a malformed runId', { ...good, runId: '2026-11-27' }],
    ['a missing sharedSnapshotIdentifier', { ...good, sharedSnapshotIdentifier: undefined }],
    ['a non-object plan', 'shared-orders-db-202611270300-u66vbj'],
    ['a null plan', null],
    ['a huge plan', { ...good, padding: 'x'.repeat(17_000) }],
  ])('%s', async (_, plan) => {
    await expect(handler(plan as RunPlan)).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('names derived with another prefix are refused', async () => {
    process.env[ENV.SNAPSHOT_PREFIX] = 'nightly';
    await expect(handler(preparedPlan(true))).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });
});
