import {
  CopyDBClusterSnapshotCommand,
  DBClusterSnapshotAlreadyExistsFault,
  DescribeDBClusterSnapshotsCommand,
  KMSKeyNotAccessibleFault,
  RDSClient,
  SnapshotQuotaExceededFault,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  mockSnapshots,
  ownedSnapshot,
  OWNER_ID,
  preparedPlan,
  RUN_ID,
  SHARED_ID,
  SHARING_KEY_ARN,
  snapshot,
  snapshotArn,
  TEMP_ID,
  useHandlerEnvironment,
} from './helpers';
import { handler } from '../../src/source/handlers/copy-snapshot.lambda';
import type { RunPlan } from '../../src/source/handlers/workflow-state.lambda-shared';

const rdsMock = mockClient(RDSClient);

/** CheckSnapshot found the temporary snapshot available at 03:20. */
const CHECKED_AT = new Date('2026-11-27T03:20:00Z');
const TEMP_AVAILABLE: RunPlan = {
  ...preparedPlan(true),
  awaitingSnapshotIdentifier: TEMP_ID,
  deadline: '2026-11-27T05:00:00.000Z',
  snapshotArn: snapshotArn(TEMP_ID),
};
/** CHECKED_AT + 7200 s. */
const COPY_DEADLINE = '2026-11-27T05:20:00.000Z';

useHandlerEnvironment(CHECKED_AT);

beforeEach(() => {
  rdsMock.reset();
  rdsMock.on(CopyDBClusterSnapshotCommand).resolves({});
});

test('copies the temporary snapshot to the shared name with the sharing key, tagged shared', async () => {
  await handler(TEMP_AVAILABLE);
  expect(rdsMock.commandCalls(CopyDBClusterSnapshotCommand)).toHaveLength(1);
  expect(rdsMock.commandCalls(CopyDBClusterSnapshotCommand)[0].args[0].input).toEqual({
    SourceDBClusterSnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj-tmp',
    TargetDBClusterSnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj',
    KmsKeyId: SHARING_KEY_ARN,
    CopyTags: false,
    Tags: [
      { Key: 'shared-cluster-snapshots:owner', Value: OWNER_ID },
      { Key: 'shared-cluster-snapshots:cluster', Value: 'orders-db' },
      { Key: 'shared-cluster-snapshots:role', Value: 'shared' },
      { Key: 'shared-cluster-snapshots:run', Value: RUN_ID },
    ],
  });
});

test('starts the wait for the copy: awaiting the shared snapshot, deadline now + timeout', async () => {
  const result = await handler(TEMP_AVAILABLE);
  expect(result).toEqual({
    ...preparedPlan(true),
    awaitingSnapshotIdentifier: SHARED_ID,
    deadline: COPY_DEADLINE,
  });
});

test('drops the temporary snapshot\'s ARN: the next ARN must be the copy\'s, found available', async () => {
  const result = await handler(TEMP_AVAILABLE);
  expect(result.snapshotArn).toBeUndefined();
  expect(JSON.parse(JSON.stringify(result))).not.toHaveProperty('snapshotArn');
});

test('a copy that already exists and is this run\'s shared snapshot (a retried copy): success', async () => {
  rdsMock.on(CopyDBClusterSnapshotCommand).rejects(new DBClusterSnapshotAlreadyExistsFault({ message: 'exists', $metadata: {} }));
  mockSnapshots(rdsMock, [ownedSnapshot(RUN_ID, 'shared', { status: 'copying' })]);
  await expect(handler(TEMP_AVAILABLE)).resolves.toMatchObject({ awaitingSnapshotIdentifier: SHARED_ID, deadline: COPY_DEADLINE });
  expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)[0].args[0].input).toEqual({ DBClusterSnapshotIdentifier: SHARED_ID });
});

test.each<[string, ReturnType<typeof snapshot>]>([
  ['a user\'s snapshot', snapshot({ id: SHARED_ID })],
  ['another owner\'s', ownedSnapshot(RUN_ID, 'shared', { owner: { ownerId: 'other-stack', role: 'shared', runId: RUN_ID } })],
  ['this run\'s temporary-role snapshot', ownedSnapshot(RUN_ID, 'shared', { owner: { role: 'temporary', runId: RUN_ID } })],
])('a copy target that already exists and is %s: SnapshotIdentifierConflict', async (_, existing) => {
  rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('DBClusterSnapshotAlreadyExistsFault'));
  mockSnapshots(rdsMock, [existing]);
  await expect(handler(TEMP_AVAILABLE)).rejects.toMatchObject({ name: 'SnapshotIdentifierConflict' });
});

test('KMSKeyNotAccessibleFault: KmsKeyNotAccessible', async () => {
  rdsMock.on(CopyDBClusterSnapshotCommand).rejects(new KMSKeyNotAccessibleFault({ message: 'key disabled', $metadata: {} }));
  await expect(handler(TEMP_AVAILABLE)).rejects.toMatchObject({ name: 'KmsKeyNotAccessible' });
});

test('SnapshotQuotaExceededFault: SnapshotQuotaExceeded', async () => {
  rdsMock.on(CopyDBClusterSnapshotCommand).rejects(new SnapshotQuotaExceededFault({ message: 'quota', $metadata: {} }));
  await expect(handler(TEMP_AVAILABLE)).rejects.toMatchObject({ name: 'SnapshotQuotaExceeded' });
});

test.each(['DBClusterSnapshotNotFoundFault', 'InvalidDBClusterSnapshotStateFault'])('%s on the source: SnapshotFailed', async (name) => {
  rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError(name));
  await expect(handler(TEMP_AVAILABLE)).rejects.toMatchObject({ name: 'SnapshotFailed' });
});

test('Throttling passes through by name', async () => {
  rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('Throttling'));
  await expect(handler(TEMP_AVAILABLE)).rejects.toMatchObject({ name: 'Throttling' });
});

test('without a copy to make, returns the plan unchanged and calls nothing', async () => {
  const plan: RunPlan = { ...preparedPlan(false), awaitingSnapshotIdentifier: SHARED_ID, deadline: '2026-11-27T05:00:00.000Z', snapshotArn: snapshotArn(SHARED_ID) };
  await expect(handler(plan)).resolves.toEqual(plan);
  expect(rdsMock.calls()).toHaveLength(0);
});

test.each<[string, unknown]>([
  ['a temporary name of someone else\'s snapshot', { ...TEMP_AVAILABLE, temporarySnapshotIdentifier: 'prod-backup-before-migration' }],
  ['a shared name of someone else\'s snapshot', { ...TEMP_AVAILABLE, sharedSnapshotIdentifier: 'prod-backup-before-migration' }],
  ['a missing temporary name with copyRequired true', { ...TEMP_AVAILABLE, temporarySnapshotIdentifier: undefined }],
  ['a plan of another run', { ...TEMP_AVAILABLE, runId: '202611260300' }],
  ['a non-object plan', [TEMP_AVAILABLE]],
])('%s: InvalidInput, no AWS call', async (_, plan) => {
  await expect(handler(plan as RunPlan)).rejects.toMatchObject({ name: 'InvalidInput' });
  expect(rdsMock.calls()).toHaveLength(0);
});

describe('copies only a temporary snapshot that CheckSnapshot found available', () => {
  test.each<[string, unknown]>([
    ['the plan as Prepare returned it', preparedPlan(true)],
    ['awaiting the temporary snapshot without its ARN (not found available yet)', { ...TEMP_AVAILABLE, snapshotArn: undefined }],
    ['an empty ARN', { ...TEMP_AVAILABLE, snapshotArn: '' }],
    ['an ARN but no awaited snapshot', { ...TEMP_AVAILABLE, awaitingSnapshotIdentifier: undefined }],
    ['awaiting the shared snapshot (the copy already started)', { ...TEMP_AVAILABLE, awaitingSnapshotIdentifier: SHARED_ID, snapshotArn: undefined }],
    ['awaiting the shared snapshot with its ARN', { ...TEMP_AVAILABLE, awaitingSnapshotIdentifier: SHARED_ID, snapshotArn: snapshotArn(SHARED_ID) }],
  ])('%s: InvalidInput, no AWS call', async (_, plan) => {
    await expect(handler(plan as RunPlan)).rejects.toMatchObject({
      name: 'InvalidInput',
      message: expect.stringContaining(`'${TEMP_ID}' has not been found available yet`),
    });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test.each<[string, unknown]>([
    ['a non-string snapshotArn', { ...TEMP_AVAILABLE, snapshotArn: { arn: snapshotArn(TEMP_ID) } }],
    ['a non-string deadline', { ...TEMP_AVAILABLE, deadline: 1795748400000 }],
    ['a mixed-case clusterIdentifier', { ...TEMP_AVAILABLE, clusterIdentifier: 'Orders-DB' }],
  ])('%s: InvalidInput, no AWS call', async (_, plan) => {
    await expect(handler(plan as RunPlan)).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });
});
