import {
  DBClusterSnapshot,
  DBClusterSnapshotNotFoundFault,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  InvalidDBClusterSnapshotStateFault,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  DEADLINE,
  deletedIds,
  mockSnapshots,
  NOW,
  ownedSnapshot,
  preparedPlan,
  RUN_ID,
  SHARED_ID,
  snapshot,
  snapshotArn,
  TARGET_ACCOUNT_IDS,
  TEMP_ID,
  useHandlerEnvironment,
} from './helpers';
import { ENV } from '../../../src/shared/constants';
import { FailedRunEvent, FailedRunResult, handler } from '../../../src/sharing/handlers/clean-up-failed-run.lambda';

const rdsMock = mockClient(RDSClient);

/** What the clean-up did; its `failedEvent` is tested in clean-up-failed-run-event.test.ts. */
async function withoutEvent(result: Promise<FailedRunResult>): Promise<Omit<FailedRunResult, 'failedEvent'>> {
  const { failedEvent: _, ...rest } = await result;
  return rest;
}

const ERROR = { Error: 'SnapshotTimeout', Cause: '{"errorType":"SnapshotTimeout","errorMessage":"still copying"}' };
/** CheckCopy failed: both of the run's snapshots exist. */
const COPY_FAILED: FailedRunEvent = { ...preparedPlan(true), awaitingSnapshotIdentifier: SHARED_ID, deadline: DEADLINE, error: ERROR };

function givenRestoreAttribute(accounts: string[] | undefined): void {
  rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).resolves({
    DBClusterSnapshotAttributesResult: {
      DBClusterSnapshotIdentifier: SHARED_ID,
      DBClusterSnapshotAttributes: accounts === undefined ? [] : [{ AttributeName: 'restore', AttributeValues: accounts }],
    },
  });
}

/**
 * RDS's snapshots by identifier, with DeleteDBClusterSnapshot acting on them: a deleted snapshot is
 * gone at once, or with `lingers` stays listed as `deleting` for a while (RDS deletes, and cancels a
 * copy, asynchronously; the SDK model's DeleteDBClusterSnapshot returns the snapshot as it then is).
 */
function givenSnapshots(snapshots: DBClusterSnapshot[], options: { lingers?: boolean } = {}): Map<string, DBClusterSnapshot> {
  const store = new Map(snapshots.map((s) => [s.DBClusterSnapshotIdentifier!, s]));
  rdsMock.on(DescribeDBClusterSnapshotsCommand).callsFake((input) => {
    const found = store.get(input.DBClusterSnapshotIdentifier ?? '');
    if (!found) throw awsError('DBClusterSnapshotNotFoundFault');
    return { DBClusterSnapshots: [found] };
  });
  rdsMock.on(DeleteDBClusterSnapshotCommand).callsFake((input) => {
    const id = input.DBClusterSnapshotIdentifier ?? '';
    const found = store.get(id);
    if (!found) throw awsError('DBClusterSnapshotNotFoundFault');
    if (found.Status === 'creating') throw new InvalidDBClusterSnapshotStateFault({ message: 'creating', $metadata: {} });
    if (options.lingers) store.set(id, { ...found, Status: 'deleting' });
    else store.delete(id);
    return { DBClusterSnapshot: { ...found, Status: 'deleting' } };
  });
  return store;
}

/** Both of the run's snapshots available: the copy finished (it is shared, or about to be). */
function givenFinishedCopy(): void {
  givenSnapshots([ownedSnapshot(RUN_ID, 'shared', { status: 'available' }), ownedSnapshot(RUN_ID, 'temporary', { status: 'available' })]);
}

useHandlerEnvironment(NOW);

beforeEach(() => {
  rdsMock.reset();
  givenRestoreAttribute([]);
  givenSnapshots([
    ownedSnapshot(RUN_ID, 'shared', { status: 'copying' }),
    ownedSnapshot(RUN_ID, 'temporary', { status: 'available' }),
  ]);
});

describe('a run that failed before it planned anything', () => {
  test('makes no AWS call and returns the error', async () => {
    const event = { clusterIdentifier: 'orders-db', error: { Error: 'ClusterNotFound', Cause: 'no such cluster' } } as unknown as FailedRunEvent;
    await expect(withoutEvent(handler(event))).resolves.toStrictEqual({ error: { Error: 'ClusterNotFound', Cause: 'no such cluster' }, cleanedUp: {} });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('an error without Cause', async () => {
    const event = { error: { Error: 'InvalidInput' } } as FailedRunEvent;
    await expect(withoutEvent(handler(event))).resolves.toEqual({ error: { Error: 'InvalidInput', Cause: undefined }, cleanedUp: {} });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test.each<[string, unknown]>([
    ['no error at all', {}],
    ['a malformed error', { error: { Error: 42, Cause: { nested: true } } }],
    ['a null event', null],
  ])('%s: UnknownError', async (_, event) => {
    await expect(withoutEvent(handler(event as FailedRunEvent))).resolves.toEqual({ error: { Error: 'UnknownError', Cause: undefined }, cleanedUp: {} });
    expect(rdsMock.calls()).toHaveLength(0);
  });
});

describe('a run with a plan', () => {
  test('deletes the unshared shared snapshot before the temporary one and returns what it did', async () => {
    await expect(withoutEvent(handler(COPY_FAILED))).resolves.toStrictEqual({
      error: ERROR,
      cleanedUp: { [SHARED_ID]: 'deleted', [TEMP_ID]: 'deleted' },
    });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotAttributesCommand)[0].args[0].input).toEqual({ DBClusterSnapshotIdentifier: SHARED_ID });
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand).map((c) => c.args[0].input)).toEqual([
      { DBClusterSnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj' },
      { DBClusterSnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj-tmp' },
    ]);
  });

  test('a restore attribute that is missing altogether counts as not shared', async () => {
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).resolves({});
    await handler(COPY_FAILED);
    expect(deletedIds(rdsMock)).toEqual([SHARED_ID, TEMP_ID]);
  });

  test('a restore attribute without values counts as not shared', async () => {
    givenRestoreAttribute(undefined);
    await handler(COPY_FAILED);
    expect(deletedIds(rdsMock)).toEqual([SHARED_ID, TEMP_ID]);
  });

  test('never deletes the shared snapshot once the plan says it is shared (CleanUp failed)', async () => {
    givenFinishedCopy();
    const event: FailedRunEvent = { ...COPY_FAILED, snapshotArn: snapshotArn(SHARED_ID), sharedWith: TARGET_ACCOUNT_IDS };
    await expect(withoutEvent(handler(event))).resolves.toStrictEqual({ error: ERROR, cleanedUp: { [TEMP_ID]: 'deleted' } });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotAttributesCommand)).toHaveLength(0);
    expect(deletedIds(rdsMock)).toEqual([TEMP_ID]);
  });

  test.each([[['222222222222']], [['all']]])('never deletes the shared snapshot when its restore attribute lists %p', async (accounts) => {
    givenFinishedCopy();
    givenRestoreAttribute(accounts);
    await expect(withoutEvent(handler(COPY_FAILED))).resolves.toStrictEqual({ error: ERROR, cleanedUp: { [TEMP_ID]: 'deleted' } });
    expect(deletedIds(rdsMock)).toEqual([TEMP_ID]);
  });

  test('a snapshot RDS will not delete now is reported busy, without throwing, and the next is still tried', async () => {
    givenSnapshots([ownedSnapshot(RUN_ID, 'shared', { status: 'creating' }), ownedSnapshot(RUN_ID, 'temporary', { status: 'creating' })]);
    const event: FailedRunEvent = { ...preparedPlan(true), awaitingSnapshotIdentifier: TEMP_ID, deadline: DEADLINE, error: ERROR };
    await expect(withoutEvent(handler(event))).resolves.toStrictEqual({
      error: ERROR,
      cleanedUp: { [SHARED_ID]: 'busy', [TEMP_ID]: 'waits-for-copy' },
    });
    expect(deletedIds(rdsMock)).toEqual([SHARED_ID]);
  });

  describe('never deletes the temporary snapshot while a copy from it may still read it', () => {
    test('a copy still deleting after its delete call (RDS cancels asynchronously): the temporary is kept for a later run', async () => {
      const store = givenSnapshots([
        ownedSnapshot(RUN_ID, 'shared', { status: 'copying' }),
        ownedSnapshot(RUN_ID, 'temporary', { status: 'available' }),
      ], { lingers: true });
      await expect(withoutEvent(handler(COPY_FAILED))).resolves.toStrictEqual({
        error: ERROR,
        cleanedUp: { [SHARED_ID]: 'deleted', [TEMP_ID]: 'waits-for-copy' },
      });
      // The copy is deleted first; its source is not touched.
      expect(deletedIds(rdsMock)).toEqual([SHARED_ID]);
      expect(store.get(TEMP_ID)?.Status).toBe('available');
    });

    test('a copy RDS refuses to delete while copying: the temporary is kept', async () => {
      givenSnapshots([ownedSnapshot(RUN_ID, 'shared', { status: 'copying' }), ownedSnapshot(RUN_ID, 'temporary', { status: 'available' })]);
      rdsMock.on(DeleteDBClusterSnapshotCommand, { DBClusterSnapshotIdentifier: SHARED_ID })
        .rejects(new InvalidDBClusterSnapshotStateFault({ message: 'copying', $metadata: {} }));
      await expect(withoutEvent(handler(COPY_FAILED))).resolves.toStrictEqual({
        error: ERROR,
        cleanedUp: { [SHARED_ID]: 'busy', [TEMP_ID]: 'waits-for-copy' },
      });
      expect(deletedIds(rdsMock)).toEqual([SHARED_ID]);
    });

    test('a copy that is not ours but still copying under our name: the temporary is kept too', async () => {
      givenSnapshots([snapshot({ id: SHARED_ID, status: 'copying' }), ownedSnapshot(RUN_ID, 'temporary', { status: 'available' })]);
      await expect(withoutEvent(handler(COPY_FAILED))).resolves.toStrictEqual({
        error: ERROR,
        cleanedUp: { [SHARED_ID]: 'not-owned', [TEMP_ID]: 'waits-for-copy' },
      });
      expect(deletedIds(rdsMock)).toHaveLength(0);
    });

    test.each(['available', 'failed'])('a %s copy (shared, or finished) does not read its source: the temporary goes', async (status) => {
      givenSnapshots([ownedSnapshot(RUN_ID, 'shared', { status }), ownedSnapshot(RUN_ID, 'temporary', { status: 'available' })]);
      givenRestoreAttribute(TARGET_ACCOUNT_IDS); // shared already, so it is kept
      await expect(withoutEvent(handler(COPY_FAILED))).resolves.toStrictEqual({ error: ERROR, cleanedUp: { [TEMP_ID]: 'deleted' } });
      expect(deletedIds(rdsMock)).toEqual([TEMP_ID]);
    });
  });

  test('snapshots never created are reported absent', async () => {
    mockSnapshots(rdsMock, []);
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).rejects(new DBClusterSnapshotNotFoundFault({ message: 'none', $metadata: {} }));
    await expect(withoutEvent(handler(COPY_FAILED))).resolves.toStrictEqual({
      error: ERROR,
      cleanedUp: { [SHARED_ID]: 'absent', [TEMP_ID]: 'absent' },
    });
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('a snapshot that vanishes during the delete is reported absent', async () => {
    const store = givenSnapshots([ownedSnapshot(RUN_ID, 'shared', { status: 'copying' }), ownedSnapshot(RUN_ID, 'temporary', { status: 'available' })]);
    rdsMock.on(DeleteDBClusterSnapshotCommand).callsFake((input) => {
      store.delete(input.DBClusterSnapshotIdentifier ?? '');
      throw awsError('DBClusterSnapshotNotFoundFault');
    });
    await expect(withoutEvent(handler(COPY_FAILED))).resolves.toStrictEqual({
      error: ERROR,
      cleanedUp: { [SHARED_ID]: 'absent', [TEMP_ID]: 'absent' },
    });
  });

  test('snapshots of that name that are not this run\'s are left alone (e.g. after SnapshotIdentifierConflict)', async () => {
    mockSnapshots(rdsMock, [
      snapshot({ id: SHARED_ID }),
      ownedSnapshot(RUN_ID, 'temporary', { owner: { ownerId: 'other-stack', role: 'temporary', runId: RUN_ID } }),
    ]);
    await expect(withoutEvent(handler({ ...COPY_FAILED, error: { Error: 'SnapshotIdentifierConflict' } }))).resolves.toStrictEqual({
      error: { Error: 'SnapshotIdentifierConflict', Cause: undefined },
      cleanedUp: { [SHARED_ID]: 'not-owned', [TEMP_ID]: 'not-owned' },
    });
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('without a copy, only the shared snapshot is cleaned up', async () => {
    const event: FailedRunEvent = { ...preparedPlan(false), awaitingSnapshotIdentifier: SHARED_ID, deadline: DEADLINE, error: ERROR };
    mockSnapshots(rdsMock, [ownedSnapshot(RUN_ID, 'shared', { status: 'failed' })]);
    await expect(withoutEvent(handler(event))).resolves.toStrictEqual({ error: ERROR, cleanedUp: { [SHARED_ID]: 'deleted' } });
    expect(deletedIds(rdsMock)).toEqual([SHARED_ID]);
  });

  test('a failure right after Prepare: the names are planned but nothing exists yet', async () => {
    mockSnapshots(rdsMock, []);
    const event: FailedRunEvent = { ...preparedPlan(true), error: { Error: 'SnapshotQuotaExceeded', Cause: 'quota' } };
    await expect(withoutEvent(handler(event))).resolves.toStrictEqual({
      error: { Error: 'SnapshotQuotaExceeded', Cause: 'quota' },
      cleanedUp: { [SHARED_ID]: 'absent', [TEMP_ID]: 'absent' },
    });
  });

  test('other errors pass through by name', async () => {
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).rejects(awsError('Throttling'));
    await expect(handler(COPY_FAILED)).rejects.toMatchObject({ name: 'Throttling' });
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test.each<[string, unknown]>([
    ['a shared name of someone else\'s snapshot', { ...COPY_FAILED, sharedSnapshotIdentifier: 'prod-backup-before-migration' }],
    ['a temporary name of someone else\'s snapshot', { ...COPY_FAILED, temporarySnapshotIdentifier: 'prod-backup-before-migration' }],
    ['a malformed cluster', { ...COPY_FAILED, clusterIdentifier: 'orders-*' }],
  ])('%s: InvalidInput, no AWS call', async (_, event) => {
    await expect(handler(event as FailedRunEvent)).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('re-reads each snapshot by identifier before deleting it, and the copy again before its source', async () => {
    await handler(COPY_FAILED);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input)).toEqual([
      { DBClusterSnapshotIdentifier: SHARED_ID },
      { DBClusterSnapshotIdentifier: SHARED_ID },
      { DBClusterSnapshotIdentifier: TEMP_ID },
    ]);
  });

  test('logs a warning with what it cleaned up when not silenced', async () => {
    delete process.env.SHARED_CLUSTER_SNAPSHOTS_SILENT;
    const info = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await handler(COPY_FAILED);
      const lines = warn.mock.calls.map((c) => JSON.parse(c[0]));
      expect(lines).toContainEqual({
        level: 'warn',
        message: 'Run failed; cleaned up its own snapshots',
        clusterIdentifier: 'orders-db',
        runId: RUN_ID,
        error: 'SnapshotTimeout',
        cleanedUp: { [SHARED_ID]: 'deleted', [TEMP_ID]: 'deleted' },
      });
    } finally {
      info.mockRestore();
      warn.mockRestore();
    }
  });

  test('requires OWNER_ID once there is something to clean up', async () => {
    delete process.env[ENV.OWNER_ID];
    await expect(handler(COPY_FAILED)).rejects.toThrow(/OWNER_ID/);
    expect(rdsMock.calls()).toHaveLength(0);
  });
});
