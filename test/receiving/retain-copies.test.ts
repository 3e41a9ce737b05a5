import { DeleteDBClusterSnapshotCommand, DeleteDBSnapshotCommand, DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError, COPY_ID, copyState, DB_COPY_ID, DB_SHARED_ARN, INSTANCE, OTHER_SOURCE, ownCopy, ownDbCopy, SAME_NAME_DB_COPY_ID, SAME_NAME_DB_SHARED_ARN,
  SHARED_ARN, SHARED_TIME, sharedArn, sharedDbArn, SOURCE, TARGET, useReceiverEnvironment,
} from './helpers';
import { handler } from '../../src/receiving/handlers/retain-copies.lambda';

const rdsMock = mockClient(RDSClient);
const COPY_ARN = `arn:aws:rds:eu-west-1:${TARGET}:cluster-snapshot:${COPY_ID}`;
const STATE = copyState({ deadline: '2026-11-28T12:00:00.000Z', copyRequestedAt: '2026-11-28T05:00:00.000Z', copyArn: COPY_ARN });
const daysAgo = (n: number) => new Date(SHARED_TIME.getTime() - n * 86_400_000);
/** An older copy of the same source cluster, from `n` days before SHARED_TIME. */
const older = (n: number, spec: Parameters<typeof ownCopy>[0] = {}) =>
  ownCopy({ id: `received-old-${n}`, sourceArn: sharedArn(`shared-old-${n}`), sourceTime: daysAgo(n), ...spec });

/** The listing returns `listing` (in two pages); a look-up by identifier returns `current` (by default the listed one). */
function arrange(listing: ReturnType<typeof ownCopy>[], current: Record<string, ReturnType<typeof ownCopy>> = {}): void {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).callsFake((input) => {
    if (input.DBClusterSnapshotIdentifier) {
      const id = input.DBClusterSnapshotIdentifier;
      const found = current[id] ?? listing.find((s) => s.DBClusterSnapshotIdentifier === id);
      if (!found) throw awsError('DBClusterSnapshotNotFoundFault');
      return { DBClusterSnapshots: [found] };
    }
    const half = Math.ceil(listing.length / 2);
    return input.Marker === undefined
      ? { DBClusterSnapshots: listing.slice(0, half), Marker: 'page-2' }
      : { DBClusterSnapshots: listing.slice(half) };
  });
}
const deleted = () => rdsMock.commandCalls(DeleteDBClusterSnapshotCommand).map((c) => c.args[0].input.DBClusterSnapshotIdentifier);

describe('retain-copies (retainCopies = 2)', () => {
  useReceiverEnvironment();
  beforeEach(() => {
    rdsMock.reset();
    rdsMock.on(DeleteDBClusterSnapshotCommand).resolves({});
  });

  test('keeps the newest two available copies of the source cluster and deletes older ones, reading every page', async () => {
    arrange([older(2), ownCopy(), older(1), older(3)]);
    await expect(handler(STATE)).resolves.toEqual({ ...STATE, deletedCopies: ['received-old-2', 'received-old-3'] });
    expect(deleted()).toEqual(['received-old-2', 'received-old-3']);
    const listings = rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)
      .map((c) => c.args[0].input)
      .filter((i) => !i.DBClusterSnapshotIdentifier);
    expect(listings).toEqual([
      { Filters: [{ Name: 'snapshot-type', Values: ['manual'] }], MaxRecords: 100, Marker: undefined },
      { Filters: [{ Name: 'snapshot-type', Values: ['manual'] }], MaxRecords: 100, Marker: 'page-2' },
    ]);
  });

  test('never touches other source accounts, clusters, owners, prefixes, or copies still in progress', async () => {
    arrange([
      ownCopy(), older(1), older(2, { status: 'copying' }), older(3, { sourceAccount: OTHER_SOURCE }), older(4, { cluster: 'billing-db' }),
      older(5, { ownerId: 'someone-else' }), older(6, { id: 'manual-old-6' }), older(7, { tags: [] }),
    ]);
    await handler(STATE);
    expect(deleted()).toEqual([]);
  });

  test('a copy whose tags changed since the listing is left alone', async () => {
    const listed = older(2);
    arrange([ownCopy(), older(1), listed], { 'received-old-2': older(2, { ownerId: 'someone-else' }) });
    await expect(handler(STATE)).resolves.toMatchObject({ deletedCopies: [] });
    expect(deleted()).toEqual([]);
  });

  test('a copy RDS will not delete yet, or one already gone, is not reported deleted', async () => {
    arrange([ownCopy(), older(1), older(2), older(3)]);
    rdsMock.on(DeleteDBClusterSnapshotCommand, { DBClusterSnapshotIdentifier: 'received-old-2' }).rejects(awsError('InvalidDBClusterSnapshotStateFault'));
    rdsMock.on(DeleteDBClusterSnapshotCommand, { DBClusterSnapshotIdentifier: 'received-old-3' }).rejects(awsError('DBClusterSnapshotNotFoundFault'));
    await expect(handler(STATE)).resolves.toMatchObject({ deletedCopies: [] });
  });

  test('with confirmCopies, returns the Cluster Snapshot Copied entry for the source account\'s default bus', async () => {
    process.env.CONFIRM_COPIES = 'true';
    arrange([ownCopy()]);
    const result = await handler(STATE);
    expect(result.confirmation).toEqual({
      eventBusName: `arn:aws:events:eu-west-1:${SOURCE}:event-bus/default`,
      detail: JSON.stringify({ sourceAccount: SOURCE, sourceSnapshotArn: SHARED_ARN, clusterIdentifier: 'orders-db', copyArn: COPY_ARN, targetAccount: TARGET }),
    });
  });

  test('no confirmation when confirmCopies is off, or when the copy itself is older than the kept ones', async () => {
    arrange([ownCopy()]);
    expect((await handler(STATE)).confirmation).toBeUndefined();
    process.env.CONFIRM_COPIES = 'true';
    const newer = (n: number) => ownCopy({ id: `received-new-${n}`, sourceArn: sharedArn(`shared-new-${n}`), sourceTime: daysAgo(-n) });
    arrange([ownCopy(), newer(1), newer(2)]);
    const result = await handler(STATE);
    expect(result.deletedCopies).toEqual([COPY_ID]);
    expect(result.confirmation).toBeUndefined();
  });

  test('refuses a state without a copy ARN (the copy was never seen available)', async () => {
    const { copyArn: _, ...notAvailable } = STATE;
    await expect(handler(notAvailable)).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });
});

describe('retain-copies of a DB snapshot (retainCopies = 2)', () => {
  useReceiverEnvironment();
  const DB_COPY_ARN = `arn:aws:rds:eu-west-1:${TARGET}:snapshot:${DB_COPY_ID}`;
  const DB_STATE = { ...STATE, snapshotArn: DB_SHARED_ARN, clusterIdentifier: INSTANCE, copyIdentifier: DB_COPY_ID, copyArn: DB_COPY_ARN };
  const olderDb = (n: number, spec: Parameters<typeof ownDbCopy>[0] = {}) =>
    ownDbCopy({ id: `received-old-db-${n}`, sourceArn: sharedDbArn(`shared-old-${n}`), sourceTime: daysAgo(n), ...spec });

  beforeEach(() => {
    rdsMock.reset();
    rdsMock.on(DeleteDBSnapshotCommand).resolves({});
    rdsMock.on(DeleteDBClusterSnapshotCommand).resolves({});
  });

  test('keeps the instance\'s newest two DB snapshot copies, deletes older ones with DeleteDBSnapshot; a cluster of the same name is never listed nor touched', async () => {
    const dbCopies = [ownDbCopy(), olderDb(1), olderDb(2), olderDb(3, { cluster: 'orders-db', sourceArn: SAME_NAME_DB_SHARED_ARN, id: SAME_NAME_DB_COPY_ID })];
    rdsMock.on(DescribeDBSnapshotsCommand).callsFake((input) => {
      if (!input.DBSnapshotIdentifier) return { DBSnapshots: dbCopies };
      return { DBSnapshots: dbCopies.filter((s) => s.DBSnapshotIdentifier === input.DBSnapshotIdentifier) };
    });
    // Older copies of cluster `orders-db` exist too: a different kind, never in this retention.
    rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [ownCopy(), older(1), older(2)] });
    await expect(handler(DB_STATE)).resolves.toEqual({ ...DB_STATE, deletedCopies: ['received-old-db-2'] });
    expect(rdsMock.commandCalls(DeleteDBSnapshotCommand).map((c) => c.args[0].input)).toEqual([{ DBSnapshotIdentifier: 'received-old-db-2' }]);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(0);
    expect(deleted()).toEqual([]);
  });

  test('with confirmCopies, the confirmation names the DB snapshot and the kind', async () => {
    process.env.CONFIRM_COPIES = 'true';
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [ownDbCopy()] });
    const result = await handler(DB_STATE);
    expect(JSON.parse(result.confirmation!.detail)).toEqual({
      sourceAccount: SOURCE,
      sourceSnapshotArn: DB_SHARED_ARN,
      clusterIdentifier: INSTANCE,
      databaseKind: 'instance',
      databaseIdentifier: INSTANCE,
      copyArn: DB_COPY_ARN,
      targetAccount: TARGET,
    });
  });
});

describe('retain-copies with replica Regions', () => {
  useReceiverEnvironment();
  const REPLICAS = JSON.stringify([{ region: 'us-east-1', keyArn: 'arn:aws:kms:us-east-1:222222222222:key/dr', retainCopies: 2 }]);
  beforeEach(() => {
    rdsMock.reset();
    rdsMock.on(DeleteDBClusterSnapshotCommand).resolves({});
    process.env.REPLICA_REGIONS = REPLICAS;
  });
  afterEach(() => {
    delete process.env.REPLICA_REGIONS;
  });

  /** The home Region lists `listing`; in us-east-1, `received-old-2`'s replica is `replicaStatus`. */
  function arrangeRegions(listing: ReturnType<typeof ownCopy>[], replicaStatus: string): void {
    rdsMock.on(DescribeDBClusterSnapshotsCommand).callsFake(async (input, getClient) => {
      const region = await getClient().config.region();
      if (region === 'us-east-1') {
        if (input.DBClusterSnapshotIdentifier !== 'received-old-2') throw awsError('DBClusterSnapshotNotFoundFault');
        return { DBClusterSnapshots: [older(2, { status: replicaStatus })] };
      }
      const id = input.DBClusterSnapshotIdentifier;
      if (id) return { DBClusterSnapshots: listing.filter((s) => s.DBClusterSnapshotIdentifier === id) };
      return { DBClusterSnapshots: listing };
    });
  }

  test('an expired copy whose replica is still copying stays; the others go', async () => {
    arrangeRegions([ownCopy(), older(1), older(2), older(3)], 'copying');
    await expect(handler(STATE)).resolves.toMatchObject({ deletedCopies: ['received-old-3'] });
    expect(deleted()).toEqual(['received-old-3']);
  });

  test('once the replica is available, the expired copy goes', async () => {
    arrangeRegions([ownCopy(), older(1), older(2), older(3)], 'available');
    await expect(handler(STATE)).resolves.toMatchObject({ deletedCopies: ['received-old-2', 'received-old-3'] });
  });
});
