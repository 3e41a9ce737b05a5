import { CopyDBClusterSnapshotCommand, DBClusterSnapshot, DescribeAccountAttributesCommand, DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, COPY_ID, COPY_KEY_ARN, copyState, NOW, ownCopy, SHARED_ARN, SHARED_TIME, sharedArn, sharedSnapshot, SOURCE, STRANGER, useReceiverEnvironment } from './helpers';
import { handler } from '../../src/receiving/handlers/copy-shared-snapshot.lambda';

const rdsMock = mockClient(RDSClient);
const INPUT = { sourceAccount: SOURCE, snapshotArn: SHARED_ARN };
const EXPECTED_TAGS = [
  { Key: 'received-cluster-snapshots:owner', Value: 'receiver-owner-1' },
  { Key: 'received-cluster-snapshots:source-account', Value: SOURCE },
  { Key: 'received-cluster-snapshots:source-cluster', Value: 'orders-db' },
  { Key: 'received-cluster-snapshots:source-snapshot-arn', Value: SHARED_ARN },
  { Key: 'received-cluster-snapshots:source-snapshot-time', Value: SHARED_TIME.toISOString() },
];
const EXPECTED_STATE = copyState({ deadline: new Date(NOW.getTime() + 6 * 3600_000).toISOString(), copyRequestedAt: NOW.toISOString() });

/** DescribeDBClusterSnapshots: the shared snapshot by its ARN, this account's `copy` (if any) by identifier. */
function arrange(shared: DBClusterSnapshot | undefined, copy?: DBClusterSnapshot): void {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).callsFake((input) => {
    const found = input.DBClusterSnapshotIdentifier === SHARED_ARN ? shared : input.DBClusterSnapshotIdentifier === COPY_ID ? copy : undefined;
    if (!found) throw awsError('DBClusterSnapshotNotFoundFault');
    return { DBClusterSnapshots: [found] };
  });
}

const copyInputs = () => rdsMock.commandCalls(CopyDBClusterSnapshotCommand).map((c) => c.args[0].input);

describe('copy-shared-snapshot', () => {
  useReceiverEnvironment();
  beforeEach(() => {
    rdsMock.reset();
    arrange(sharedSnapshot());
    rdsMock.on(CopyDBClusterSnapshotCommand).resolves({});
  });

  test('copies the shared snapshot by ARN with this account\'s key, tagged with its origin', async () => {
    await expect(handler(INPUT)).resolves.toEqual(EXPECTED_STATE);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input)).toEqual([
      { DBClusterSnapshotIdentifier: COPY_ID },
      { DBClusterSnapshotIdentifier: SHARED_ARN, SnapshotType: 'shared', IncludeShared: true },
    ]);
    expect(copyInputs()).toEqual([{
      SourceDBClusterSnapshotIdentifier: SHARED_ARN,
      TargetDBClusterSnapshotIdentifier: COPY_ID,
      KmsKeyId: COPY_KEY_ARN,
      CopyTags: false,
      Tags: EXPECTED_TAGS,
    }]);
  });

  test('an AWS-owned-key snapshot (StorageEncrypted false, sse-rds) is still re-encrypted with this account\'s key', async () => {
    arrange(sharedSnapshot({ StorageEncrypted: false, StorageEncryptionType: 'sse-rds', KmsKeyId: undefined }));
    await handler(INPUT);
    expect(copyInputs()[0].KmsKeyId).toBe(COPY_KEY_ARN);
  });

  test('an unencrypted snapshot is copied without KmsKeyId (an error for an unencrypted source)', async () => {
    arrange(sharedSnapshot({ StorageEncrypted: false, StorageEncryptionType: 'none', KmsKeyId: undefined }));
    await handler(INPUT);
    expect(copyInputs()[0].KmsKeyId).toBeUndefined();
  });

  test('a copy that exists already and is this instance\'s copy of the source is success: nothing is copied twice', async () => {
    arrange(undefined, ownCopy({ status: 'copying' }));
    await expect(handler(INPUT)).resolves.toEqual(EXPECTED_STATE);
    expect(copyInputs()).toEqual([]);
  });

  test.each([
    ['another owner', ownCopy({ ownerId: 'someone-else' })],
    ['another source snapshot', ownCopy({ sourceArn: sharedArn('shared-other') })],
    ['no tags', ownCopy({ tags: [] })],
  ])('a snapshot of the copy\'s name with %s is a SnapshotIdentifierConflict', async (_name, existing) => {
    arrange(sharedSnapshot(), existing);
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'SnapshotIdentifierConflict' });
    expect(copyInputs()).toEqual([]);
  });

  test('a copy created concurrently (AlreadyExists) is success when it is this instance\'s copy', async () => {
    let lookups = 0;
    rdsMock.on(DescribeDBClusterSnapshotsCommand).callsFake((input) => {
      if (input.DBClusterSnapshotIdentifier === SHARED_ARN) return { DBClusterSnapshots: [sharedSnapshot()] };
      if (lookups++ === 0) throw awsError('DBClusterSnapshotNotFoundFault');
      return { DBClusterSnapshots: [ownCopy({ status: 'copying' })] };
    });
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('DBClusterSnapshotAlreadyExistsFault'));
    await expect(handler(INPUT)).resolves.toEqual(EXPECTED_STATE);
  });

  test('refuses an input outside the sources before any AWS call', async () => {
    await expect(handler({ sourceAccount: STRANGER, snapshotArn: sharedArn('shared-x', STRANGER) })).rejects.toMatchObject({ name: 'SnapshotNotFromSource' });
    await expect(handler({ sourceAccount: SOURCE, snapshotArn: sharedArn('shared-x', STRANGER) })).rejects.toMatchObject({ name: 'SnapshotNotFromSource' });
    await expect(handler({ ...INPUT, extra: 1 } as never)).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('refuses a snapshot of a cluster outside clusterIdentifiers, as RDS reports it', async () => {
    process.env.SOURCE_CLUSTER_IDENTIFIERS = 'billing-db';
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'SnapshotNotFromSource' });
    expect(copyInputs()).toEqual([]);
  });

  test('the shared snapshot is gone before the copy: SharedSnapshotNotFound', async () => {
    arrange(undefined);
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'SharedSnapshotNotFound' });
    arrange(sharedSnapshot());
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('DBClusterSnapshotNotFoundFault'));
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'SharedSnapshotNotFound' });
  });

  test('a shared snapshot that is not available is not copied', async () => {
    arrange(sharedSnapshot({ Status: 'deleting' }));
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'SnapshotFailed', message: expect.stringContaining("is 'deleting'") });
  });

  test('the source key\'s policy does not allow this account: KmsKeyNotAccessible naming the key', async () => {
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('KMSKeyNotAccessibleFault'));
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'KmsKeyNotAccessible', message: expect.stringContaining('key/11111111-2222-3333-4444-555555555555') });
  });

  test('SnapshotQuotaExceeded with the quota used up: SnapshotQuotaExceeded', async () => {
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('SnapshotQuotaExceededFault'));
    rdsMock.on(DescribeAccountAttributesCommand).resolves({ AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: 100, Max: 100 }] });
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'SnapshotQuotaExceeded', message: expect.stringContaining('100 of 100') });
  });

  test('SnapshotQuotaExceeded with room in the quota: the copy limit, CopyLimitReached (retried)', async () => {
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('SnapshotQuotaExceededFault'));
    rdsMock.on(DescribeAccountAttributesCommand).resolves({ AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: 10, Max: 100 }] });
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'CopyLimitReached' });
  });

  test('a source in a state RDS will not copy: CopyFailed; anything else is passed on', async () => {
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('InvalidDBClusterSnapshotStateFault'));
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'CopyFailed' });
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('Throttling'));
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'Throttling' });
  });
});
