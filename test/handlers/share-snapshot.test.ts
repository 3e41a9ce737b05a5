import {
  CopyDBClusterSnapshotCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  RDSClient,
  SharedSnapshotQuotaExceededFault,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  NOW,
  preparedPlan,
  SHARED_ID,
  snapshotArn,
  TARGET_ACCOUNT_IDS,
  TEMP_ID,
  useHandlerEnvironment,
} from './helpers';
import { ENV } from '../../src/shared/constants';
import { handler as copySnapshot } from '../../src/source/handlers/copy-snapshot.lambda';
import { handler } from '../../src/source/handlers/share-snapshot.lambda';
import type { RunPlan } from '../../src/source/handlers/workflow-state.lambda-shared';

const rdsMock = mockClient(RDSClient);

const DEADLINE = '2026-11-27T05:00:00.000Z';
/** CheckCopy found the shared snapshot available. */
const SHARED_AVAILABLE: RunPlan = {
  ...preparedPlan(true),
  awaitingSnapshotIdentifier: SHARED_ID,
  deadline: DEADLINE,
  snapshotArn: snapshotArn(SHARED_ID),
};

useHandlerEnvironment(NOW);

beforeEach(() => {
  rdsMock.reset();
  rdsMock.on(ModifyDBClusterSnapshotAttributeCommand).resolves({});
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
  const plan: RunPlan = { ...preparedPlan(false), awaitingSnapshotIdentifier: SHARED_ID, deadline: DEADLINE, snapshotArn: snapshotArn(SHARED_ID) };
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
