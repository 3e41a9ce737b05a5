import { DeleteDBClusterSnapshotCommand, DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, COPY_ID, copyState, OTHER_SOURCE, ownCopy, SHARED_ARN, SHARED_TIME, sharedArn, SOURCE, TARGET, useReceiverEnvironment } from './helpers';
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
