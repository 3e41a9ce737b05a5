import { CopyDBClusterSnapshotCommand, CopyDBSnapshotCommand, DBSnapshot, DescribeAccountAttributesCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError, COPY_KEY_ARN, DB_COPY_ID, DB_SHARED_ARN, INSTANCE, NOW, ownDbCopy, SHARED_ARN, SHARED_TIME, sharedDbSnapshot, SOURCE,
  useReceiverEnvironment,
} from './helpers';
import { handler } from '../../src/receiving/handlers/copy-shared-snapshot.lambda';

// The copy step on a DB snapshot (a DB instance's): the instance calls, this account's key always,
// and the option group a copy of an Oracle Timezone/OLS snapshot needs.

const rdsMock = mockClient(RDSClient);
const INPUT = { sourceAccount: SOURCE, snapshotArn: DB_SHARED_ARN };
const NEEDS_TIMEZONE = { ...INPUT, requiredOptions: ['Timezone'] };
/** RDS's refusal of a copy without a target option group (aws-facts.md, "DB instances"; the error name is not documented). */
const REQUIRES_GROUP = awsError('InvalidParameterValue', 'The snapshot requires a target option group with the following options: [Timezone, OLS]');

/** DescribeDBSnapshots: the shared snapshot by its ARN, this account's `copy` (if any) by identifier. */
function arrange(shared: DBSnapshot | undefined, copy?: DBSnapshot): void {
  rdsMock.on(DescribeDBSnapshotsCommand).callsFake((input) => {
    const found = input.DBSnapshotIdentifier === DB_SHARED_ARN ? shared : input.DBSnapshotIdentifier === DB_COPY_ID ? copy : undefined;
    if (!found) throw awsError('DBSnapshotNotFoundFault');
    return { DBSnapshots: [found] };
  });
}
const copyInputs = () => rdsMock.commandCalls(CopyDBSnapshotCommand).map((c) => c.args[0].input);

describe('copy-shared-snapshot, a DB snapshot', () => {
  useReceiverEnvironment();
  beforeEach(() => {
    rdsMock.reset();
    arrange(sharedDbSnapshot());
    rdsMock.on(CopyDBSnapshotCommand).resolves({});
  });

  test('copies it by ARN with CopyDBSnapshot under this account\'s key, tagged with its origin (the instance in the source-cluster tag)', async () => {
    await expect(handler(INPUT)).resolves.toEqual({
      ...INPUT,
      clusterIdentifier: INSTANCE,
      copyIdentifier: DB_COPY_ID,
      sourceSnapshotTime: SHARED_TIME.toISOString(),
      deadline: new Date(NOW.getTime() + 6 * 3600_000).toISOString(),
      copyRequestedAt: NOW.toISOString(),
    });
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand).map((c) => c.args[0].input)).toEqual([
      { DBSnapshotIdentifier: DB_COPY_ID },
      { DBSnapshotIdentifier: DB_SHARED_ARN, SnapshotType: 'shared', IncludeShared: true },
    ]);
    expect(copyInputs()).toEqual([{
      SourceDBSnapshotIdentifier: DB_SHARED_ARN,
      TargetDBSnapshotIdentifier: DB_COPY_ID,
      KmsKeyId: COPY_KEY_ARN,
      CopyTags: false,
      Tags: [
        { Key: 'received-cluster-snapshots:owner', Value: 'receiver-owner-1' },
        { Key: 'received-cluster-snapshots:source-account', Value: SOURCE },
        { Key: 'received-cluster-snapshots:source-cluster', Value: INSTANCE },
        { Key: 'received-cluster-snapshots:source-snapshot-arn', Value: DB_SHARED_ARN },
        { Key: 'received-cluster-snapshots:source-snapshot-time', Value: SHARED_TIME.toISOString() },
      ],
    }]);
    expect(rdsMock.commandCalls(CopyDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('an unencrypted DB snapshot is encrypted by the copy with this account\'s key (a DB snapshot copy may encrypt)', async () => {
    arrange(sharedDbSnapshot({ Encrypted: false, KmsKeyId: undefined, StorageEncryptionType: 'none' }));
    await handler(INPUT);
    expect(copyInputs()[0].KmsKeyId).toBe(COPY_KEY_ARN);
  });

  test('the copy is as old as the data: OriginalSnapshotCreateTime of a shared copy of an automated snapshot', async () => {
    const taken = new Date('2026-11-26T22:00:00Z');
    arrange(sharedDbSnapshot({ OriginalSnapshotCreateTime: taken }));
    await expect(handler(INPUT)).resolves.toMatchObject({ sourceSnapshotTime: taken.toISOString() });
  });

  test('an existing copy of this source is success: nothing copied twice', async () => {
    arrange(undefined, ownDbCopy({ status: 'copying' }));
    await expect(handler(INPUT)).resolves.toMatchObject({ copyIdentifier: DB_COPY_ID, clusterIdentifier: INSTANCE });
    expect(copyInputs()).toEqual([]);
  });

  test('a DB instance outside instanceIdentifiers, as RDS reports it, is refused: SnapshotNotFromSource, nothing copied', async () => {
    process.env.SOURCE_INSTANCE_IDENTIFIERS = 'payments-pg';
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'SnapshotNotFromSource', message: expect.stringContaining("DB instance 'ledger-pg'") });
    expect(copyInputs()).toEqual([]);
  });

  test('requiredOptions of a cluster snapshot, or of odd shape, are InvalidInput before any AWS call', async () => {
    await expect(handler({ sourceAccount: SOURCE, snapshotArn: SHARED_ARN, requiredOptions: ['Timezone'] })).rejects.toMatchObject({ name: 'InvalidInput' });
    await expect(handler({ ...INPUT, requiredOptions: 'Timezone' } as never)).rejects.toMatchObject({ name: 'InvalidInput' });
    await expect(handler({ ...INPUT, requiredOptions: ['Time zone'] })).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('the source\'s DB snapshot is gone, or RDS refuses its state: SharedSnapshotNotFound, CopyFailed', async () => {
    rdsMock.on(CopyDBSnapshotCommand).rejects(awsError('DBSnapshotNotFoundFault'));
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'SharedSnapshotNotFound' });
    rdsMock.on(CopyDBSnapshotCommand).rejects(awsError('InvalidDBSnapshotStateFault'));
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'CopyFailed' });
  });

  test('SnapshotQuotaExceeded reads the DB instance quota (ManualSnapshots): used up, SnapshotQuotaExceeded; room, CopyLimitReached', async () => {
    rdsMock.on(CopyDBSnapshotCommand).rejects(awsError('SnapshotQuotaExceededFault'));
    rdsMock.on(DescribeAccountAttributesCommand).resolves({
      AccountQuotas: [
        { AccountQuotaName: 'ManualClusterSnapshots', Used: 3, Max: 100 },
        { AccountQuotaName: 'ManualSnapshots', Used: 100, Max: 100 },
      ],
    });
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'SnapshotQuotaExceeded', message: expect.stringContaining('manual DB instance snapshot quota is used up (100 of 100)') });
    rdsMock.on(DescribeAccountAttributesCommand).resolves({
      AccountQuotas: [
        { AccountQuotaName: 'ManualClusterSnapshots', Used: 100, Max: 100 },
        { AccountQuotaName: 'ManualSnapshots', Used: 10, Max: 100 },
      ],
    });
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'CopyLimitReached' });
  });
});

describe('copy-shared-snapshot, a DB snapshot that needs an option group (Oracle Timezone/OLS)', () => {
  useReceiverEnvironment();
  beforeEach(() => {
    rdsMock.reset();
    arrange(sharedDbSnapshot({ Engine: 'oracle-ee', OptionGroupName: 'oracle-tz' }));
    rdsMock.on(CopyDBSnapshotCommand).resolves({});
  });

  test('the event says so: copied with optionGroupName as OptionGroupName', async () => {
    process.env.OPTION_GROUP_NAME = 'target-oracle-tz';
    await expect(handler(NEEDS_TIMEZONE)).resolves.toMatchObject({ requiredOptions: ['Timezone'], copyIdentifier: DB_COPY_ID });
    expect(copyInputs()).toEqual([expect.objectContaining({ SourceDBSnapshotIdentifier: DB_SHARED_ARN, OptionGroupName: 'target-oracle-tz' })]);
  });

  test('the event says so, and no optionGroupName is set: OptionGroupRequired naming the options and the prop, no copy started', async () => {
    await expect(handler(NEEDS_TIMEZONE)).rejects.toMatchObject({
      name: 'OptionGroupRequired',
      message: expect.stringMatching(/needs a target option group holding \[Timezone\].*optionGroupName is not set\. Nothing was copied/),
    });
    expect(copyInputs()).toEqual([]);
  });

  test('no hint (a scan): RDS\'s refusal tells; the copy is asked again with optionGroupName', async () => {
    process.env.OPTION_GROUP_NAME = 'target-oracle-tz';
    rdsMock.on(CopyDBSnapshotCommand).rejectsOnce(REQUIRES_GROUP).resolves({});
    await handler(INPUT);
    expect(copyInputs().map((i) => i.OptionGroupName)).toEqual([undefined, 'target-oracle-tz']);
  });

  test('no hint and no optionGroupName: OptionGroupRequired naming what RDS asked for', async () => {
    rdsMock.on(CopyDBSnapshotCommand).rejects(REQUIRES_GROUP);
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'OptionGroupRequired', message: expect.stringContaining('[Timezone, OLS]') });
    expect(copyInputs()).toHaveLength(1);
  });

  test('optionGroupName lacks the options, or does not exist: OptionGroupRequired naming it', async () => {
    process.env.OPTION_GROUP_NAME = 'target-oracle-plain';
    rdsMock.on(CopyDBSnapshotCommand).rejects(REQUIRES_GROUP);
    await expect(handler(NEEDS_TIMEZONE)).rejects.toMatchObject({
      name: 'OptionGroupRequired', message: expect.stringContaining("optionGroupName 'target-oracle-plain' does not hold them"),
    });
    expect(copyInputs()).toHaveLength(1);
    rdsMock.on(CopyDBSnapshotCommand).rejects(awsError('OptionGroupNotFoundFault'));
    await expect(handler(NEEDS_TIMEZONE)).rejects.toMatchObject({
      name: 'OptionGroupRequired', message: expect.stringContaining("optionGroupName 'target-oracle-plain' does not exist"),
    });
  });

  test('another InvalidParameterValue is passed on as it is', async () => {
    process.env.OPTION_GROUP_NAME = 'target-oracle-tz';
    rdsMock.on(CopyDBSnapshotCommand).rejects(awsError('InvalidParameterValue', 'something else'));
    await expect(handler(INPUT)).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    expect(copyInputs()).toHaveLength(1);
  });
});
