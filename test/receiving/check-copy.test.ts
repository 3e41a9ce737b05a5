import { DeleteDBClusterSnapshotCommand, DeleteDBSnapshotCommand, DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, COPY_ID, copyState, DB_COPY_ID, DB_SHARED_ARN, INSTANCE, NOW, ownCopy, ownDbCopy, sharedArn, TARGET, useReceiverEnvironment } from './helpers';
import { handler } from '../../src/receiving/handlers/check-copy.lambda';

const rdsMock = mockClient(RDSClient);
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000).toISOString();
const STATE = copyState({ deadline: minutes(60), copyRequestedAt: minutes(-1) });

function copyIs(status: string | undefined, spec: Parameters<typeof ownCopy>[0] = {}): void {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).callsFake(() => {
    if (status === undefined) throw awsError('DBClusterSnapshotNotFoundFault');
    return { DBClusterSnapshots: [ownCopy({ status, ...spec })] };
  });
}

describe('check-copy', () => {
  useReceiverEnvironment();
  beforeEach(() => {
    rdsMock.reset();
    rdsMock.on(DeleteDBClusterSnapshotCommand).resolves({});
  });

  test('available: returns the state with the copy\'s ARN, after one look-up by identifier', async () => {
    copyIs('available');
    await expect(handler(STATE)).resolves.toEqual({ ...STATE, copyArn: `arn:aws:rds:eu-west-1:${TARGET}:cluster-snapshot:${COPY_ID}` });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input)).toEqual([{ DBClusterSnapshotIdentifier: COPY_ID }]);
  });

  test('copying: SnapshotNotReady before the deadline, SnapshotTimeout at it', async () => {
    copyIs('copying');
    await expect(handler(STATE)).rejects.toMatchObject({ name: 'SnapshotNotReady' });
    await expect(handler({ ...STATE, deadline: minutes(0) })).rejects.toMatchObject({ name: 'SnapshotTimeout' });
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('not visible yet within the grace period: SnapshotNotReady; after it: CopyFailed', async () => {
    copyIs(undefined);
    await expect(handler(STATE)).rejects.toMatchObject({ name: 'SnapshotNotReady' });
    await expect(handler({ ...STATE, copyRequestedAt: minutes(-6) })).rejects.toMatchObject({ name: 'CopyFailed', message: expect.stringContaining('no longer exists') });
  });

  test('a failed copy is deleted (this instance\'s, tags re-checked) and ends with CopyFailed', async () => {
    copyIs('failed');
    await expect(handler(STATE)).rejects.toMatchObject({ name: 'CopyFailed', message: expect.stringContaining("is 'failed' (deleted)") });
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand).map((c) => c.args[0].input)).toEqual([{ DBClusterSnapshotIdentifier: COPY_ID }]);
  });

  test('a snapshot of the copy\'s name that is not this instance\'s copy of the source: SnapshotIdentifierConflict, nothing deleted', async () => {
    copyIs('failed', { sourceArn: sharedArn('shared-other') });
    await expect(handler(STATE)).rejects.toMatchObject({ name: 'SnapshotIdentifierConflict' });
    copyIs('failed', { ownerId: 'someone-else' });
    await expect(handler(STATE)).rejects.toMatchObject({ name: 'SnapshotIdentifierConflict' });
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('a throttled look-up is a check that learned nothing, or a timeout past the deadline', async () => {
    rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(awsError('Throttling'));
    await expect(handler(STATE)).rejects.toMatchObject({ name: 'SnapshotNotReady' });
    await expect(handler({ ...STATE, deadline: minutes(-1) })).rejects.toMatchObject({ name: 'SnapshotTimeout' });
  });

  test('a state whose copy identifier does not follow from its ARN is refused', async () => {
    await expect(handler({ ...STATE, copyIdentifier: 'received-someone-elses-copy' })).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });
});

describe('check-copy, a DB snapshot\'s copy', () => {
  useReceiverEnvironment();
  const DB_STATE = { ...STATE, snapshotArn: DB_SHARED_ARN, clusterIdentifier: INSTANCE, copyIdentifier: DB_COPY_ID };
  beforeEach(() => {
    rdsMock.reset();
    rdsMock.on(DeleteDBSnapshotCommand).resolves({});
  });

  test('read with DescribeDBSnapshots: available returns its DB snapshot ARN; a cluster snapshot is never asked for', async () => {
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [ownDbCopy({ status: 'available' })] });
    await expect(handler(DB_STATE)).resolves.toEqual({ ...DB_STATE, copyArn: `arn:aws:rds:eu-west-1:${TARGET}:snapshot:${DB_COPY_ID}` });
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand).map((c) => c.args[0].input)).toEqual([{ DBSnapshotIdentifier: DB_COPY_ID }]);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(0);
  });

  test('pending (a queued DB snapshot copy) is not ready; failed is deleted with DeleteDBSnapshot', async () => {
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [ownDbCopy({ status: 'pending' })] });
    await expect(handler(DB_STATE)).rejects.toMatchObject({ name: 'SnapshotNotReady' });
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [ownDbCopy({ status: 'failed' })] });
    await expect(handler(DB_STATE)).rejects.toMatchObject({ name: 'CopyFailed' });
    expect(rdsMock.commandCalls(DeleteDBSnapshotCommand).map((c) => c.args[0].input)).toEqual([{ DBSnapshotIdentifier: DB_COPY_ID }]);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });
});
