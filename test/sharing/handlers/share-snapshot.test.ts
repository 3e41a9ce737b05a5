import {
  CopyDBClusterSnapshotCommand,
  DBClusterSnapshotNotFoundFault,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  RDSClient,
  SharedSnapshotQuotaExceededFault,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  attributeLookups,
  awsError,
  DEADLINE,
  mockRestoreAttributes,
  mockSnapshots,
  NOW,
  ownedSnapshot,
  preparedPlan,
  SHARED_ID,
  sharedAvailablePlan,
  sharedId,
  snapshot,
  snapshotArn,
  TARGET_ACCOUNT_IDS,
  TEMP_ID,
  useHandlerEnvironment,
} from './helpers';
import { ENV } from '../../../src/shared/constants';
import { handler as copySnapshot } from '../../../src/sharing/handlers/copy-snapshot.lambda';
import { handler } from '../../../src/sharing/handlers/share-snapshot.lambda';
import type { RunPlan } from '../../../src/sharing/handlers/workflow-state.lambda-shared';

const rdsMock = mockClient(RDSClient);

/** CheckCopy found the shared snapshot available. */
const SHARED_AVAILABLE: RunPlan = sharedAvailablePlan();

useHandlerEnvironment(NOW, { [ENV.MAX_CONCURRENT_COPIES]: '5' });

beforeEach(() => {
  rdsMock.reset();
  rdsMock.on(ModifyDBClusterSnapshotAttributeCommand).resolves({});
  // No retained snapshots, and the new snapshot shared with nobody yet.
  mockSnapshots(rdsMock, []);
  mockRestoreAttributes(rdsMock, {}, []);
});

test('adds every target account to the restore attribute and returns sharedWith', async () => {
  await expect(handler(SHARED_AVAILABLE)).resolves.toEqual({ ...SHARED_AVAILABLE, sharedWith: TARGET_ACCOUNT_IDS });
  expect(rdsMock.commandCalls(ModifyDBClusterSnapshotAttributeCommand)).toHaveLength(1);
  expect(rdsMock.commandCalls(ModifyDBClusterSnapshotAttributeCommand)[0].args[0].input).toEqual({
    DBClusterSnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj',
    AttributeName: 'restore',
    ValuesToAdd: ['222222222222', '333333333333'],
  });
});

test('splits TARGET_ACCOUNT_IDS on commas, trimming blanks', async () => {
  process.env[ENV.TARGET_ACCOUNT_IDS] = ' 222222222222 ,333333333333,, 444444444444 ';
  const result = await handler(SHARED_AVAILABLE);
  expect(rdsMock.commandCalls(ModifyDBClusterSnapshotAttributeCommand)[0].args[0].input.ValuesToAdd)
    .toEqual(['222222222222', '333333333333', '444444444444']);
  expect(result.sharedWith).toEqual(['222222222222', '333333333333', '444444444444']);
});

test('shares the directly created snapshot when no copy was needed', async () => {
  const plan = sharedAvailablePlan(false);
  await expect(handler(plan)).resolves.toEqual({ ...plan, sharedWith: TARGET_ACCOUNT_IDS });
});

test('SharedSnapshotQuotaExceededFault: SharedSnapshotQuotaExceeded', async () => {
  rdsMock.on(ModifyDBClusterSnapshotAttributeCommand).rejects(new SharedSnapshotQuotaExceededFault({ message: '20 accounts', $metadata: {} }));
  await expect(handler(SHARED_AVAILABLE)).rejects.toMatchObject({ name: 'SharedSnapshotQuotaExceeded' });
});

test.each(['DBClusterSnapshotNotFoundFault', 'InvalidDBClusterSnapshotStateFault'])('%s: SnapshotFailed', async (name) => {
  rdsMock.on(ModifyDBClusterSnapshotAttributeCommand).rejects(awsError(name));
  await expect(handler(SHARED_AVAILABLE)).rejects.toMatchObject({ name: 'SnapshotFailed' });
});

test('Throttling passes through by name', async () => {
  rdsMock.on(ModifyDBClusterSnapshotAttributeCommand).rejects(awsError('Throttling'));
  await expect(handler(SHARED_AVAILABLE)).rejects.toMatchObject({ name: 'Throttling' });
});

test('an empty TARGET_ACCOUNT_IDS is a configuration error, with no AWS call', async () => {
  process.env[ENV.TARGET_ACCOUNT_IDS] = ' , ';
  await expect(handler(SHARED_AVAILABLE)).rejects.toThrow(/TARGET_ACCOUNT_IDS/);
  expect(rdsMock.calls()).toHaveLength(0);
});

describe('refuses to share a snapshot not yet found available', () => {
  test.each<[string, unknown]>([
    ['still awaiting the temporary snapshot', { ...SHARED_AVAILABLE, awaitingSnapshotIdentifier: TEMP_ID, snapshotArn: snapshotArn(TEMP_ID) }],
    ['no snapshotArn', { ...SHARED_AVAILABLE, snapshotArn: undefined }],
    ['nothing awaited yet', { ...preparedPlan(false), snapshotArn: snapshotArn(SHARED_ID) }],
    ['a shared name of someone else\'s snapshot', { ...SHARED_AVAILABLE, sharedSnapshotIdentifier: 'prod-backup-before-migration' }],
  ])('%s: InvalidInput, no AWS call', async (_, plan) => {
    await expect(handler(plan as RunPlan)).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('the plan straight from CopySnapshot (copy not checked yet): InvalidInput', async () => {
    rdsMock.on(CopyDBClusterSnapshotCommand).resolves({});
    const tempAvailable: RunPlan = {
      ...preparedPlan(true),
      awaitingSnapshotIdentifier: TEMP_ID,
      deadline: DEADLINE,
      snapshotArn: snapshotArn(TEMP_ID),
    };
    const afterCopy = await copySnapshot(tempAvailable);
    await expect(handler(afterCopy)).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.commandCalls(ModifyDBClusterSnapshotAttributeCommand)).toHaveLength(0);
  });
});

describe('revocation: every retained shared snapshot is restorable by exactly the current targets', () => {
  const [KEPT, ADDED] = TARGET_ACCOUNT_IDS;
  const REMOVED = '444444444444';
  const OLDER = '202611260300';
  const OLDEST = '202611250300';
  const modifications = () => rdsMock.commandCalls(ModifyDBClusterSnapshotAttributeCommand).map((c) => c.args[0].input);

  test('on the new snapshot: removes accounts that are no longer targets, and all, then adds the missing targets', async () => {
    mockRestoreAttributes(rdsMock, { [SHARED_ID]: [KEPT, REMOVED, 'all'] }, []);
    await expect(handler(SHARED_AVAILABLE)).resolves.toMatchObject({ sharedWith: TARGET_ACCOUNT_IDS });
    expect(modifications()).toEqual([
      { DBClusterSnapshotIdentifier: SHARED_ID, AttributeName: 'restore', ValuesToRemove: [REMOVED, 'all'] },
      { DBClusterSnapshotIdentifier: SHARED_ID, AttributeName: 'restore', ValuesToAdd: [ADDED] },
    ]);
  });

  test('on the new snapshot already shared with exactly the targets: no change', async () => {
    mockRestoreAttributes(rdsMock, { [SHARED_ID]: [ADDED, KEPT] }, []);
    await expect(handler(SHARED_AVAILABLE)).resolves.toMatchObject({ sharedWith: TARGET_ACCOUNT_IDS });
    expect(modifications()).toEqual([]);
  });

  test('on this owner\'s older shared snapshots of the cluster: a removed target loses access, a new one gains it', async () => {
    mockSnapshots(rdsMock, [ownedSnapshot(OLDER, 'shared'), ownedSnapshot(OLDEST, 'shared')]);
    mockRestoreAttributes(rdsMock, { [sharedId(OLDER)]: [KEPT, REMOVED], [sharedId(OLDEST)]: ['all', KEPT, ADDED] }, []);
    await handler(SHARED_AVAILABLE);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)[0].args[0].input).toEqual({
      Filters: [{ Name: 'db-cluster-id', Values: ['orders-db'] }, { Name: 'snapshot-type', Values: ['manual'] }],
      MaxRecords: 100,
      Marker: undefined,
    });
    expect(modifications()).toEqual([
      // The new snapshot first: the target accounts never wait for the revocation.
      { DBClusterSnapshotIdentifier: SHARED_ID, AttributeName: 'restore', ValuesToAdd: TARGET_ACCOUNT_IDS },
      { DBClusterSnapshotIdentifier: sharedId(OLDER), AttributeName: 'restore', ValuesToRemove: [REMOVED] },
      { DBClusterSnapshotIdentifier: sharedId(OLDER), AttributeName: 'restore', ValuesToAdd: [ADDED] },
      { DBClusterSnapshotIdentifier: sharedId(OLDEST), AttributeName: 'restore', ValuesToRemove: ['all'] },
    ]);
  });

  test('a retained snapshot never shared (a dead run\'s copy) stays unshared', async () => {
    mockSnapshots(rdsMock, [ownedSnapshot(OLDER, 'shared')]);
    await handler(SHARED_AVAILABLE);
    expect(attributeLookups(rdsMock)).toEqual([SHARED_ID, sharedId(OLDER)]);
    expect(modifications().map((m) => m.DBClusterSnapshotIdentifier)).toEqual([SHARED_ID]);
  });

  test('temporary, in-progress, foreign and users\' snapshots are never looked at', async () => {
    mockSnapshots(rdsMock, [
      ownedSnapshot(OLDER, 'temporary'),
      ownedSnapshot(OLDEST, 'shared', { status: 'copying' }),
      ownedSnapshot('202611240300', 'shared', { owner: { ownerId: 'other-stack', role: 'shared', runId: '202611240300' } }),
      snapshot({ id: 'users-own-shared-one' }),
      ownedSnapshot('202611270300', 'shared'),
    ]);
    mockRestoreAttributes(rdsMock, {}, [REMOVED]);
    await handler(SHARED_AVAILABLE);
    expect(attributeLookups(rdsMock)).toEqual([SHARED_ID]);
  });

  test('a retained snapshot deleted meanwhile is skipped', async () => {
    mockSnapshots(rdsMock, [ownedSnapshot(OLDER, 'shared'), ownedSnapshot(OLDEST, 'shared')]);
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand, { DBClusterSnapshotIdentifier: sharedId(OLDER) })
      .rejects(new DBClusterSnapshotNotFoundFault({ message: 'gone', $metadata: {} }));
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand, { DBClusterSnapshotIdentifier: sharedId(OLDEST) })
      .resolves({ DBClusterSnapshotAttributesResult: { DBClusterSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [REMOVED] }] } });
    rdsMock.on(ModifyDBClusterSnapshotAttributeCommand, { DBClusterSnapshotIdentifier: sharedId(OLDEST), ValuesToRemove: [REMOVED] })
      .rejects(new DBClusterSnapshotNotFoundFault({ message: 'gone', $metadata: {} }));
    await expect(handler(SHARED_AVAILABLE)).resolves.toMatchObject({ sharedWith: TARGET_ACCOUNT_IDS });
  });

  test('a retained snapshot that cannot be changed fails the run, naming it', async () => {
    mockSnapshots(rdsMock, [ownedSnapshot(OLDER, 'shared')]);
    mockRestoreAttributes(rdsMock, { [sharedId(OLDER)]: [REMOVED] }, []);
    rdsMock.on(ModifyDBClusterSnapshotAttributeCommand, { DBClusterSnapshotIdentifier: sharedId(OLDER) })
      .rejects(awsError('InvalidDBClusterSnapshotStateFault'));
    await expect(handler(SHARED_AVAILABLE)).rejects.toMatchObject({ name: 'SnapshotFailed', message: expect.stringContaining(sharedId(OLDER)) });
  });

  test('throttling while revoking passes through by name, for the state machine to retry', async () => {
    mockSnapshots(rdsMock, [ownedSnapshot(OLDER, 'shared')]);
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand, { DBClusterSnapshotIdentifier: sharedId(OLDER) }).rejects(awsError('Throttling'));
    await expect(handler(SHARED_AVAILABLE)).rejects.toMatchObject({ name: 'Throttling' });
  });

  test('the new snapshot vanished while reading who may restore it: SnapshotFailed', async () => {
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).rejects(new DBClusterSnapshotNotFoundFault({ message: 'gone', $metadata: {} }));
    await expect(handler(SHARED_AVAILABLE)).rejects.toMatchObject({ name: 'SnapshotFailed' });
  });
});
