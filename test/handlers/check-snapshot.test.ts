import { DBClusterSnapshotNotFoundFault, DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  freezeTime,
  handlerEnv,
  NOW,
  ownedSnapshot,
  preparedPlan,
  RUN_ID,
  SHARED_ID,
  snapshotArn,
  TEMP_ID,
} from './helpers';
import { handler } from '../../src/handlers/check-snapshot.lambda';
import type { RunPlan } from '../../src/handlers/workflow-state.lambda-shared';

const rdsMock = mockClient(RDSClient);
const ORIGINAL_ENV = process.env;

const DEADLINE = '2026-11-27T05:00:00.000Z';
/** The plan CreateSnapshot returns when a copy follows. */
const AWAITING_TEMP: RunPlan = { ...preparedPlan(true), awaitingSnapshotIdentifier: TEMP_ID, deadline: DEADLINE };
/** The plan CopySnapshot returns. */
const AWAITING_COPY: RunPlan = { ...preparedPlan(true), awaitingSnapshotIdentifier: SHARED_ID, deadline: DEADLINE };

function givenStatus(status: string | undefined, role: 'shared' | 'temporary' = 'temporary'): void {
  const found = { ...ownedSnapshot(RUN_ID, role, { status: 'available' }), Status: status, PercentProgress: 42 };
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [found] });
}

beforeEach(() => {
  rdsMock.reset();
  process.env = { ...ORIGINAL_ENV, ...handlerEnv() };
  freezeTime(NOW);
});

afterEach(() => {
  jest.useRealTimers();
  process.env = ORIGINAL_ENV;
});

test('an available snapshot returns the plan with its ARN', async () => {
  givenStatus('available');
  await expect(handler(AWAITING_TEMP)).resolves.toEqual({ ...AWAITING_TEMP, snapshotArn: snapshotArn(TEMP_ID) });
  expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(1);
  expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)[0].args[0].input).toEqual({ DBClusterSnapshotIdentifier: TEMP_ID });
});

test('an available copy returns the plan with the shared snapshot\'s ARN', async () => {
  givenStatus('available', 'shared');
  await expect(handler(AWAITING_COPY)).resolves.toEqual({ ...AWAITING_COPY, snapshotArn: snapshotArn(SHARED_ID) });
  expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)[0].args[0].input).toEqual({ DBClusterSnapshotIdentifier: SHARED_ID });
});

test('an available snapshot past its deadline still succeeds', async () => {
  givenStatus('available');
  jest.setSystemTime(new Date('2026-11-27T06:00:00Z'));
  await expect(handler(AWAITING_TEMP)).resolves.toMatchObject({ snapshotArn: snapshotArn(TEMP_ID) });
});

test.each(['creating', 'copying'])('a snapshot %s before its deadline: SnapshotNotReady', async (status) => {
  givenStatus(status);
  jest.setSystemTime(new Date(Date.parse(DEADLINE) - 1));
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotNotReady' });
});

test.each(['creating', 'copying'])('a snapshot %s exactly at its deadline: SnapshotTimeout', async (status) => {
  givenStatus(status);
  jest.setSystemTime(new Date(DEADLINE));
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotTimeout' });
});

test('SnapshotNotReady reports the progress, 0% when RDS reports none', async () => {
  givenStatus('creating');
  await expect(handler(AWAITING_TEMP)).rejects.toThrow(/'creating' \(42%\)/);
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [{ ...ownedSnapshot(RUN_ID, 'temporary'), Status: 'creating' }] });
  await expect(handler(AWAITING_TEMP)).rejects.toThrow(/'creating' \(0%\)/);
});

test('a snapshot still creating after its deadline: SnapshotTimeout', async () => {
  givenStatus('creating');
  jest.setSystemTime(new Date('2026-11-27T07:00:00Z'));
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotTimeout' });
});

test.each(['failed', 'deleting', 'incompatible-restore', 'error', undefined])('a snapshot with status %p: SnapshotFailed', async (status) => {
  givenStatus(status);
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotFailed' });
});

test('a failed snapshot past its deadline: SnapshotFailed, not SnapshotTimeout', async () => {
  givenStatus('failed');
  jest.setSystemTime(new Date('2026-11-27T07:00:00Z'));
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotFailed' });
});

test('a vanished snapshot (DBClusterSnapshotNotFoundFault): SnapshotFailed', async () => {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(new DBClusterSnapshotNotFoundFault({ message: 'not found', $metadata: {} }));
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotFailed' });
});

test('a vanished snapshot (empty answer): SnapshotFailed', async () => {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotFailed' });
});

test('a vanished snapshot (no list at all): SnapshotFailed', async () => {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({});
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotFailed' });
});

test('other lookup errors pass through by name', async () => {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(awsError('Throttling'));
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'Throttling' });
});

test.each<[string, unknown]>([
  ['no awaitingSnapshotIdentifier', { ...AWAITING_TEMP, awaitingSnapshotIdentifier: undefined }],
  ['no deadline', { ...AWAITING_TEMP, deadline: undefined }],
  ['a malformed deadline', { ...AWAITING_TEMP, deadline: 'soon' }],
  ['the plan as Prepare returned it', preparedPlan(true)],
  ['awaiting someone else\'s snapshot', { ...AWAITING_TEMP, awaitingSnapshotIdentifier: 'prod-backup-before-migration' }],
  ['awaiting a temporary snapshot without a copy', { ...preparedPlan(false), awaitingSnapshotIdentifier: TEMP_ID, deadline: DEADLINE }],
  ['a shared name that is not this run\'s', { ...AWAITING_TEMP, sharedSnapshotIdentifier: 'prod-backup-before-migration' }],
  ['a non-object plan', 42],
])('%s: InvalidInput, no AWS call', async (_, plan) => {
  await expect(handler(plan as RunPlan)).rejects.toMatchObject({ name: 'InvalidInput' });
  expect(rdsMock.calls()).toHaveLength(0);
});
