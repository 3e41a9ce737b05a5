import {
  CopyDBClusterSnapshotCommand,
  DBClusterSnapshot,
  DBClusterSnapshotAlreadyExistsFault,
  DescribeAccountAttributesCommand,
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
  sharedAvailablePlan,
  SHARING_KEY_ARN,
  snapshot,
  snapshotArn,
  TEMP_ID,
  useHandlerEnvironment,
} from './helpers';
import { DEFAULTS, ENV } from '../../../src/shared/constants';
import { handler } from '../../../src/sharing/handlers/copy-snapshot.lambda';
import type { RunPlan } from '../../../src/sharing/handlers/workflow-state.lambda-shared';

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

useHandlerEnvironment(CHECKED_AT, { [ENV.MAX_CONCURRENT_COPIES]: String(DEFAULTS.maxConcurrentCopies) });

beforeEach(() => {
  rdsMock.reset();
  rdsMock.on(CopyDBClusterSnapshotCommand).resolves({});
});

/** The CopyDBClusterSnapshot input for TEMP_AVAILABLE: the ownership tags, then `extraTags`. */
function expectedCopy(extraTags: { Key: string; Value: string }[] = []) {
  return {
    SourceDBClusterSnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj-tmp',
    TargetDBClusterSnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj',
    KmsKeyId: SHARING_KEY_ARN,
    CopyTags: false,
    Tags: [
      { Key: 'shared-cluster-snapshots:owner', Value: OWNER_ID },
      { Key: 'shared-cluster-snapshots:cluster', Value: 'orders-db' },
      { Key: 'shared-cluster-snapshots:role', Value: 'shared' },
      { Key: 'shared-cluster-snapshots:run', Value: RUN_ID },
      ...extraTags,
    ],
  };
}

test('copies the temporary snapshot to the shared name with the sharing key, tagged shared', async () => {
  await handler(TEMP_AVAILABLE);
  expect(rdsMock.commandCalls(CopyDBClusterSnapshotCommand)).toHaveLength(1);
  expect(rdsMock.commandCalls(CopyDBClusterSnapshotCommand)[0].args[0].input).toEqual(expectedCopy());
});

test('snapshotTags (SNAPSHOT_TAGS): the copy gets the extra tags after the ownership tags, not copied from the source', async () => {
  process.env[ENV.SNAPSHOT_TAGS] = JSON.stringify({ 'cost-center': '1234' });
  await handler(TEMP_AVAILABLE);
  expect(rdsMock.commandCalls(CopyDBClusterSnapshotCommand)[0].args[0].input).toEqual(expectedCopy([{ Key: 'cost-center', Value: '1234' }]));
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
  // The first look-up is the count of copies in progress; the look-up by identifier follows it.
  expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)[1].args[0].input).toEqual({ DBClusterSnapshotIdentifier: SHARED_ID });
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

test.each<[string, string, Error]>([
  ['KMSKeyNotAccessibleFault', 'KmsKeyNotAccessible', new KMSKeyNotAccessibleFault({ message: 'key disabled', $metadata: {} })],
  ['SnapshotQuotaExceededFault', 'SnapshotQuotaExceeded', new SnapshotQuotaExceededFault({ message: 'quota', $metadata: {} })],
])('%s: %s', async (_, name, fault) => {
  rdsMock.on(CopyDBClusterSnapshotCommand).rejects(fault);
  await expect(handler(TEMP_AVAILABLE)).rejects.toMatchObject({ name });
});

test.each(['DBClusterSnapshotNotFoundFault', 'InvalidDBClusterSnapshotStateFault'])('%s on the source: SnapshotFailed', async (name) => {
  rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError(name));
  await expect(handler(TEMP_AVAILABLE)).rejects.toMatchObject({ name: 'SnapshotFailed' });
});

describe('RDS refuses to re-encrypt the snapshot with the sharing key: ReEncryptionRefused', () => {
  // Not confirmed which code RDS uses (aws-facts.md: re-encrypting an AWS-owned-key snapshot on
  // copy is expected, not documented); these are the plausible ones for our always-valid copy call.
  test.each(['InvalidParameterValue', 'InvalidParameterCombination'])('%s', async (name) => {
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError(name, 'The snapshot cannot be re-encrypted with the specified KMS key'));
    const error = await handler(TEMP_AVAILABLE).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'ReEncryptionRefused' });
    // The message says what the user can do.
    expect((error as Error).message).toMatch(/customer-managed KMS key/);
    expect((error as Error).message).toContain(TEMP_ID);
    expect((error as Error).message).toContain(SHARING_KEY_ARN);
  });

  test('InvalidDBClusterSnapshotStateFault that speaks of encryption', async () => {
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('InvalidDBClusterSnapshotStateFault', 'Snapshots encrypted with an AWS owned key cannot be copied with a KMS key'));
    await expect(handler(TEMP_AVAILABLE)).rejects.toMatchObject({ name: 'ReEncryptionRefused' });
  });

  test('InvalidDBClusterSnapshotStateFault about the source\'s state stays SnapshotFailed', async () => {
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('InvalidDBClusterSnapshotStateFault', 'Snapshot is creating, not available'));
    await expect(handler(TEMP_AVAILABLE)).rejects.toMatchObject({ name: 'SnapshotFailed' });
  });
});

test('Throttling passes through by name', async () => {
  rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('Throttling'));
  await expect(handler(TEMP_AVAILABLE)).rejects.toMatchObject({ name: 'Throttling' });
});

test('without a copy to make, returns the plan unchanged and calls nothing', async () => {
  const plan = sharedAvailablePlan(false);
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

describe('copy concurrency: at most MAX_CONCURRENT_COPIES copies in flight', () => {
  /** CheckSnapshot found the temporary snapshot available at CHECKED_AT: the copy phase ends 7200 s later. */
  const WAITING: RunPlan = { ...TEMP_AVAILABLE, copyDeadline: COPY_DEADLINE };
  const LISTING = { Filters: [{ Name: 'snapshot-type', Values: ['manual'] }], MaxRecords: 100 };

  /** The account's manual snapshots, page by page, with `copying` ones among them. */
  function givenPages(...pages: DBClusterSnapshot[][]): void {
    pages.forEach((page, i) => {
      rdsMock.on(DescribeDBClusterSnapshotsCommand, { Marker: i === 0 ? undefined : `page-${i + 1}` })
        .resolves({ DBClusterSnapshots: page, Marker: i + 1 < pages.length ? `page-${i + 2}` : undefined });
    });
  }
  const copying = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => snapshot({ id: `other-copy-${from + i}`, clusterIdentifier: `db-${from + i}`, status: 'copying' }));
  const givenQuota = (used: number, max: number) =>
    rdsMock.on(DescribeAccountAttributesCommand).resolves({ AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: used, Max: max }] });

  test('counts the copies in progress in the account before copying, paged', async () => {
    givenPages([...copying(2), snapshot({ id: 'users-own', status: 'available' })], copying(2, 2));
    await handler(WAITING);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input)).toEqual([
      { ...LISTING, Marker: undefined },
      { ...LISTING, Marker: 'page-2' },
    ]);
    expect(rdsMock.commandCalls(CopyDBClusterSnapshotCommand)).toHaveLength(1);
  });

  test('at the cap (5 by default, over two pages): CopyLimitReached, and no copy is started', async () => {
    givenPages(copying(3), copying(2, 3));
    const error = await handler(WAITING).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'CopyLimitReached' });
    expect((error as Error).message).toBe(`5 copies are in progress, at maxConcurrentCopies (5); copy to '${SHARED_ID}' waits for a slot`);
    expect(rdsMock.commandCalls(CopyDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('MAX_CONCURRENT_COPIES sets the cap', async () => {
    process.env[ENV.MAX_CONCURRENT_COPIES] = '2';
    givenPages(copying(2));
    await expect(handler(WAITING)).rejects.toMatchObject({ name: 'CopyLimitReached' });
    process.env[ENV.MAX_CONCURRENT_COPIES] = '3';
    await expect(handler(WAITING)).resolves.toMatchObject({ awaitingSnapshotIdentifier: SHARED_ID });
  });

  test('snapshots creating or available are not copies in progress', async () => {
    givenPages([...copying(4), snapshot({ id: 'a', status: 'creating' }), snapshot({ id: 'b', status: 'available' })]);
    await expect(handler(WAITING)).resolves.toMatchObject({ awaitingSnapshotIdentifier: SHARED_ID });
  });

  test('this run\'s own copy among them (a retried call) goes on to the copy call, which finds it', async () => {
    givenPages([...copying(4), ownedSnapshot(RUN_ID, 'shared', { status: 'copying' })]);
    rdsMock.on(DescribeDBClusterSnapshotsCommand, { DBClusterSnapshotIdentifier: SHARED_ID })
      .resolves({ DBClusterSnapshots: [ownedSnapshot(RUN_ID, 'shared', { status: 'copying' })] });
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('DBClusterSnapshotAlreadyExistsFault'));
    await expect(handler(WAITING)).resolves.toMatchObject({ awaitingSnapshotIdentifier: SHARED_ID, deadline: COPY_DEADLINE });
  });

  test('MAX_CONCURRENT_COPIES is required', async () => {
    delete process.env[ENV.MAX_CONCURRENT_COPIES];
    await expect(handler(WAITING)).rejects.toThrow(/MAX_CONCURRENT_COPIES/);
    expect(rdsMock.calls()).toHaveLength(0);
  });

  describe('RDS refuses the copy with SnapshotQuotaExceededFault', () => {
    beforeEach(() => {
      rdsMock.on(CopyDBClusterSnapshotCommand).rejects(new SnapshotQuotaExceededFault({ message: 'Cannot copy more than 5 snapshots across regions', $metadata: {} }));
    });

    test('while the manual snapshot quota has room: its copy limit, CopyLimitReached', async () => {
      givenQuota(40, 100);
      await expect(handler(WAITING)).rejects.toMatchObject({ name: 'CopyLimitReached' });
      expect(rdsMock.commandCalls(DescribeAccountAttributesCommand)[0].args[0].input).toEqual({});
    });

    test('with the quota really full: SnapshotQuotaExceeded', async () => {
      givenQuota(100, 100);
      await expect(handler(WAITING)).rejects.toMatchObject({ name: 'SnapshotQuotaExceeded' });
    });

    test('a quota read that fails passes its error through', async () => {
      rdsMock.on(DescribeAccountAttributesCommand).rejects(awsError('Throttling'));
      await expect(handler(WAITING)).rejects.toMatchObject({ name: 'Throttling' });
    });

    test('at the copy deadline: SnapshotTimeout', async () => {
      givenQuota(40, 100);
      jest.setSystemTime(new Date(COPY_DEADLINE));
      await expect(handler(WAITING)).rejects.toMatchObject({ name: 'SnapshotTimeout', message: expect.stringContaining(COPY_DEADLINE) });
    });
  });

  test('at the cap at the copy deadline: SnapshotTimeout, not another wait', async () => {
    givenPages(copying(5));
    jest.setSystemTime(new Date(COPY_DEADLINE));
    await expect(handler(WAITING)).rejects.toMatchObject({ name: 'SnapshotTimeout' });
    jest.setSystemTime(new Date(Date.parse(COPY_DEADLINE) - 1));
    await expect(handler(WAITING)).rejects.toMatchObject({ name: 'CopyLimitReached' });
  });

  describe('fleet pacing: a waiting copy asks RDS only on its turn', () => {
    const STRIDE = 5;
    const PACED: RunPlan = { ...WAITING, pollStride: STRIDE };
    const attemptAt = (k: number) => jest.setSystemTime(new Date(CHECKED_AT.getTime() + k * 60_000 + 700));

    async function askedAttempts(count: number): Promise<number[]> {
      const asked: number[] = [];
      for (let k = 0; k <= count; k++) {
        attemptAt(k);
        const before = rdsMock.calls().length;
        await expect(handler(PACED)).rejects.toMatchObject({ name: 'CopyLimitReached' });
        if (rdsMock.calls().length > before) asked.push(k);
      }
      return asked;
    }

    test('the first attempt asks; then every 5th attempt', async () => {
      givenPages(copying(5));
      const asked = await askedAttempts(30);
      expect(asked[0]).toBe(0);
      expect(asked.slice(2).map((k, i) => k - asked[i + 1])).toEqual(Array(asked.length - 2).fill(STRIDE));
      expect(asked.length).toBeGreaterThanOrEqual(6);
      expect(asked.length).toBeLessThanOrEqual(8);
    });

    test('an attempt off its turn makes no RDS call and says why', async () => {
      givenPages(copying(5));
      const asked = await askedAttempts(STRIDE);
      const off = [1, 2, 3, 4, 5].find((k) => !asked.includes(k))!;
      rdsMock.resetHistory();
      attemptAt(off);
      await expect(handler(PACED)).rejects.toThrow(`Copy to '${SHARED_ID}' waits for a slot; not asking RDS on this attempt (fleet pacing: every 5 attempts)`);
      expect(rdsMock.calls()).toHaveLength(0);
    });

    test('without copyDeadline (a plan from before it), every attempt asks', async () => {
      givenPages(copying(5));
      const plan: RunPlan = { ...TEMP_AVAILABLE, pollStride: STRIDE };
      for (let k = 1; k <= 3; k++) {
        attemptAt(k);
        rdsMock.resetHistory();
        await expect(handler(plan)).rejects.toMatchObject({ name: 'CopyLimitReached' });
        expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(1);
      }
    });
  });
});
