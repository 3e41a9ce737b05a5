/**
 * The in-memory RDS behaves as AWS documents it (sources in sim/rds-encryption.ts and
 * sim/rds-store.ts): encryption types, aliases, the copy limit, visibility and sharing refusals.
 */
import {
  CopyDBClusterSnapshotCommand, CreateDBClusterSnapshotCommand, DescribeDBClusterSnapshotsCommand, DescribeDBClustersCommand,
  ModifyDBClusterSnapshotAttributeCommand, RDSClient,
} from '@aws-sdk/client-rds';
import { AWS_MANAGED_RDS_ALIAS, AWS_MANAGED_RDS_KEY, AWS_OWNED_KEY } from '../../sim/aws-env';
import { FakeRds } from '../../sim/fake-rds';
import { VirtualClock } from '../../sim/virtual-clock';

const CUSTOMER_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/customer-key';
const SHARING_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/sharing-key';

describe('in-memory RDS', () => {
  let rds: FakeRds;
  let clock: VirtualClock;
  const client = new RDSClient({ region: 'eu-west-1' });
  beforeEach(() => {
    clock = new VirtualClock(new Date('2026-11-27T03:00:00Z'));
    rds = new FakeRds(1);
  });
  afterEach(() => {
    rds.restore();
    clock.uninstall();
  });

  async function snapshotOf(cluster: string, id: string): Promise<void> {
    await client.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: cluster, DBClusterSnapshotIdentifier: id }));
    await clock.advance(10 * 60_000);
  }

  test('reports each encryption type as the SDK model describes it', async () => {
    rds.addCluster({ identifier: 'plain-db', kmsKeyId: null });
    rds.addCluster({ identifier: 'owned-db', kmsKeyId: AWS_OWNED_KEY });
    rds.addCluster({ identifier: 'managed-db' });
    rds.addCluster({ identifier: 'customer-db', kmsKeyId: CUSTOMER_KEY });
    rds.addCluster({ identifier: 'legacy-db', kmsKeyId: CUSTOMER_KEY, omitStorageEncryptionType: true });
    const { DBClusters } = await client.send(new DescribeDBClustersCommand({}));
    const view = (id: string) => {
      const c = DBClusters!.find((d) => d.DBClusterIdentifier === id)!;
      return [c.StorageEncryptionType, c.StorageEncrypted, c.KmsKeyId];
    };
    expect(view('plain-db')).toEqual(['none', false, undefined]);
    expect(view('owned-db')).toEqual(['sse-rds', false, undefined]);
    expect(view('managed-db')).toEqual(['sse-kms', true, AWS_MANAGED_RDS_KEY]);
    expect(view('customer-db')).toEqual(['sse-kms', true, CUSTOMER_KEY]);
    expect(view('legacy-db')).toEqual([undefined, true, CUSTOMER_KEY]);
  });

  test('a copy is re-encrypted with the requested key, an alias resolving to its key; an unencrypted source cannot be', async () => {
    const alias = rds.kms.addAlias('alias/sharing', SHARING_KEY);
    rds.addCluster({ identifier: 'owned-db', kmsKeyId: AWS_OWNED_KEY });
    rds.addCluster({ identifier: 'plain-db', kmsKeyId: null });
    await snapshotOf('owned-db', 'owned-1');
    await snapshotOf('plain-db', 'plain-1');
    await client.send(new CopyDBClusterSnapshotCommand({ SourceDBClusterSnapshotIdentifier: 'owned-1', TargetDBClusterSnapshotIdentifier: 'owned-2', KmsKeyId: alias }));
    await client.send(new CopyDBClusterSnapshotCommand({ SourceDBClusterSnapshotIdentifier: 'owned-1', TargetDBClusterSnapshotIdentifier: 'owned-3' }));
    expect(rds.snapshot('owned-2')).toMatchObject({ StorageEncryptionType: 'sse-kms', StorageEncrypted: true, KmsKeyId: SHARING_KEY });
    expect(rds.snapshot('owned-3')).toMatchObject({ StorageEncryptionType: 'sse-rds', StorageEncrypted: false });
    await expect(client.send(new CopyDBClusterSnapshotCommand({ SourceDBClusterSnapshotIdentifier: 'plain-1', TargetDBClusterSnapshotIdentifier: 'plain-2', KmsKeyId: SHARING_KEY })))
      .rejects.toMatchObject({ name: 'InvalidParameterCombination' });
    expect(rds.kms.resolve(AWS_MANAGED_RDS_ALIAS)).toBe(AWS_MANAGED_RDS_KEY);
  });

  test('the sixth copy in progress is refused with SnapshotQuotaExceededFault; once one finishes, another may start', async () => {
    rds.addCluster({ identifier: 'orders-db', copyMs: 5 * 60_000 });
    await snapshotOf('orders-db', 'source');
    const copy = (i: number) => client.send(new CopyDBClusterSnapshotCommand({ SourceDBClusterSnapshotIdentifier: 'source', TargetDBClusterSnapshotIdentifier: `copy-${i}`, KmsKeyId: SHARING_KEY }));
    for (let i = 1; i <= 5; i++) await copy(i);
    await expect(copy(6)).rejects.toMatchObject({ name: 'SnapshotQuotaExceededFault', message: expect.stringContaining('Cannot copy more than 5 snapshots') });
    expect(rds.copiesInProgress()).toBe(5);
    await clock.advance(5 * 60_000);
    await expect(copy(6)).resolves.toBeDefined();
  });

  test('a new snapshot is invisible to Describe for the configured delay', async () => {
    rds.setFaults({ visibilityDelayMs: 2 * 60_000 });
    rds.addCluster({ identifier: 'orders-db' });
    await client.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'orders-db', DBClusterSnapshotIdentifier: 'new-1' }));
    await expect(client.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'new-1' }))).rejects.toMatchObject({ name: 'DBClusterSnapshotNotFoundFault' });
    expect((await client.send(new DescribeDBClusterSnapshotsCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['orders-db'] }] }))).DBClusterSnapshots).toEqual([]);
    await clock.advance(2 * 60_000);
    await expect(client.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'new-1' }))).resolves.toMatchObject({ DBClusterSnapshots: [expect.anything()] });
  });

  test('refuses to share aws/rds and AWS-owned-key snapshots, and any encrypted one with all; removing accounts works', async () => {
    rds.addCluster({ identifier: 'managed-db' });
    rds.addCluster({ identifier: 'owned-db', kmsKeyId: AWS_OWNED_KEY });
    rds.addCluster({ identifier: 'customer-db', kmsKeyId: CUSTOMER_KEY });
    rds.addCluster({ identifier: 'plain-db', kmsKeyId: null });
    for (const c of ['managed', 'owned', 'customer', 'plain']) await snapshotOf(`${c}-db`, c);
    const share = (id: string, add: string[], remove: string[] = []) =>
      client.send(new ModifyDBClusterSnapshotAttributeCommand({ DBClusterSnapshotIdentifier: id, AttributeName: 'restore', ValuesToAdd: add, ValuesToRemove: remove }));
    await expect(share('managed', ['222222222222'])).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(share('owned', ['222222222222'])).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(share('customer', ['all'])).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await share('customer', ['222222222222', '333333333333']);
    await share('customer', [], ['333333333333']);
    expect(rds.restoreAccounts('customer')).toEqual(['222222222222']);
    await share('plain', ['all']); // an unencrypted snapshot may be public
    expect(rds.restoreAccounts('plain')).toEqual(['all']);
  });

  test('refuses unknown DescribeDBClusterSnapshots filters', async () => {
    await expect(client.send(new DescribeDBClusterSnapshotsCommand({ Filters: [{ Name: 'status', Values: ['copying'] }] })))
      .rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});
