import { DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, NOW, ownedSnapshot, OWNER_ID, snapshot, useHandlerEnvironment } from './helpers';
import { ENV, NO_SNAPSHOT_AGE_SECONDS, SILENT_LOGS_VARIABLE } from '../../../src/shared/constants';
import { freshnessOwnerDimension, freshnessRecord } from '../../../src/sharing/handlers/freshness.lambda-shared';
import { handler } from '../../../src/sharing/handlers/publish-freshness.lambda';

const rdsMock = mockClient(RDSClient);
const HOUR = 3600 * 1000;
const LATER = new Date(NOW.getTime() + 5 * HOUR);

/** A snapshot this instance shared of `cluster`, taken `hoursAgo` before LATER. */
function shared(cluster: string, hoursAgo: number, status = 'available') {
  return ownedSnapshot('202611270300', 'shared', {
    id: `shared-${cluster}-${hoursAgo}`,
    clusterIdentifier: cluster,
    status,
    created: new Date(LATER.getTime() - hoursAgo * HOUR),
  });
}

useHandlerEnvironment(LATER, { [ENV.CLUSTER_IDENTIFIERS]: 'orders-db,billing-db' });

beforeEach(() => {
  rdsMock.reset();
});

test('lists the manual snapshots of the account, paged, and reports the newest available shared one per cluster', async () => {
  rdsMock.on(DescribeDBClusterSnapshotsCommand)
    .resolvesOnce({ DBClusterSnapshots: [shared('orders-db', 29), shared('orders-db', 5)], Marker: 'page-2' })
    .resolvesOnce({ DBClusterSnapshots: [shared('tagged-db', 2), shared('orders-db', 1, 'copying')] });
  await expect(handler()).resolves.toStrictEqual({
    clusters: [
      { clusterIdentifier: 'billing-db', newestSnapshotAgeSeconds: NO_SNAPSHOT_AGE_SECONDS },
      { clusterIdentifier: 'orders-db', newestSnapshotAgeSeconds: 5 * 3600, newestSnapshotIdentifier: 'shared-orders-db-5' },
      { clusterIdentifier: 'tagged-db', newestSnapshotAgeSeconds: 2 * 3600, newestSnapshotIdentifier: 'shared-tagged-db-2' },
    ],
  });
  expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input)).toEqual([
    { Filters: [{ Name: 'snapshot-type', Values: ['manual'] }], MaxRecords: 100, Marker: undefined },
    { Filters: [{ Name: 'snapshot-type', Values: ['manual'] }], MaxRecords: 100, Marker: 'page-2' },
  ]);
});

test('only this owner\'s shared-role snapshots count: not temporary ones, other owners\' or users\' own', async () => {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({
    DBClusterSnapshots: [
      ownedSnapshot('202611270300', 'temporary', { created: LATER }),
      ownedSnapshot('202611270300', 'shared', { created: LATER, owner: { ownerId: 'other-stack', role: 'shared', runId: '202611270300' } }),
      snapshot({ id: 'shared-orders-db-by-hand', created: LATER }),
    ],
  });
  const { clusters } = await handler();
  expect(clusters.map((c) => c.newestSnapshotAgeSeconds)).toEqual([NO_SNAPSHOT_AGE_SECONDS, NO_SNAPSHOT_AGE_SECONDS]);
});

test('writes one embedded-metric-format line per cluster', async () => {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [shared('orders-db', 5)] });
  delete process.env[SILENT_LOGS_VARIABLE];
  const lines: string[] = [];
  const written: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
  try {
    await handler();
  } finally {
    spy.mockRestore();
    stdout.mockRestore();
  }
  // And, as every handler, one line of the RDS calls it made (one listing page).
  expect(written.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ Handler: 'PublishFreshness', RdsCalls: 1, OwnerId: OWNER_ID })]);
  expect(lines.map((line) => JSON.parse(line))).toEqual([
    freshnessRecord(OWNER_ID, { clusterIdentifier: 'billing-db', newestSnapshotAgeSeconds: NO_SNAPSHOT_AGE_SECONDS }, LATER.getTime()),
    freshnessRecord(OWNER_ID, { clusterIdentifier: 'orders-db', newestSnapshotAgeSeconds: 5 * 3600 }, LATER.getTime()),
  ]);
});

test('the record: both series, the owner alone and the owner with the cluster, in seconds', () => {
  expect(freshnessRecord(OWNER_ID, { clusterIdentifier: 'orders-db', newestSnapshotAgeSeconds: 60 }, 1)).toStrictEqual({
    _aws: {
      Timestamp: 1,
      CloudWatchMetrics: [{
        Namespace: 'SharedClusterSnapshots',
        Dimensions: [['OwnerId'], ['OwnerId', 'Cluster']],
        Metrics: [{ Name: 'NewestSharedSnapshotAge', Unit: 'Seconds' }],
      }],
    },
    OwnerId: OWNER_ID,
    Cluster: 'orders-db',
    NewestSharedSnapshotAge: 60,
  });
});

test('a listing error fails the invocation by name (no data: the alarm treats it as breaching)', async () => {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(awsError('Throttling'));
  await expect(handler()).rejects.toMatchObject({ name: 'Throttling' });
});

test('an owner id too long for a dimension value is shortened to 255 characters, ending in a hash', () => {
  const long = `stack/${'x'.repeat(250)}`;
  expect(freshnessOwnerDimension(OWNER_ID)).toBe(OWNER_ID);
  expect(freshnessOwnerDimension(long)).toHaveLength(255);
  expect(freshnessOwnerDimension(long)).not.toBe(freshnessOwnerDimension(`${long}y`));
});
