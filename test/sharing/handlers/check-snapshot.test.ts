import { DBClusterSnapshotNotFoundFault, DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  DEADLINE,
  NOW,
  ownedSnapshot,
  preparedPlan,
  RUN_ID,
  SHARED_ID,
  snapshotArn,
  TEMP_ID,
  useHandlerEnvironment,
} from './helpers';
import { ENV, SNAPSHOT_VISIBILITY_GRACE_SECONDS, TRANSIENT_AWS_ERRORS } from '../../../src/shared/constants';
import { handler } from '../../../src/sharing/handlers/check-snapshot.lambda';
import type { RunPlan } from '../../../src/sharing/handlers/workflow-state.lambda-shared';

const rdsMock = mockClient(RDSClient);

/** The plan CreateSnapshot returns when a copy follows. */
const AWAITING_TEMP: RunPlan = { ...preparedPlan(true), awaitingSnapshotIdentifier: TEMP_ID, deadline: DEADLINE };
/** The plan CopySnapshot returns. */
const AWAITING_COPY: RunPlan = { ...preparedPlan(true), awaitingSnapshotIdentifier: SHARED_ID, deadline: DEADLINE };

/** The create or copy call was at NOW (DEADLINE - SNAPSHOT_TIMEOUT_SECONDS); the grace ends 300 s later. */
const AFTER_GRACE = new Date(NOW.getTime() + SNAPSHOT_VISIBILITY_GRACE_SECONDS * 1000);

function givenStatus(status: string | undefined, role: 'shared' | 'temporary' = 'temporary'): void {
  const found = { ...ownedSnapshot(RUN_ID, role, { status: 'available' }), Status: status, PercentProgress: 42 };
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [found] });
}

useHandlerEnvironment(NOW);

beforeEach(() => {
  rdsMock.reset();
});

test('an available snapshot returns the plan with its ARN', async () => {
  givenStatus('available');
  // The temporary snapshot is ready: the copy phase starts, with its own deadline (NOW + 7200 s).
  await expect(handler(AWAITING_TEMP)).resolves.toEqual({ ...AWAITING_TEMP, snapshotArn: snapshotArn(TEMP_ID), copyDeadline: DEADLINE });
  expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(1);
  expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)[0].args[0].input).toEqual({ DBClusterSnapshotIdentifier: TEMP_ID });
});

test('an available copy returns the plan with the shared snapshot\'s ARN', async () => {
  givenStatus('available', 'shared');
  // No copy phase follows the copy: no copyDeadline.
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
  jest.setSystemTime(AFTER_GRACE);
  rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(new DBClusterSnapshotNotFoundFault({ message: 'not found', $metadata: {} }));
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotFailed' });
});

test('a vanished snapshot (empty answer): SnapshotFailed', async () => {
  jest.setSystemTime(AFTER_GRACE);
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotFailed' });
});

test('a vanished snapshot (no list at all): SnapshotFailed', async () => {
  jest.setSystemTime(AFTER_GRACE);
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({});
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotFailed' });
});

describe('eventual consistency: a snapshot not found soon after its create or copy call is not visible yet', () => {
  const notFound = () => rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(new DBClusterSnapshotNotFoundFault({ message: 'not found', $metadata: {} }));

  test('the grace period is minutes, not one check', () => {
    expect(SNAPSHOT_VISIBILITY_GRACE_SECONDS).toBe(300);
  });

  test.each([
    ['at the first check', 60_000],
    ['at the fourth check', 240_000],
    ['just before the grace ends', SNAPSHOT_VISIBILITY_GRACE_SECONDS * 1000 - 1],
  ])('not found %s: SnapshotNotReady', async (_, afterCall) => {
    notFound();
    jest.setSystemTime(new Date(NOW.getTime() + afterCall));
    await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotNotReady', message: expect.stringContaining('not visible yet') });
  });

  test('an empty answer within the grace, for the copy: SnapshotNotReady', async () => {
    rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
    jest.setSystemTime(new Date(NOW.getTime() + 60_000));
    await expect(handler(AWAITING_COPY)).rejects.toMatchObject({ name: 'SnapshotNotReady' });
  });

  test('not found once the grace has ended: SnapshotFailed', async () => {
    notFound();
    jest.setSystemTime(AFTER_GRACE);
    await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotFailed', message: `Snapshot '${TEMP_ID}' no longer exists` });
  });

  test('a snapshotTimeout shorter than the grace still ends at the deadline: SnapshotTimeout', async () => {
    notFound();
    process.env[ENV.SNAPSHOT_TIMEOUT_SECONDS] = '120';
    jest.setSystemTime(new Date(DEADLINE));
    await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotTimeout', message: expect.stringContaining('not visible by its deadline') });
  });

  test('the grace counts from the call, which the deadline and SNAPSHOT_TIMEOUT_SECONDS give', async () => {
    notFound();
    // A 600 s timeout puts the call at DEADLINE - 600 s: one minute later is within the grace.
    process.env[ENV.SNAPSHOT_TIMEOUT_SECONDS] = '600';
    jest.setSystemTime(new Date(Date.parse(DEADLINE) - 540_000));
    await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotNotReady' });
    // With a 7200 s timeout the same moment is 6,660 s after the call: past the grace.
    process.env[ENV.SNAPSHOT_TIMEOUT_SECONDS] = '7200';
    jest.setSystemTime(new Date(Date.parse(DEADLINE) - 540_000));
    await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotFailed' });
  });
});

test.each(['AccessDenied', 'AccessDeniedException', 'KMSKeyNotAccessibleFault', 'InvalidParameterValue', 'Error'])('other lookup errors (%s) pass through by name', async (name) => {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(awsError(name));
  await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name });
  expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(1);
});

test('a non-Error rejection passes through unchanged', async () => {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).callsFake(() => Promise.reject('Throttling'));
  await expect(handler(AWAITING_TEMP)).rejects.toBe('Throttling');
});

describe('a transient error of the status call is a check that learned nothing', () => {
  test.each(TRANSIENT_AWS_ERRORS)('%s: SnapshotNotReady naming the error, after one call', async (name) => {
    rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(awsError(name));
    const error = await handler(AWAITING_TEMP).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'SnapshotNotReady' });
    expect((error as Error).message).toBe(`Status of '${TEMP_ID}' unknown this time (${name}); checking again`);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(1);
  });

  test('Throttling and InternalFailure while waiting for the copy: SnapshotNotReady', async () => {
    for (const name of ['Throttling', 'InternalFailure']) {
      rdsMock.reset();
      rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(awsError(name));
      await expect(handler(AWAITING_COPY)).rejects.toMatchObject({ name: 'SnapshotNotReady', message: expect.stringContaining(SHARED_ID) });
    }
  });

  test('the next check, answered, decides as usual', async () => {
    rdsMock
      .on(DescribeDBClusterSnapshotsCommand)
      .rejectsOnce(awsError('Throttling'))
      .resolves({ DBClusterSnapshots: [ownedSnapshot(RUN_ID, 'temporary', { status: 'available' })] });
    await expect(handler(AWAITING_TEMP)).rejects.toMatchObject({ name: 'SnapshotNotReady' });
    await expect(handler(AWAITING_TEMP)).resolves.toMatchObject({ snapshotArn: snapshotArn(TEMP_ID) });
  });
});

describe('fleet pacing: only every pollStride-th check calls RDS', () => {
  // NOW is 2 hours (SNAPSHOT_TIMEOUT_SECONDS) before DEADLINE, so the phase started at NOW; the
  // checks come every WAIT_INTERVAL_SECONDS (60 s unless set).
  const STRIDE = 5;
  const PACED: RunPlan = { ...AWAITING_TEMP, pollStride: STRIDE };
  const checkAt = (k: number, driftMs = 0) => jest.setSystemTime(new Date(NOW.getTime() + k * 60_000 + driftMs));

  /** Runs the check k = 1..count intervals into the phase; returns the checks that called RDS. */
  async function polledChecks(plan: RunPlan, count: number): Promise<number[]> {
    const polled: number[] = [];
    for (let k = 1; k <= count; k++) {
      checkAt(k, 700);
      const before = rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).length;
      await expect(handler(plan)).rejects.toMatchObject({ name: 'SnapshotNotReady' });
      if (rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).length > before) polled.push(k);
    }
    return polled;
  }

  test('a skipped check makes no RDS call and throws SnapshotNotReady mentioning the fleet pacing', async () => {
    givenStatus('creating');
    const polled = await polledChecks(PACED, STRIDE);
    expect(polled).toHaveLength(1);
    const skipped = [1, 2, 3, 4, 5].find((k) => !polled.includes(k))!;
    rdsMock.resetHistory();
    checkAt(skipped);
    const error = await handler(PACED).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'SnapshotNotReady' });
    expect((error as Error).message).toBe(`Snapshot '${TEMP_ID}' not polled on this check (fleet pacing: RDS is asked every ${STRIDE} checks)`);
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('over 30 checks, every 5th calls RDS', async () => {
    givenStatus('creating');
    const polled = await polledChecks(PACED, 30);
    expect(polled).toHaveLength(6);
    expect(polled.slice(1).map((k, i) => k - polled[i])).toEqual([5, 5, 5, 5, 5]);
  });

  test('without a stride, or with a stride of 1, every check calls RDS', async () => {
    givenStatus('creating');
    await expect(polledChecks(AWAITING_TEMP, 10)).resolves.toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await expect(polledChecks({ ...AWAITING_TEMP, pollStride: 1 }, 10)).resolves.toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test('a polled check finds an available snapshot as usual', async () => {
    givenStatus('available');
    const outcomes: string[] = [];
    for (let k = 1; k <= STRIDE; k++) {
      checkAt(k);
      outcomes.push(await handler(PACED).then((p) => p.snapshotArn ?? 'no arn', (e: Error) => e.name));
    }
    expect(outcomes.filter((o) => o === snapshotArn(TEMP_ID))).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'SnapshotNotReady')).toHaveLength(STRIDE - 1);
  });

  test('every check in the last interval before the deadline calls RDS, despite the stride', async () => {
    givenStatus('creating');
    const plan: RunPlan = { ...AWAITING_TEMP, pollStride: 60 };
    for (const beforeDeadline of [60_000, 45_000, 30_000, 1]) {
      rdsMock.resetHistory();
      jest.setSystemTime(new Date(Date.parse(DEADLINE) - beforeDeadline));
      await expect(handler(plan)).rejects.toThrow(/'creating' \(42%\)/);
      expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(1);
    }
  });

  test('the check at the deadline calls RDS despite the stride: SnapshotTimeout on a fresh status', async () => {
    givenStatus('creating');
    jest.setSystemTime(new Date(DEADLINE));
    await expect(handler({ ...AWAITING_TEMP, pollStride: 60 })).rejects.toMatchObject({ name: 'SnapshotTimeout' });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(1);
  });

  test('a snapshot found available at the deadline despite the stride still succeeds', async () => {
    givenStatus('available');
    jest.setSystemTime(new Date(Date.parse(DEADLINE) + 30_000));
    await expect(handler({ ...AWAITING_TEMP, pollStride: 60 })).resolves.toMatchObject({ snapshotArn: snapshotArn(TEMP_ID) });
  });

  test('the last interval follows WAIT_INTERVAL_SECONDS', async () => {
    givenStatus('creating');
    process.env[ENV.WAIT_INTERVAL_SECONDS] = '600';
    const plan: RunPlan = { ...AWAITING_TEMP, pollStride: 60 };
    // 9 minutes before the deadline is inside a 10-minute last interval: always polled.
    jest.setSystemTime(new Date(Date.parse(DEADLINE) - 540_000));
    await expect(handler(plan)).rejects.toThrow(/'creating'/);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(1);
  });

  test('a transient error on a polled check is SnapshotNotReady too', async () => {
    rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(awsError('Throttling'));
    jest.setSystemTime(new Date(DEADLINE));
    // At the deadline a status that cannot be read is a timeout, not another wait.
    await expect(handler({ ...AWAITING_TEMP, pollStride: 60 })).rejects.toMatchObject({ name: 'SnapshotTimeout', message: expect.stringContaining('Throttling') });
  });

  test('SNAPSHOT_TIMEOUT_SECONDS is required', async () => {
    delete process.env[ENV.SNAPSHOT_TIMEOUT_SECONDS];
    await expect(handler(PACED)).rejects.toThrow(/SNAPSHOT_TIMEOUT_SECONDS/);
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('a non-integer WAIT_INTERVAL_SECONDS is a configuration error', async () => {
    process.env[ENV.WAIT_INTERVAL_SECONDS] = 'a minute';
    await expect(handler(PACED)).rejects.toThrow(/WAIT_INTERVAL_SECONDS/);
    expect(rdsMock.calls()).toHaveLength(0);
  });
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
  ['a pollStride of 0', { ...AWAITING_TEMP, pollStride: 0 }],
  ['a pollStride of 61', { ...AWAITING_TEMP, pollStride: 61 }],
  ['a fractional pollStride', { ...AWAITING_TEMP, pollStride: 2.5 }],
  ['a string pollStride', { ...AWAITING_TEMP, pollStride: '5' }],
])('%s: InvalidInput, no AWS call', async (_, plan) => {
  await expect(handler(plan as RunPlan)).rejects.toMatchObject({ name: 'InvalidInput' });
  expect(rdsMock.calls()).toHaveLength(0);
});
