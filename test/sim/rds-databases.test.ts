/**
 * The in-memory RDS restores, renames and deletes Aurora clusters as AWS documents it (sources in
 * sim/rds-databases.ts): what the refresh workflow relies on, and what it must survive.
 */
import {
  AddTagsToResourceCommand, CreateDBClusterSnapshotCommand, CreateDBInstanceCommand, DeleteDBClusterCommand, DeleteDBInstanceCommand,
  DescribeDBClustersCommand, DescribeDBInstancesCommand, ListTagsForResourceCommand, ModifyDBClusterCommand, RDSClient,
  RestoreDBClusterFromSnapshotCommand,
} from '@aws-sdk/client-rds';
import { FakeRds } from '../../sim/fake-rds';
import { VirtualClock } from '../../sim/virtual-clock';

const MINUTE = 60_000;
const ENGINE = 'aurora-postgresql';

describe('restored databases in the in-memory RDS', () => {
  let rds: FakeRds;
  let clock: VirtualClock;
  const client = new RDSClient({ region: 'eu-west-1' });
  const send = (command: any): Promise<any> => client.send(command);
  const failure = async (promise: Promise<unknown>) => promise.then(() => 'no error', (e: Error) => `${e.name}: ${e.message}`);

  beforeEach(async () => {
    clock = new VirtualClock(new Date('2026-11-27T03:00:00Z'));
    rds = new FakeRds(1);
    rds.addCluster({ identifier: 'orders-db', snapshotMs: MINUTE });
    await send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'orders-db', DBClusterSnapshotIdentifier: 'copy-1' }));
    await clock.advance(MINUTE);
  });
  afterEach(() => {
    rds.restore();
    clock.uninstall();
  });

  async function restore(id: string, extra: Record<string, unknown> = {}): Promise<void> {
    await send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: id, SnapshotIdentifier: 'copy-1', Engine: ENGINE, ...extra }));
  }
  async function describe(id: string): Promise<any> {
    return (await send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters[0];
  }

  test('a restore makes a cluster without instances, creating then available, keeping the source password', async () => {
    await restore('staging-db-202611270300', {
      DBSubnetGroupName: 'staging',
      VpcSecurityGroupIds: ['sg-1'],
      ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 4 },
      Tags: [{ Key: 'team', Value: 'data' }],
      DeletionProtection: false,
    });
    expect(await describe('staging-db-202611270300')).toMatchObject({
      Status: 'creating',
      DBClusterMembers: [],
      DBSubnetGroup: 'staging',
      ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 4 },
      TagList: [{ Key: 'team', Value: 'data' }],
      MasterUserSecret: undefined,
    });
    await clock.advance(rds.databases.timings.restoreMs);
    expect((await describe('staging-db-202611270300')).Status).toBe('available');
    expect(rds.databases.cluster('staging-db-202611270300')!.password).toEqual({ kind: 'from-snapshot', snapshot: expect.stringMatching(/:cluster-snapshot:copy-1$/) });
    expect(await failure(restore('staging-db-202611270300'))).toMatch(/^DBClusterAlreadyExistsFault/);
    expect(await failure(restore('orders-db'))).toMatch(/^DBClusterAlreadyExistsFault/);
    expect(await failure(send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: 'x', SnapshotIdentifier: 'nope', Engine: ENGINE })))).toMatch(/^DBClusterSnapshotNotFoundFault/);
  });

  test('instances join an available cluster only; the first is the writer; deletion protection is cluster-level', async () => {
    await restore('db-a');
    const instance = (id: string, extra: Record<string, unknown> = {}) =>
      send(new CreateDBInstanceCommand({ DBInstanceIdentifier: id, DBClusterIdentifier: 'db-a', DBInstanceClass: 'db.r6g.large', Engine: ENGINE, ...extra }));
    expect(await failure(instance('db-a-1'))).toMatch(/^InvalidDBClusterStateFault/);
    await clock.advance(rds.databases.timings.restoreMs);
    expect(await failure(instance('db-a-1', { DeletionProtection: true }))).toMatch(/^InvalidParameterCombination: Deletion Protection can only be applied on the Cluster level/);
    expect(await failure(instance('db-a-1', { DBInstanceClass: 'db.serverless' }))).toMatch(/^InvalidParameterCombination/);
    await instance('db-a-1');
    await instance('db-a-2');
    expect(await failure(instance('db-a-1'))).toMatch(/^DBInstanceAlreadyExistsFault/);
    await clock.advance(rds.databases.timings.instanceMs);
    const { DBInstances } = await send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['db-a'] }] }));
    expect(DBInstances.map((i: any) => [i.DBInstanceIdentifier, i.DBInstanceStatus])).toEqual([['db-a-1', 'available'], ['db-a-2', 'available']]);
    expect((await describe('db-a')).DBClusterMembers).toEqual([
      { DBInstanceIdentifier: 'db-a-1', IsClusterWriter: true }, { DBInstanceIdentifier: 'db-a-2', IsClusterWriter: false },
    ]);
  });

  test('a rename frees the old name at once, holds the new one, and resolves it only after the delay', async () => {
    await restore('db-a');
    await restore('db-b');
    await clock.advance(rds.databases.timings.restoreMs);
    const start = Date.now();
    expect(await failure(send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'db-b', NewDBClusterIdentifier: 'db-a', ApplyImmediately: true }))))
      .toMatch(/^DBClusterAlreadyExistsFault/);
    await send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'db-a', NewDBClusterIdentifier: 'db-old', ApplyImmediately: true }));
    expect(await failure(describe('db-a'))).toMatch(/^DBClusterNotFoundFault/);
    expect((await describe('db-old')).Status).toBe('renaming');
    expect(await failure(send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'db-old', NewDBClusterIdentifier: 'db-a', ApplyImmediately: true }))))
      .toMatch(/^InvalidDBClusterStateFault/);
    await send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'db-b', NewDBClusterIdentifier: 'db-a', ApplyImmediately: true }));
    expect(rds.databases.names.resolve('db-a')).toBeUndefined();
    await clock.advance(rds.databases.timings.renameMs);
    expect((await describe('db-a')).Status).toBe('available');
    expect(rds.databases.names.resolve('db-a')).toBe(rds.databases.cluster('db-a')!.resourceId);
    expect(rds.databases.names.unresolvedMs('db-a', start, Date.now())).toBe(rds.databases.timings.renameMs);
  });

  test('a rename without ApplyImmediately waits for the maintenance window', async () => {
    await restore('db-a');
    await clock.advance(rds.databases.timings.restoreMs);
    await send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'db-a', NewDBClusterIdentifier: 'db-b' }));
    expect(await describe('db-a')).toMatchObject({ Status: 'available', PendingModifiedValues: { DBClusterIdentifier: 'db-b' } });
  });

  test('ManageMasterUserPassword puts a new secret in place of the source password', async () => {
    await restore('db-a');
    await clock.advance(rds.databases.timings.restoreMs);
    expect(await failure(send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'db-a', ManageMasterUserPassword: true, MasterUserPassword: 'x'.repeat(12) }))))
      .toMatch(/^InvalidParameterCombination/);
    await send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'db-a', ManageMasterUserPassword: true, ApplyImmediately: true }));
    const during = await describe('db-a');
    expect(during).toMatchObject({ Status: 'resetting-master-credentials', MasterUserSecret: { SecretStatus: 'creating' } });
    expect(during.MasterUserSecret.SecretArn).toMatch(/^arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!cluster-/);
    await clock.advance(rds.databases.timings.modifyMs);
    expect(await describe('db-a')).toMatchObject({ Status: 'available', MasterUserSecret: { SecretStatus: 'active' } });
  });

  test('deletion: protection, members and final snapshots refused as RDS refuses them; the secret goes with the cluster', async () => {
    await restore('db-a', { DeletionProtection: true, ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 1 } });
    await clock.advance(rds.databases.timings.restoreMs);
    await send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'db-a-1', DBClusterIdentifier: 'db-a', DBInstanceClass: 'db.serverless', Engine: ENGINE }));
    await send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'db-a', ManageMasterUserPassword: true }));
    await clock.advance(rds.databases.timings.instanceMs);
    const secret = (await describe('db-a')).MasterUserSecret.SecretArn;
    expect(await failure(send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'db-a', SkipFinalSnapshot: true }))))
      .toBe('InvalidParameterCombination: Cannot delete protected Cluster, please disable deletion protection and try again.');
    await send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'db-a', DeletionProtection: false }));
    expect(await failure(send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'db-a', SkipFinalSnapshot: true }))))
      .toBe('InvalidDBClusterStateFault: Cluster cannot be deleted, it still contains DB instances in non-deleting state.');
    await send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'db-a-1', SkipFinalSnapshot: true }));
    expect(await failure(send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'db-a-1' })))).toMatch(/^InvalidDBInstanceStateFault/);
    expect(await failure(send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'db-a' })))).toMatch(/^InvalidParameterCombination/);
    await send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'db-a', FinalDBSnapshotIdentifier: 'db-a-final' }));
    expect((await describe('db-a')).Status).toBe('deleting');
    expect(await failure(restore('db-a'))).toMatch(/^DBClusterAlreadyExistsFault/);
    await clock.advance(rds.databases.timings.deleteMs);
    expect(await failure(describe('db-a'))).toMatch(/^DBClusterNotFoundFault/);
    expect(rds.databases.secrets.get(secret)!.deletedAt).toBeDefined();
    expect(rds.snapshot('db-a-final')).toMatchObject({ DBClusterIdentifier: 'db-a', SnapshotType: 'manual' });
    await restore('db-a');
  });

  test('tags on restored clusters and instances, by ARN, and injected faults by call', async () => {
    await restore('db-a', { Tags: [{ Key: 'owner', Value: 'me' }] });
    const arn = 'arn:aws:rds:eu-west-1:111111111111:cluster:db-a';
    await send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: [{ Key: 'role', Value: 'serving' }] }));
    expect((await send(new ListTagsForResourceCommand({ ResourceName: arn }))).TagList).toEqual([{ Key: 'owner', Value: 'me' }, { Key: 'role', Value: 'serving' }]);
    await clock.advance(rds.databases.timings.restoreMs);
    rds.databases.failNext('ModifyDBCluster', (input) => input.NewDBClusterIdentifier === 'db-b', 'InvalidDBClusterStateFault');
    expect(await failure(send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'db-a', NewDBClusterIdentifier: 'db-b', ApplyImmediately: true }))))
      .toMatch(/^InvalidDBClusterStateFault: Injected/);
    expect((await describe('db-a')).Status).toBe('available');
  });

  test('a snapshot RDS will not restore is refused by name, or ends in a terminal status', async () => {
    rds.databases.restoreFaults.set('copy-1', 'refused');
    expect(await failure(restore('db-a'))).toMatch(/^InvalidRestoreFault/);
    rds.databases.restoreFaults.set('copy-1', 'inaccessible-encryption-credentials');
    await restore('db-a');
    await clock.advance(rds.databases.timings.restoreMs);
    expect((await describe('db-a')).Status).toBe('inaccessible-encryption-credentials');
    expect(rds.databases.names.resolve('db-a')).toBeUndefined();
  });
});
