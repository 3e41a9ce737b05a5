/**
 * The workflow's steps for a DB instance (`databaseKind: 'instance'`): each calls the instance API
 * with the exact input, and translates its faults into the same named errors as for clusters.
 */
import {
  AddTagsToResourceCommand, CopyDBSnapshotCommand, CreateDBSnapshotCommand, DeleteDBSnapshotCommand, DescribeAccountAttributesCommand,
  DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotAttributesCommand, DescribeDBSnapshotsCommand, ModifyDBSnapshotAttributeCommand, RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, DEADLINE, NOW, OWNER_ID, RUN_ID, SHARING_KEY_ARN, TARGET_ACCOUNT_IDS, useHandlerEnvironment } from './helpers';
import { dbSnapshot, dbSnapshotArn, DB_SHARED_ID, DB_TEMP_ID, INSTANCE, instancePlan, mockDbRestore, mockDbSnapshots } from './instance-helpers';
import { ENV } from '../../../src/shared/constants';
import { handler as checkSnapshot } from '../../../src/sharing/handlers/check-snapshot.lambda';
import { handler as cleanUpFailedRun } from '../../../src/sharing/handlers/clean-up-failed-run.lambda';
import { handler as cleanUp } from '../../../src/sharing/handlers/clean-up.lambda';
import { handler as copySnapshot } from '../../../src/sharing/handlers/copy-snapshot.lambda';
import { handler as createSnapshot } from '../../../src/sharing/handlers/create-snapshot.lambda';
import { handler as shareSnapshot } from '../../../src/sharing/handlers/share-snapshot.lambda';
import { ownershipTags } from '../../../src/sharing/handlers/tags.lambda-shared';
import type { RunPlan } from '../../../src/sharing/handlers/workflow-state.lambda-shared';

const rdsMock = mockClient(RDSClient);
const tags = (role: 'shared' | 'temporary') => ownershipTags({ ownerId: OWNER_ID, clusterIdentifier: INSTANCE, role, runId: RUN_ID });
/** The plan once the temporary DB snapshot is found available, with the copy phase started. */
const TEMP_AVAILABLE: RunPlan = {
  ...instancePlan(true), awaitingSnapshotIdentifier: DB_TEMP_ID, deadline: DEADLINE, snapshotArn: dbSnapshotArn(DB_TEMP_ID), copyDeadline: DEADLINE,
};
/** The plan once the shared DB snapshot is found available. */
const SHARED_AVAILABLE: RunPlan = {
  ...instancePlan(true), awaitingSnapshotIdentifier: DB_SHARED_ID, deadline: DEADLINE, snapshotArn: dbSnapshotArn(DB_SHARED_ID),
};

useHandlerEnvironment(NOW, { [ENV.INSTANCE_IDENTIFIERS]: INSTANCE, [ENV.MAX_CONCURRENT_COPIES]: '5', [ENV.MAX_CONCURRENT_INSTANCE_COPIES]: '2' });

beforeEach(() => {
  rdsMock.reset();
  mockDbSnapshots(rdsMock, []);
  rdsMock.on(CreateDBSnapshotCommand).resolves({});
  rdsMock.on(CopyDBSnapshotCommand).resolves({});
  rdsMock.on(DeleteDBSnapshotCommand).resolves({});
  rdsMock.on(ModifyDBSnapshotAttributeCommand).resolves({});
});

describe('CreateSnapshot', () => {
  test('CreateDBSnapshot of the instance, tagged as this run\'s temporary snapshot', async () => {
    const expected = { ...instancePlan(true), awaitingSnapshotIdentifier: DB_TEMP_ID, deadline: DEADLINE };
    await expect(createSnapshot(instancePlan(true))).resolves.toEqual(expected);
    expect(rdsMock.commandCalls(CreateDBSnapshotCommand).map((c) => c.args[0].input)).toEqual([{
      DBInstanceIdentifier: INSTANCE, DBSnapshotIdentifier: DB_TEMP_ID, Tags: tags('temporary'),
    }]);
  });

  test('a retried create that finds its own DB snapshot is done', async () => {
    rdsMock.on(CreateDBSnapshotCommand).rejects(awsError('DBSnapshotAlreadyExistsFault'));
    mockDbSnapshots(rdsMock, [dbSnapshot(DB_TEMP_ID, { status: 'creating', owner: { role: 'temporary' } })]);
    await expect(createSnapshot(instancePlan(true))).resolves.toMatchObject({ awaitingSnapshotIdentifier: DB_TEMP_ID });
  });

  test.each<[string, string, RegExp]>([
    ['DBSnapshotAlreadyExistsFault', 'SnapshotIdentifierConflict', /already exists but is not this construct's temporary snapshot/],
    ['InvalidDBInstanceStateFault', 'InstanceNotAvailable', /DB instance 'orders-pg' cannot be snapshotted now/],
    ['DBInstanceNotFoundFault', 'InstanceNotFound', /DB instance 'orders-pg' does not exist/],
    ['SnapshotQuotaExceededFault', 'SnapshotQuotaExceeded', /manual DB instance snapshot quota is used up/],
  ])('%s becomes %s', async (fault, name, message) => {
    rdsMock.on(CreateDBSnapshotCommand).rejects(awsError(fault));
    mockDbSnapshots(rdsMock, [dbSnapshot(DB_TEMP_ID, { owner: { role: 'temporary', ownerId: 'someone-else' } })]);
    await expect(createSnapshot(instancePlan(true))).rejects.toMatchObject({ name, message: expect.stringMatching(message) });
  });
});

describe('CheckSnapshot', () => {
  const awaiting: RunPlan = { ...instancePlan(true), awaitingSnapshotIdentifier: DB_TEMP_ID, deadline: DEADLINE };

  test('reads the DB snapshot by DescribeDBSnapshots; available starts the copy phase with its ARN', async () => {
    mockDbSnapshots(rdsMock, [dbSnapshot(DB_TEMP_ID, { owner: { role: 'temporary' } })]);
    await expect(checkSnapshot(awaiting)).resolves.toEqual({ ...awaiting, snapshotArn: dbSnapshotArn(DB_TEMP_ID), copyDeadline: DEADLINE });
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand)[0].args[0].input).toEqual({ DBSnapshotIdentifier: DB_TEMP_ID });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(0);
  });

  test.each(['creating', 'copying', 'pending'])('%s is not ready yet', async (status) => {
    mockDbSnapshots(rdsMock, [dbSnapshot(DB_TEMP_ID, { status, owner: { role: 'temporary' } })]);
    await expect(checkSnapshot(awaiting)).rejects.toMatchObject({ name: 'SnapshotNotReady' });
  });

  test('failed is SnapshotFailed', async () => {
    mockDbSnapshots(rdsMock, [dbSnapshot(DB_TEMP_ID, { status: 'failed', owner: { role: 'temporary' } })]);
    await expect(checkSnapshot(awaiting)).rejects.toMatchObject({ name: 'SnapshotFailed' });
  });
});

describe('CopySnapshot', () => {
  const copying = (n: number) => Array.from({ length: n }, (_, i) => dbSnapshot(`other-${i}`, { status: i % 2 ? 'pending' : 'copying' }));

  test('counts DB snapshot copies in progress, then CopyDBSnapshot with the sharing key, tagged as the shared snapshot', async () => {
    mockDbSnapshots(rdsMock, copying(1));
    const { snapshotArn: _, copyDeadline: __, ...rest } = TEMP_AVAILABLE;
    await expect(copySnapshot(TEMP_AVAILABLE)).resolves.toEqual({ ...rest, awaitingSnapshotIdentifier: DB_SHARED_ID, deadline: DEADLINE });
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand)[0].args[0].input).toEqual({ Filters: [{ Name: 'snapshot-type', Values: ['manual'] }], MaxRecords: 100 });
    expect(rdsMock.commandCalls(CopyDBSnapshotCommand).map((c) => c.args[0].input)).toEqual([{
      SourceDBSnapshotIdentifier: DB_TEMP_ID, TargetDBSnapshotIdentifier: DB_SHARED_ID, KmsKeyId: SHARING_KEY_ARN, CopyTags: false, Tags: tags('shared'),
    }]);
  });

  test('at maxConcurrentInstanceCopies (queued copies count) the copy waits: CopyLimitReached', async () => {
    mockDbSnapshots(rdsMock, copying(2));
    await expect(copySnapshot(TEMP_AVAILABLE)).rejects.toMatchObject({ name: 'CopyLimitReached', message: expect.stringContaining('maxConcurrentInstanceCopies (2)') });
    expect(rdsMock.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
  });

  test.each<[string, { Used: number; Max: number }, string]>([
    ['the instance quota has room: RDS\'s own copy limit', { Used: 10, Max: 100 }, 'CopyLimitReached'],
    ['the instance quota is full', { Used: 100, Max: 100 }, 'SnapshotQuotaExceeded'],
  ])('SnapshotQuotaExceededFault when %s', async (_, quota, name) => {
    rdsMock.on(CopyDBSnapshotCommand).rejects(awsError('SnapshotQuotaExceededFault'));
    rdsMock.on(DescribeAccountAttributesCommand).resolves({
      AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: 0, Max: 100 }, { AccountQuotaName: 'ManualSnapshots', ...quota }],
    });
    await expect(copySnapshot(TEMP_AVAILABLE)).rejects.toMatchObject({ name });
  });

  test('KMSKeyNotAccessibleFault is KmsKeyNotAccessible; a vanished source is SnapshotFailed', async () => {
    rdsMock.on(CopyDBSnapshotCommand).rejectsOnce(awsError('KMSKeyNotAccessibleFault')).rejectsOnce(awsError('DBSnapshotNotFoundFault'));
    await expect(copySnapshot(TEMP_AVAILABLE)).rejects.toMatchObject({ name: 'KmsKeyNotAccessible' });
    await expect(copySnapshot(TEMP_AVAILABLE)).rejects.toMatchObject({ name: 'SnapshotFailed' });
  });
});

describe('ShareSnapshot', () => {
  test('sets the DB snapshot\'s restore attribute to the targets by ModifyDBSnapshotAttribute', async () => {
    mockDbRestore(rdsMock, { [DB_SHARED_ID]: [] });
    mockDbSnapshots(rdsMock, [dbSnapshot(DB_SHARED_ID, { owner: { role: 'shared' } })]);
    await expect(shareSnapshot(SHARED_AVAILABLE)).resolves.toEqual({ ...SHARED_AVAILABLE, sharedWith: TARGET_ACCOUNT_IDS });
    expect(rdsMock.commandCalls(ModifyDBSnapshotAttributeCommand).map((c) => c.args[0].input)).toEqual([{
      DBSnapshotIdentifier: DB_SHARED_ID, AttributeName: 'restore', ValuesToAdd: TARGET_ACCOUNT_IDS,
    }]);
  });

  test('an option group RDS will not share (refused by RDS) is a named fault, not a silent success', async () => {
    mockDbRestore(rdsMock, { [DB_SHARED_ID]: [] });
    rdsMock.on(ModifyDBSnapshotAttributeCommand).rejects(awsError('InvalidDBSnapshotStateFault'));
    await expect(shareSnapshot(SHARED_AVAILABLE)).rejects.toMatchObject({ name: 'SnapshotFailed' });
  });
});

describe('CleanUp and CleanUpFailedRun', () => {
  const shared = { ...SHARED_AVAILABLE, sharedWith: TARGET_ACCOUNT_IDS };

  test('CleanUp deletes the temporary and the expired shared DB snapshots; its result names the kind and the data\'s time', async () => {
    const older = `shared-${INSTANCE}-202611260300-u66vbj`;
    const current = { ...dbSnapshot(DB_SHARED_ID, { created: NOW, owner: { role: 'shared' } }), OriginalSnapshotCreateTime: new Date('2026-11-27T02:50:00Z') };
    mockDbSnapshots(rdsMock, [current, dbSnapshot(DB_TEMP_ID, { owner: { role: 'temporary' } }), dbSnapshot(older, { owner: { role: 'shared', runId: '202611260300' } })]);
    mockDbRestore(rdsMock);
    await expect(cleanUp(shared)).resolves.toEqual({
      clusterIdentifier: INSTANCE,
      databaseKind: 'instance',
      databaseIdentifier: INSTANCE,
      snapshotSource: 'new',
      snapshotIdentifier: DB_SHARED_ID,
      snapshotArn: dbSnapshotArn(DB_SHARED_ID),
      kmsKeyArn: SHARING_KEY_ARN,
      sharedWith: TARGET_ACCOUNT_IDS,
      runId: RUN_ID,
      snapshotCreateTime: '2026-11-27T02:50:00.000Z',
    });
    expect(rdsMock.commandCalls(DeleteDBSnapshotCommand).map((c) => c.args[0].input.DBSnapshotIdentifier)).toEqual([DB_TEMP_ID, older]);
  });

  test('CleanUp never deletes a DB snapshot without this owner\'s tags', async () => {
    const users = `shared-${INSTANCE}-202611260300-u66vbj`;
    mockDbSnapshots(rdsMock, [dbSnapshot(DB_SHARED_ID, { created: NOW, owner: { role: 'shared' } }), dbSnapshot(users)]);
    mockDbRestore(rdsMock);
    await cleanUp({ ...shared, temporarySnapshotIdentifier: undefined, copyRequired: false });
    expect(rdsMock.commandCalls(DeleteDBSnapshotCommand)).toHaveLength(0);
  });

  test('CleanUpFailedRun deletes this run\'s unshared DB snapshots, its failed event names the instance', async () => {
    mockDbSnapshots(rdsMock, [dbSnapshot(DB_SHARED_ID, { status: 'failed', owner: { role: 'shared' } }), dbSnapshot(DB_TEMP_ID, { owner: { role: 'temporary' } })]);
    mockDbRestore(rdsMock, {}, []);
    const result = await cleanUpFailedRun({ ...instancePlan(true), error: { Error: 'SnapshotFailed', Cause: 'x' } });
    expect(result.cleanedUp).toEqual({ [DB_SHARED_ID]: 'deleted', [DB_TEMP_ID]: 'deleted' });
    expect(result.failedEvent).toMatchObject({ clusterIdentifier: INSTANCE, databaseKind: 'instance', databaseIdentifier: INSTANCE });
  });
});

describe('the record of a confirmation', () => {
  test('AddTagsToResource by the DB snapshot\'s ARN works for both kinds (CleanUp marks awaited receivers)', async () => {
    process.env.RETAIN_UNTIL_COPIED = 'true';
    process.env.MAX_RETENTION_SECONDS = '604800';
    const confirmed = { ...dbSnapshot(`shared-${INSTANCE}-202611260300-u66vbj`, { owner: { role: 'shared', runId: '202611260300' } }) };
    confirmed.TagList = [...confirmed.TagList!, { Key: 'shared-cluster-snapshots:copied-222222222222', Value: '2026-11-26T04:00:00Z' }];
    mockDbSnapshots(rdsMock, [dbSnapshot(DB_SHARED_ID, { created: NOW, owner: { role: 'shared' } }), confirmed]);
    mockDbRestore(rdsMock);
    rdsMock.on(AddTagsToResourceCommand).resolves({});
    await cleanUp({ ...SHARED_AVAILABLE, temporarySnapshotIdentifier: undefined, copyRequired: false, sharedWith: TARGET_ACCOUNT_IDS });
    expect(rdsMock.commandCalls(AddTagsToResourceCommand).map((c) => c.args[0].input)).toEqual([{
      ResourceName: dbSnapshotArn(DB_SHARED_ID), Tags: [{ Key: 'shared-cluster-snapshots:copied-222222222222', Value: 'pending' }],
    }]);
    expect(rdsMock.commandCalls(DescribeDBSnapshotAttributesCommand).length).toBeGreaterThan(0);
  });
});
