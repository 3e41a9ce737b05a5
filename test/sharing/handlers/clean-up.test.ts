import {
  DBClusterSnapshot,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  InvalidDBClusterSnapshotStateFault,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  attributeLookups,
  awsError,
  deletedIds,
  mockRestoreAttributes,
  mockSnapshots,
  NOW,
  ownedSnapshot,
  preparedPlan,
  RUN_ID,
  SHARED_ID,
  sharedAvailablePlan,
  sharedId,
  SHARING_KEY_ARN,
  snapshot,
  SNAPSHOT_TIMEOUT_SECONDS,
  snapshotArn,
  TARGET_ACCOUNT_IDS,
  TEMP_ID,
  useHandlerEnvironment,
} from './helpers';
import { ENV } from '../../../src/shared/constants';
import { handler, selectExpiredSharedSnapshots } from '../../../src/sharing/handlers/clean-up.lambda';
import type { RunPlan } from '../../../src/sharing/handlers/workflow-state.lambda-shared';

const rdsMock = mockClient(RDSClient);

const DAY = 24 * 3600 * 1000;
/** ShareSnapshot's result on the copy path. */
const SHARED: RunPlan = { ...sharedAvailablePlan(), sharedWith: TARGET_ACCOUNT_IDS };
/** The run result, which is also the `Cluster Snapshot Shared` event's detail (SnapshotSharedDetail). */
const RESULT = {
  clusterIdentifier: 'orders-db',
  databaseKind: 'cluster',
  databaseIdentifier: 'orders-db',
  snapshotSource: 'new',
  snapshotIdentifier: 'shared-orders-db-202611270300-u66vbj',
  snapshotArn: snapshotArn(SHARED_ID),
  kmsKeyArn: SHARING_KEY_ARN,
  sharedWith: TARGET_ACCOUNT_IDS,
  runId: RUN_ID,
  snapshotCreateTime: '2026-11-27T03:10:00.000Z',
};

/** A shared snapshot of the run `days` days before RUN_ID, taken at that run's time. */
function olderShared(days: number, status = 'available'): DBClusterSnapshot {
  const created = new Date(NOW.getTime() - days * DAY);
  const runId = created.toISOString().replace(/[-:T]/g, '').slice(0, 12);
  return ownedSnapshot(runId, 'shared', { status, created });
}

const CURRENT: DBClusterSnapshot = {
  ...ownedSnapshot(RUN_ID, 'shared', { created: new Date(NOW.getTime() + 10 * 60_000) }),
  KmsKeyId: SHARING_KEY_ARN,
};
const CURRENT_TEMP = ownedSnapshot(RUN_ID, 'temporary', { created: NOW });

/**
 * The listing shows CURRENT and `listed` (the run's temporary snapshot is gone); re-read by
 * identifier, `listed` no longer has its ownership tags.
 */
function listedThenRetagged(listed: DBClusterSnapshot): void {
  rdsMock
    .on(DescribeDBClusterSnapshotsCommand, { Marker: undefined })
    .resolves({ DBClusterSnapshots: [CURRENT, listed] })
    .on(DescribeDBClusterSnapshotsCommand, { DBClusterSnapshotIdentifier: TEMP_ID })
    .resolves({ DBClusterSnapshots: [] })
    .on(DescribeDBClusterSnapshotsCommand, { DBClusterSnapshotIdentifier: listed.DBClusterSnapshotIdentifier })
    .resolves({ DBClusterSnapshots: [{ ...listed, TagList: [] }] });
}

useHandlerEnvironment(new Date(NOW.getTime() + 40 * 60_000), { [ENV.RETAIN_SNAPSHOTS]: '1' });

beforeEach(() => {
  rdsMock.reset();
  rdsMock.on(DeleteDBClusterSnapshotCommand).resolves({});
  mockSnapshots(rdsMock, [CURRENT, CURRENT_TEMP]);
  // Older shared snapshots are restore points, shared with the target accounts, unless a test says otherwise.
  mockRestoreAttributes(rdsMock);
});

describe('the run\'s own snapshots', () => {
  test('returns exactly the run result', async () => {
    await expect(handler(SHARED)).resolves.toStrictEqual(RESULT);
  });

  test('deletes the run\'s temporary snapshot after re-reading it', async () => {
    await handler(SHARED);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)[0].args[0].input).toEqual({ DBClusterSnapshotIdentifier: TEMP_ID });
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand).map((c) => c.args[0].input)).toEqual([
      { DBClusterSnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj-tmp' },
    ]);
  });

  test.each<[string, DBClusterSnapshot]>([
    ['has no ownership tags', snapshot({ id: TEMP_ID })],
    ['belongs to another owner', ownedSnapshot(RUN_ID, 'temporary', { owner: { ownerId: 'other-stack', role: 'temporary', runId: RUN_ID } })],
    ['belongs to another run', ownedSnapshot(RUN_ID, 'temporary', { owner: { role: 'temporary', runId: '202611260300' } })],
    ['has the shared role', ownedSnapshot(RUN_ID, 'temporary', { owner: { role: 'shared', runId: RUN_ID } })],
  ])('does not delete a "temporary" snapshot that %s', async (_, imposter) => {
    process.env[ENV.RETAIN_SNAPSHOTS] = '10'; // only the temporary clean-up may delete anything here
    mockSnapshots(rdsMock, [CURRENT, imposter]);
    await expect(handler(SHARED)).resolves.toStrictEqual(RESULT);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('a temporary snapshot already gone is fine', async () => {
    mockSnapshots(rdsMock, [CURRENT]);
    await expect(handler(SHARED)).resolves.toStrictEqual(RESULT);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('a temporary snapshot RDS will not delete now is left, without failing the run', async () => {
    rdsMock.on(DeleteDBClusterSnapshotCommand).rejects(new InvalidDBClusterSnapshotStateFault({ message: 'busy', $metadata: {} }));
    await expect(handler(SHARED)).resolves.toStrictEqual(RESULT);
  });

  test('a temporary snapshot that vanishes during the delete is fine', async () => {
    rdsMock.on(DeleteDBClusterSnapshotCommand).rejects(awsError('DBClusterSnapshotNotFoundFault'));
    await expect(handler(SHARED)).resolves.toStrictEqual(RESULT);
  });

  test('other delete errors pass through by name', async () => {
    rdsMock.on(DeleteDBClusterSnapshotCommand).rejects(awsError('Throttling'));
    await expect(handler(SHARED)).rejects.toMatchObject({ name: 'Throttling' });
  });

  test('without a copy there is no temporary snapshot to delete', async () => {
    const plan: RunPlan = { ...SHARED, ...preparedPlan(false) };
    await expect(handler(plan)).resolves.toStrictEqual(RESULT);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input.DBClusterSnapshotIdentifier)).toEqual([undefined]);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('the result carries no other plan fields: it is the Shared event\'s detail as it is', async () => {
    const result = await handler({ ...SHARED, deadline: '2026-11-27T05:20:00.000Z' });
    expect(Object.keys(result).sort()).toEqual([
      'clusterIdentifier', 'databaseIdentifier', 'databaseKind', 'kmsKeyArn', 'runId', 'sharedWith', 'snapshotArn', 'snapshotCreateTime', 'snapshotIdentifier',
      'snapshotSource',
    ]);
  });

  test('an unencrypted snapshot (allowUnencrypted) has no kmsKeyArn in the result', async () => {
    const { KmsKeyId: _, ...unencrypted } = CURRENT;
    mockSnapshots(rdsMock, [unencrypted, CURRENT_TEMP]);
    const { kmsKeyArn: __, ...expected } = RESULT;
    await expect(handler(SHARED)).resolves.toStrictEqual(expected);
  });

  test('the current snapshot missing from the listing is read by identifier for the event detail', async () => {
    mockSnapshots(rdsMock, [CURRENT_TEMP], [CURRENT]);
    await expect(handler(SHARED)).resolves.toStrictEqual(RESULT);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input))
      .toContainEqual({ DBClusterSnapshotIdentifier: SHARED_ID });
  });
});

describe('refuses to run before the snapshot is shared', () => {
  test.each<[string, unknown]>([
    ['no sharedWith', { ...SHARED, sharedWith: undefined }],
    ['an empty sharedWith', { ...SHARED, sharedWith: [] }],
    ['no snapshotArn', { ...SHARED, snapshotArn: undefined }],
    ['the plan from Prepare', preparedPlan(true)],
    ['a sharedWith of malformed account ids', { ...SHARED, sharedWith: ['all'] }],
    ['a sharedWith string', { ...SHARED, sharedWith: TARGET_ACCOUNT_IDS.join(',') }],
    ['a non-string snapshotArn', { ...SHARED, snapshotArn: ['arn'] }],
    ['a mixed-case clusterIdentifier', { ...SHARED, clusterIdentifier: 'Orders-DB' }],
    ['a shared name of someone else\'s snapshot', { ...SHARED, sharedSnapshotIdentifier: 'prod-backup-before-migration' }],
    ['a temporary name of someone else\'s snapshot', { ...SHARED, temporarySnapshotIdentifier: 'prod-backup-before-migration' }],
  ])('%s: InvalidInput, no AWS call', async (_, plan) => {
    await expect(handler(plan as RunPlan)).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });
});

describe('retention of shared snapshots', () => {
  const older = [olderShared(1), olderShared(2), olderShared(3), olderShared(4), olderShared(5)];

  test('RETAIN_SNAPSHOTS=1 keeps only the current run\'s snapshot', async () => {
    mockSnapshots(rdsMock, [older[2], CURRENT, older[0], CURRENT_TEMP, older[4], older[1], older[3]]);
    await expect(handler(SHARED)).resolves.toStrictEqual(RESULT);
    expect(deletedIds(rdsMock)).toEqual([
      TEMP_ID,
      sharedId('202611260300'),
      sharedId('202611250300'),
      sharedId('202611240300'),
      sharedId('202611230300'),
      sharedId('202611220300'),
    ]);
  });

  test('RETAIN_SNAPSHOTS=3 keeps the current run\'s and the two newest older ones', async () => {
    process.env[ENV.RETAIN_SNAPSHOTS] = '3';
    mockSnapshots(rdsMock, [older[4], older[3], older[2], older[1], older[0], CURRENT, CURRENT_TEMP]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([
      TEMP_ID,
      sharedId('202611240300'),
      sharedId('202611230300'),
      sharedId('202611220300'),
    ]);
  });

  test('the current run counts as newest even when an older run\'s snapshot reports a later create time', async () => {
    process.env[ENV.RETAIN_SNAPSHOTS] = '2';
    const laterTime = ownedSnapshot('202611260300', 'shared', { created: new Date(NOW.getTime() + DAY) });
    mockSnapshots(rdsMock, [CURRENT, laterTime, olderShared(2)]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([sharedId('202611250300')]);
  });

  test('fewer snapshots than RETAIN_SNAPSHOTS: nothing deleted', async () => {
    process.env[ENV.RETAIN_SNAPSHOTS] = '3';
    mockSnapshots(rdsMock, [CURRENT, olderShared(1), olderShared(2)]);
    await handler(SHARED);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('never deletes in-progress or failed shared snapshots, user snapshots, other owners\' or temporary-role ones', async () => {
    mockSnapshots(rdsMock, [
      CURRENT,
      olderShared(1, 'creating'),
      olderShared(2, 'copying'),
      olderShared(3, 'failed'),
      snapshot({ id: 'manual-before-upgrade', created: new Date(NOW.getTime() - 30 * DAY) }),
      snapshot({ id: sharedId('202610270300'), created: new Date(NOW.getTime() - 31 * DAY) }),
      ownedSnapshot('202611200300', 'shared', { owner: { ownerId: 'other-stack', role: 'shared', runId: '202611200300' } }),
      ownedSnapshot('202611190300', 'shared', { owner: { clusterIdentifier: 'billing-db', role: 'shared', runId: '202611190300' } }),
      ownedSnapshot('202611180300', 'temporary', { created: new Date(NOW.getTime() - 9 * DAY) }),
    ]);
    await expect(handler(SHARED)).resolves.toStrictEqual(RESULT);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('an expired snapshot RDS will not delete now does not fail the run, and the rest are still deleted', async () => {
    mockSnapshots(rdsMock, [CURRENT, olderShared(1), olderShared(2)]);
    rdsMock
      .on(DeleteDBClusterSnapshotCommand, { DBClusterSnapshotIdentifier: sharedId('202611260300') })
      .rejects(awsError('InvalidDBClusterSnapshotStateFault'));
    await expect(handler(SHARED)).resolves.toStrictEqual(RESULT);
    expect(deletedIds(rdsMock)).toEqual([sharedId('202611260300'), sharedId('202611250300')]);
  });

  test('pages through the listing with Marker', async () => {
    const page2 = olderShared(2);
    rdsMock
      .on(DescribeDBClusterSnapshotsCommand, { Marker: undefined })
      .resolves({ DBClusterSnapshots: [CURRENT, olderShared(1)], Marker: 'page-2' })
      .on(DescribeDBClusterSnapshotsCommand, { Marker: 'page-2' })
      .resolves({ DBClusterSnapshots: [page2] })
      .on(DescribeDBClusterSnapshotsCommand, { DBClusterSnapshotIdentifier: TEMP_ID })
      .resolves({ DBClusterSnapshots: [] })
      .on(DescribeDBClusterSnapshotsCommand, { DBClusterSnapshotIdentifier: sharedId('202611260300') })
      .resolves({ DBClusterSnapshots: [olderShared(1)] })
      .on(DescribeDBClusterSnapshotsCommand, { DBClusterSnapshotIdentifier: sharedId('202611250300') })
      .resolves({ DBClusterSnapshots: [page2] });
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([sharedId('202611260300'), sharedId('202611250300')]);
    const markers = rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)
      .map((c) => c.args[0].input)
      .filter((input) => input.Filters !== undefined)
      .map((input) => input.Marker);
    expect(markers).toEqual([undefined, 'page-2']);
  });

  test('re-checks ownership before each delete: a snapshot retagged since the listing is kept', async () => {
    listedThenRetagged(olderShared(1));
    await handler(SHARED);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('requires RETAIN_SNAPSHOTS to be an integer', async () => {
    process.env[ENV.RETAIN_SNAPSHOTS] = 'three';
    await expect(handler(SHARED)).rejects.toThrow(/RETAIN_SNAPSHOTS/);
    expect(rdsMock.calls()).toHaveLength(0);
  });
});

describe('restore points and orphans', () => {
  /** The handler's clock (40 minutes after RUN_ID's minute) and the age past which a never-shared copy is an orphan. */
  const now = NOW.getTime() + 40 * 60_000;
  const stale = 2 * SNAPSHOT_TIMEOUT_SECONDS * 1000;

  /** A shared-role snapshot created `ageMs` before the handler's clock, for the run of that minute. */
  function sharedAged(ageMs: number, status = 'available'): DBClusterSnapshot {
    const created = new Date(now - ageMs);
    return ownedSnapshot(created.toISOString().replace(/[-:T]/g, '').slice(0, 12), 'shared', { status, created });
  }
  const id = (s: DBClusterSnapshot) => s.DBClusterSnapshotIdentifier!;

  test('asks RDS who may restore each older available shared snapshot, and only those', async () => {
    process.env[ENV.RETAIN_SNAPSHOTS] = '10';
    mockSnapshots(rdsMock, [
      CURRENT,
      CURRENT_TEMP,
      olderShared(1),
      olderShared(2, 'creating'),
      olderShared(3, 'copying'),
      olderShared(4, 'failed'),
      ownedSnapshot('202611200300', 'temporary', { created: new Date(NOW.getTime() - 7 * DAY) }),
      olderShared(8),
    ]);
    await expect(handler(SHARED)).resolves.toStrictEqual(RESULT);
    expect(attributeLookups(rdsMock)).toEqual([sharedId('202611260300'), sharedId('202611190300')]);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotAttributesCommand)[0].args[0].input).toEqual({ DBClusterSnapshotIdentifier: sharedId('202611260300') });
    expect(deletedIds(rdsMock)).toEqual([TEMP_ID]);
  });

  test('a never-shared copy older than 2 x timeout is deleted, a younger one kept, and neither counts towards retention', async () => {
    process.env[ENV.RETAIN_SNAPSHOTS] = '2';
    const youngOrphan = sharedAged(60 * 60_000);
    const oldOrphan = sharedAged(stale + 60_000);
    const newestRestorePoint = olderShared(1);
    const olderRestorePoint = olderShared(2);
    mockSnapshots(rdsMock, [olderRestorePoint, oldOrphan, CURRENT, youngOrphan, newestRestorePoint, CURRENT_TEMP]);
    mockRestoreAttributes(rdsMock, { [id(youngOrphan)]: [], [id(oldOrphan)]: [] });
    await expect(handler(SHARED)).resolves.toStrictEqual(RESULT);
    // Had the young orphan counted, it would have taken the second place and the newest restore point would go.
    expect(deletedIds(rdsMock)).toEqual([TEMP_ID, id(olderRestorePoint), id(oldOrphan)]);
  });

  test('orphans are deleted even when retention keeps every restore point', async () => {
    process.env[ENV.RETAIN_SNAPSHOTS] = '10';
    const orphans = [sharedAged(stale + 1), sharedAged(5 * DAY)];
    mockSnapshots(rdsMock, [CURRENT, olderShared(1), ...orphans, olderShared(2)]);
    mockRestoreAttributes(rdsMock, Object.fromEntries(orphans.map((o) => [id(o), []])));
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual(orphans.map(id));
  });

  test('an orphan exactly 2 x timeout old is kept: a live run may be about to share it', async () => {
    const borderline = sharedAged(stale);
    mockSnapshots(rdsMock, [CURRENT, borderline]);
    mockRestoreAttributes(rdsMock, { [id(borderline)]: [] });
    await handler(SHARED);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('a never-shared copy without a reported create time is kept', async () => {
    const undated = { ...sharedAged(5 * DAY), SnapshotCreateTime: undefined };
    mockSnapshots(rdsMock, [CURRENT, undated]);
    mockRestoreAttributes(rdsMock, { [id(undated)]: [] });
    await handler(SHARED);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('the timeout comes from SNAPSHOT_TIMEOUT_SECONDS', async () => {
    process.env[ENV.SNAPSHOT_TIMEOUT_SECONDS] = '1800';
    const orphan = sharedAged(61 * 60_000);
    const young = sharedAged(59 * 60_000);
    mockSnapshots(rdsMock, [CURRENT, orphan, young]);
    mockRestoreAttributes(rdsMock, {}, []);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([id(orphan)]);
  });

  test.each<[string, object]>([
    ['no restore attribute', { DBClusterSnapshotAttributesResult: { DBClusterSnapshotAttributes: [] } }],
    ['a restore attribute without values', { DBClusterSnapshotAttributesResult: { DBClusterSnapshotAttributes: [{ AttributeName: 'restore' }] } }],
    ['no attributes result', {}],
  ])('an answer with %s means never shared', async (_, answer) => {
    const orphan = olderShared(3);
    mockSnapshots(rdsMock, [CURRENT, orphan]);
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).resolves(answer);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([id(orphan)]);
  });

  test('a snapshot shared with all accounts is a restore point', async () => {
    process.env[ENV.RETAIN_SNAPSHOTS] = '2';
    const publicOne = olderShared(1);
    mockSnapshots(rdsMock, [CURRENT, publicOne, olderShared(2)]);
    mockRestoreAttributes(rdsMock, { [id(publicOne)]: ['all'] }, []);
    await handler(SHARED);
    // The public one is kept as the second restore point; the never-shared older one is an orphan.
    expect(deletedIds(rdsMock)).toEqual([sharedId('202611250300')]);
  });

  test('a snapshot gone before its attributes are read is not a restore point, and its delete finds it absent', async () => {
    const vanishing = olderShared(1);
    rdsMock
      .on(DescribeDBClusterSnapshotsCommand, { Marker: undefined })
      .resolves({ DBClusterSnapshots: [CURRENT, vanishing] })
      .on(DescribeDBClusterSnapshotsCommand, { DBClusterSnapshotIdentifier: TEMP_ID })
      .resolves({ DBClusterSnapshots: [] })
      .on(DescribeDBClusterSnapshotsCommand, { DBClusterSnapshotIdentifier: id(vanishing) })
      .rejects(awsError('DBClusterSnapshotNotFoundFault'));
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).rejects(awsError('DBClusterSnapshotNotFoundFault'));
    await expect(handler(SHARED)).resolves.toStrictEqual(RESULT);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('other attribute errors fail the run before any older snapshot is deleted', async () => {
    mockSnapshots(rdsMock, [CURRENT, CURRENT_TEMP, olderShared(1), olderShared(2)]);
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).rejects(awsError('Throttling'));
    await expect(handler(SHARED)).rejects.toMatchObject({ name: 'Throttling' });
    expect(deletedIds(rdsMock)).toEqual([TEMP_ID]);
  });

  test('an orphan is deleted only after re-reading its tags', async () => {
    listedThenRetagged(olderShared(2));
    mockRestoreAttributes(rdsMock, {}, []);
    await handler(SHARED);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });
});

describe('selectExpiredSharedSnapshots', () => {
  const ids = (snapshots: DBClusterSnapshot[]) => snapshots.map((s) => s.DBClusterSnapshotIdentifier);
  const older = [olderShared(1), olderShared(2), olderShared(3)];

  test('retain 1: every older available shared snapshot, newest first', () => {
    expect(ids(selectExpiredSharedSnapshots([older[2], CURRENT, older[0], older[1]], SHARED_ID, 1)))
      .toEqual([sharedId('202611260300'), sharedId('202611250300'), sharedId('202611240300')]);
  });

  test('retain 3: all but the two newest older ones', () => {
    expect(ids(selectExpiredSharedSnapshots([CURRENT, ...older], SHARED_ID, 3))).toEqual([sharedId('202611240300')]);
  });

  test('retain 0 behaves like retain 1: the current snapshot is never selected', () => {
    const retainOne = ids(selectExpiredSharedSnapshots([CURRENT, ...older], SHARED_ID, 1));
    expect(ids(selectExpiredSharedSnapshots([CURRENT, ...older], SHARED_ID, 0))).toEqual(retainOne);
    expect(ids(selectExpiredSharedSnapshots([CURRENT], SHARED_ID, 0))).toEqual([]);
  });

  test('retain more than there are: nothing', () => {
    expect(selectExpiredSharedSnapshots([CURRENT, ...older], SHARED_ID, 4)).toEqual([]);
    expect(selectExpiredSharedSnapshots([], SHARED_ID, 1)).toEqual([]);
  });

  test('the current snapshot counts as newest wherever it sorts', () => {
    const currentOldest = { ...CURRENT, SnapshotCreateTime: new Date(0) };
    expect(ids(selectExpiredSharedSnapshots([currentOldest, ...older], SHARED_ID, 2))).toEqual([sharedId('202611250300'), sharedId('202611240300')]);
  });

  test('ties on create time are broken by run id, newest first', () => {
    const sameTime = new Date(NOW.getTime() - DAY);
    const a = ownedSnapshot('202611260300', 'shared', { created: sameTime });
    const b = ownedSnapshot('202611260400', 'shared', { created: sameTime });
    expect(ids(selectExpiredSharedSnapshots([a, b, CURRENT], SHARED_ID, 2))).toEqual([sharedId('202611260300')]);
    expect(ids(selectExpiredSharedSnapshots([b, a, CURRENT], SHARED_ID, 2))).toEqual([sharedId('202611260300')]);
  });

  test('a snapshot without a create time sorts oldest', () => {
    const undated = { ...olderShared(0.5), SnapshotCreateTime: undefined };
    expect(ids(selectExpiredSharedSnapshots([undated, older[0], CURRENT], SHARED_ID, 2))).toEqual([undated.DBClusterSnapshotIdentifier]);
    expect(ids(selectExpiredSharedSnapshots([older[0], undated, CURRENT], SHARED_ID, 2))).toEqual([undated.DBClusterSnapshotIdentifier]);
  });

  test('never selects in-progress, failed, temporary-role or untagged snapshots', () => {
    const candidates = [
      olderShared(1, 'creating'),
      olderShared(2, 'copying'),
      olderShared(3, 'failed'),
      ownedSnapshot('202611200300', 'temporary'),
      snapshot({ id: 'manual-before-upgrade' }),
      snapshot({ id: 'half-tagged', extraTags: [{ Key: 'shared-cluster-snapshots:role', Value: 'shared' }] }),
    ];
    expect(selectExpiredSharedSnapshots([CURRENT, ...candidates], SHARED_ID, 1)).toEqual([]);
  });
});
