import { DBClusterSnapshot, DBSnapshot, DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError, COPY_ID, DB_COPY_ID, DB_SHARED_ARN, INSTANCE, NOW, OTHER_SOURCE, ownCopy, ownDbCopy, SAME_NAME_DB_COPY_ID, SAME_NAME_DB_SHARED_ARN,
  SHARED_ARN,
  SHARED_ID, SHARED_TIME, SOURCE, STATE_MACHINE_ARN, STRANGER, sharedArn, sharedDbSnapshot, sharedSnapshot, TARGET, useReceiverEnvironment,
} from './helpers';
import { freshnessRecord } from '../../src/receiving/handlers/freshness.lambda-shared';
import { handler } from '../../src/receiving/handlers/scan-shared-snapshots.lambda';

const rdsMock = mockClient(RDSClient);
const sfnMock = mockClient(SFNClient);
const SCHEDULED = { scheduledTime: '2026-11-28T06:00:00Z' };
const RUN_ID = '202611280600';
const hoursAgo = (n: number) => new Date(NOW.getTime() - n * 3600_000);

const isManualListing = (input: { Filters?: { Name?: string; Values?: string[] }[] }) =>
  input.Filters?.some((f) => f.Name === 'snapshot-type' && f.Values?.includes('manual')) === true;

/** Cluster snapshots: the shared listing in two pages (SnapshotType 'shared'), own manual snapshots in one; DB snapshots (`db`) alike, in one page each. */
function arrange(shared: DBClusterSnapshot[], own: DBClusterSnapshot[], db: { shared?: DBSnapshot[]; own?: DBSnapshot[] } = {}): void {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).callsFake((input) => {
    if (isManualListing(input)) return { DBClusterSnapshots: own };
    const half = Math.ceil(shared.length / 2);
    return input.Marker === undefined ? { DBClusterSnapshots: shared.slice(0, half), Marker: 'next' } : { DBClusterSnapshots: shared.slice(half) };
  });
  rdsMock.on(DescribeDBSnapshotsCommand).callsFake((input) => ({ DBSnapshots: isManualListing(input) ? db.own ?? [] : db.shared ?? [] }));
}
const MANUAL = [{ Name: 'snapshot-type', Values: ['manual'] }];
const starts = () => sfnMock.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);

describe('scan-shared-snapshots', () => {
  useReceiverEnvironment();
  beforeEach(() => {
    rdsMock.reset();
    sfnMock.reset();
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
  });

  test('lists shared snapshots page by page and starts a copy of the newest one per source cluster without a copy', async () => {
    const older = sharedSnapshot({ id: 'shared-orders-db-202611260300', SnapshotCreateTime: hoursAgo(51) });
    arrange([older, sharedSnapshot()], []);
    const result = await handler(SCHEDULED);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input)).toEqual([
      { SnapshotType: 'shared', IncludeShared: true, MaxRecords: 100, Marker: undefined },
      { SnapshotType: 'shared', IncludeShared: true, MaxRecords: 100, Marker: 'next' },
      { Filters: MANUAL, MaxRecords: 100, Marker: undefined },
    ]);
    // Without a selection, DB snapshots are listed too: those shared, then this account's manual ones.
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand).map((c) => c.args[0].input)).toEqual([
      { SnapshotType: 'shared', IncludeShared: true, MaxRecords: 100, Marker: undefined },
      { Filters: MANUAL, MaxRecords: 100, Marker: undefined },
    ]);
    expect(starts()).toEqual([{
      stateMachineArn: STATE_MACHINE_ARN,
      name: `${COPY_ID}-at${RUN_ID}`,
      input: JSON.stringify({ sourceAccount: SOURCE, snapshotArn: SHARED_ARN }),
    }]);
    expect(result).toMatchObject({ runId: RUN_ID, started: [SHARED_ARN], alreadyStarted: [], failed: [] });
  });

  test('this account among the source accounts (found at run time): SourceIsOwnAccount before any AWS call, nothing started', async () => {
    process.env.SOURCE_ACCOUNT_IDS = `${SOURCE},${TARGET}`;
    arrange([sharedSnapshot()], []);
    await expect(handler(SCHEDULED)).rejects.toMatchObject({
      name: 'SourceIsOwnAccount',
      message: expect.stringContaining(`sourceAccountIds contains '${TARGET}', which is the account this receiver runs in`),
    });
    expect(rdsMock.calls()).toHaveLength(0);
    expect(starts()).toEqual([]);
  });

  test('skips shares from other accounts, other prefixes, unselected clusters and snapshots not available', async () => {
    process.env.SOURCE_CLUSTER_IDENTIFIERS = 'orders-db';
    arrange([
      sharedSnapshot({ id: SHARED_ID, account: STRANGER }),
      sharedSnapshot({ id: 'manual-orders-db-1' }),
      sharedSnapshot({ id: 'shared-billing-db-1', DBClusterIdentifier: 'billing-db' }),
      sharedSnapshot({ id: 'shared-orders-db-2', Status: 'copying' }),
    ], []);
    const result = await handler(SCHEDULED);
    expect(starts()).toEqual([]);
    expect(result.freshness.map((f) => [f.sourceAccount, f.clusterIdentifier])).toEqual([['none', 'orders-db']]);
  });

  test('one copy per source account and cluster: two sources with the same cluster id each get theirs', async () => {
    arrange([sharedSnapshot(), sharedSnapshot({ account: OTHER_SOURCE })], []);
    await handler(SCHEDULED);
    expect(starts().map((s) => JSON.parse(s.input!).snapshotArn)).toEqual([SHARED_ARN, sharedArn(SHARED_ID, OTHER_SOURCE)]);
  });

  test.each([
    ['an available copy', ownCopy()],
    ['a copy in progress', ownCopy({ status: 'copying' })],
    ['an available copy of a newer snapshot', ownCopy({ id: 'received-newer', sourceArn: sharedArn('shared-newer'), sourceTime: hoursAgo(1) })],
  ])('starts nothing for a cluster with %s', async (_name, copy) => {
    arrange([sharedSnapshot()], [copy]);
    await handler(SCHEDULED);
    expect(starts()).toEqual([]);
  });

  test('copies again when the only copy of the newest snapshot failed', async () => {
    arrange([sharedSnapshot()], [ownCopy({ status: 'failed' })]);
    await handler(SCHEDULED);
    expect(starts()).toHaveLength(1);
  });

  test('a repeated firing of the same scan starts nothing twice; a failed start fails the scan after trying the rest', async () => {
    arrange([sharedSnapshot(), sharedSnapshot({ account: OTHER_SOURCE })], []);
    sfnMock.on(StartExecutionCommand).rejectsOnce(awsError('ExecutionAlreadyExists')).rejectsOnce(awsError('ServiceUnavailable'));
    await expect(handler(SCHEDULED)).rejects.toMatchObject({ name: 'StartExecutionsFailed', message: expect.stringContaining(sharedArn(SHARED_ID, OTHER_SOURCE)) });
    expect(starts()).toHaveLength(2);
  });

  test('DB snapshots: the newest shared one per source instance without a copy is copied; the age is the data\'s (OriginalSnapshotCreateTime)', async () => {
    const older = sharedDbSnapshot({ id: 'shared-ledger-pg-202611260300', SnapshotCreateTime: hoursAgo(51) });
    // A copy of an automated snapshot: taken 10 hours before it was copied and shared.
    const newest = sharedDbSnapshot({ SnapshotCreateTime: hoursAgo(2), OriginalSnapshotCreateTime: hoursAgo(12) });
    arrange([], [], { shared: [older, newest] });
    const result = await handler(SCHEDULED);
    expect(starts()).toEqual([{
      stateMachineArn: STATE_MACHINE_ARN,
      name: `${DB_COPY_ID}-at${RUN_ID}`,
      input: JSON.stringify({ sourceAccount: SOURCE, snapshotArn: DB_SHARED_ARN }),
    }]);
    expect(result.freshness).toEqual([{ sourceAccount: SOURCE, clusterIdentifier: INSTANCE, databaseKind: 'instance', newestCopyAgeSeconds: 315_360_000 }]);
  });

  test('a DB instance\'s copy counts for that instance only: an available one holds its place, and never a cluster\'s of the same name', async () => {
    arrange([sharedSnapshot()], [], { shared: [sharedDbSnapshot(), sharedDbSnapshot({ id: SHARED_ID, DBInstanceIdentifier: 'orders-db' })], own: [ownDbCopy()] });
    await handler(SCHEDULED);
    expect(starts().map((s) => JSON.parse(s.input!).snapshotArn).sort()).toEqual([SHARED_ARN, SAME_NAME_DB_SHARED_ARN].sort());
    expect(starts().map((s) => s.name).sort()).toEqual([`${COPY_ID}-at${RUN_ID}`, `${SAME_NAME_DB_COPY_ID}-at${RUN_ID}`].sort());
  });

  test('with instanceIdentifiers only, no cluster snapshot is listed; unlisted instances and shares of other kinds are skipped', async () => {
    process.env.SOURCE_INSTANCE_IDENTIFIERS = INSTANCE;
    arrange([sharedSnapshot()], [], { shared: [sharedDbSnapshot(), sharedDbSnapshot({ id: 'shared-hr-pg-1', DBInstanceIdentifier: 'hr-pg' })] });
    const result = await handler(SCHEDULED);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(0);
    expect(starts().map((s) => JSON.parse(s.input!).snapshotArn)).toEqual([DB_SHARED_ARN]);
    expect(result.freshness.map((f) => f.clusterIdentifier)).toEqual([INSTANCE]);
  });

  test('freshness: the age of the newest available copy per source cluster; none yet, or only in progress, is NO_COPY_AGE_SECONDS', async () => {
    process.env.SOURCE_CLUSTER_IDENTIFIERS = 'orders-db,billing-db,hr-db';
    arrange([sharedSnapshot({ id: 'shared-hr-db-1', DBClusterIdentifier: 'hr-db' })], [
      ownCopy({ sourceTime: SHARED_TIME }),
      ownCopy({ id: 'received-older', sourceArn: sharedArn('shared-older'), sourceTime: hoursAgo(60) }),
      ownCopy({ id: 'received-billing', cluster: 'billing-db', sourceArn: sharedArn('shared-billing-db-1'), sourceTime: hoursAgo(2), status: 'copying' }),
    ]);
    const { freshness } = await handler(SCHEDULED);
    expect(freshness).toEqual([
      { sourceAccount: SOURCE, clusterIdentifier: 'billing-db', newestCopyAgeSeconds: 315_360_000 },
      { sourceAccount: SOURCE, clusterIdentifier: 'hr-db', newestCopyAgeSeconds: 315_360_000 },
      { sourceAccount: SOURCE, clusterIdentifier: 'orders-db', newestCopyAgeSeconds: 26 * 3600 + 55 * 60, newestCopyIdentifier: COPY_ID },
    ]);
  });

  test('publishes one embedded-metric-format line per cluster on stdout', async () => {
    delete process.env.SHARED_CLUSTER_SNAPSHOTS_SILENT;
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
    try {
      arrange([], [ownCopy()]);
      await handler(SCHEDULED);
    } finally {
      spy.mockRestore();
    }
    const records = lines.map((line) => JSON.parse(line)).filter((record) => record._aws);
    expect(records).toEqual([freshnessRecord('receiver-owner-1', {
      sourceAccount: SOURCE, clusterIdentifier: 'orders-db', newestCopyAgeSeconds: 96_900, newestCopyIdentifier: COPY_ID,
    }, NOW.getTime())]);
    expect(records.map((r) => r.SourceCluster)).toEqual(['orders-db']);
  });

  test('a cluster and a DB instance of one identifier are two freshness series: the instance\'s is `instance:<id>`', async () => {
    delete process.env.SHARED_CLUSTER_SNAPSHOTS_SILENT;
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
    try {
      arrange([], [ownCopy()], { own: [ownDbCopy({ id: SAME_NAME_DB_COPY_ID, cluster: 'orders-db', sourceArn: SAME_NAME_DB_SHARED_ARN, sourceTime: hoursAgo(1) })] });
      const { freshness } = await handler(SCHEDULED);
      expect(freshness.map((f) => [f.clusterIdentifier, f.databaseKind, f.newestCopyAgeSeconds])).toEqual([
        ['orders-db', 'instance', 3600],
        ['orders-db', undefined, 96_900],
      ]);
    } finally {
      spy.mockRestore();
    }
    const records = lines.map((line) => JSON.parse(line)).filter((record) => record._aws);
    expect(records.map((r) => [r.SourceCluster, r.NewestCopyAge])).toEqual([['instance:orders-db', 3600], ['orders-db', 96_900]]);
  });

  test('refuses an event with unknown fields or a bad time', async () => {
    await expect(handler({ scheduledTime: 'yesterday' })).rejects.toMatchObject({ name: 'InvalidInput' });
    await expect(handler({ other: 1 } as never)).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });
});

describe('freshnessRecord', () => {
  test('is an EMF record with the owner-only and the per-cluster dimension sets', () => {
    expect(freshnessRecord('owner', { sourceAccount: SOURCE, clusterIdentifier: 'orders-db', newestCopyAgeSeconds: 42 }, 1000)).toEqual({
      _aws: {
        Timestamp: 1000,
        CloudWatchMetrics: [{
          Namespace: 'SharedClusterSnapshots',
          Dimensions: [['OwnerId'], ['OwnerId', 'SourceAccount', 'SourceCluster']],
          Metrics: [{ Name: 'NewestCopyAge', Unit: 'Seconds' }],
        }],
      },
      OwnerId: 'owner',
      SourceAccount: SOURCE,
      SourceCluster: 'orders-db',
      NewestCopyAge: 42,
    });
  });
});
