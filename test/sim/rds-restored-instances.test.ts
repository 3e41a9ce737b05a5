/**
 * The in-memory RDS restores, renames and deletes DB instances as AWS documents it (sources in
 * sim/rds-restored-instances.ts): what the refresh of a DB instance relies on, and what it must survive.
 */
import {
  DeleteDBInstanceCommand, DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, ModifyDBInstanceCommand, RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { FakeRds } from '../../sim/fake-rds';
import { VirtualClock } from '../../sim/virtual-clock';

const MINUTE = 60_000;
const SOURCE = '333333333333';

describe('restored DB instances in the in-memory RDS', () => {
  let rds: FakeRds;
  let clock: VirtualClock;
  const client = new RDSClient({ region: 'eu-west-1' });
  const send = (command: any): Promise<any> => client.send(command);
  const failure = async (promise: Promise<unknown>) => promise.then(() => 'no error', (e: Error) => `${e.name}: ${e.message}`);
  const describe_ = async (id: string) => (await send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances[0];

  beforeEach(() => {
    clock = new VirtualClock(new Date('2026-11-27T03:00:00Z'));
    rds = new FakeRds(1);
    rds.instances.addForeignSnapshot('copy-1', 'orders-pg');
  });
  afterEach(() => {
    rds.restore();
    clock.uninstall();
  });

  async function restore(id: string, extra: Record<string, unknown> = {}): Promise<void> {
    await send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: id, DBSnapshotIdentifier: 'copy-1', ...extra }));
  }

  test('a restore makes the whole instance under the snapshot\'s key, creating then available, keeping the source password', async () => {
    await restore('staging-pg-202611270300', { DBSubnetGroupName: 'staging', VpcSecurityGroupIds: ['sg-1'], Tags: [{ Key: 'team', Value: 'data' }] });
    const creating = await describe_('staging-pg-202611270300');
    expect(creating).toMatchObject({
      DBInstanceStatus: 'creating',
      Engine: 'postgres',
      DBSubnetGroup: { DBSubnetGroupName: 'staging' },
      StorageEncrypted: true,
      KmsKeyId: expect.stringMatching(/aws-rds-managed-key$/),
      TagList: [{ Key: 'team', Value: 'data' }],
    });
    expect([creating.Endpoint, creating.MasterUserSecret, creating.DBClusterIdentifier]).toEqual([undefined, undefined, undefined]);
    await clock.advance(rds.databases.timings.restoreMs);
    expect(await describe_('staging-pg-202611270300')).toMatchObject({
      DBInstanceStatus: 'available', Endpoint: { Address: expect.stringMatching(/^staging-pg-202611270300\.c/), Port: 5432 },
    });
    expect(rds.databases.restoredInstances.instance('staging-pg-202611270300')!.password).toEqual({ kind: 'from-snapshot', snapshot: expect.stringMatching(/:snapshot:copy-1$/) });
    expect(await failure(restore('staging-pg-202611270300'))).toMatch(/^DBInstanceAlreadyExistsFault/);
  });

  test('a shared encrypted snapshot does not restore; a missing one is not found', async () => {
    const source = new FakeRds(2, {}, { account: SOURCE, installMock: false });
    source.instances.addForeignSnapshot('shared-1', 'orders-pg');
    source.instances.book.get('shared-1')!.restore.push(rds.account);
    rds.network = {
      accounts: [SOURCE],
      snapshotsOf: (owner, kind) => (owner === SOURCE ? source.ownSnapshotsOf(kind) : undefined),
      keyAllows: () => true,
      progress: () => undefined,
    };
    expect(await failure(restore('staging-pg', { DBSnapshotIdentifier: `arn:aws:rds:eu-west-1:${SOURCE}:snapshot:shared-1` })))
      .toMatch(/^InvalidRestoreFault: Cannot restore a DB instance from shared encrypted snapshot/);
    expect(await failure(restore('staging-pg', { DBSnapshotIdentifier: 'no-such-copy' }))).toMatch(/^DBSnapshotNotFoundFault/);
  });

  test('a rename frees the old name at once and takes the new one in about 10 minutes; the instance is renaming meanwhile', async () => {
    await restore('staging-pg-1');
    await clock.advance(rds.databases.timings.restoreMs);
    await send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'staging-pg-1', NewDBInstanceIdentifier: 'staging-pg', DeletionProtection: true, ApplyImmediately: true }));
    expect(await failure(describe_('staging-pg-1'))).toMatch(/^DBInstanceNotFoundFault/);
    expect(await describe_('staging-pg')).toMatchObject({ DBInstanceStatus: 'renaming', DeletionProtection: true });
    const { names } = rds.databases.restoredInstances;
    expect(names.resolve('staging-pg')).toBeUndefined();
    expect(await failure(send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'staging-pg', DeletionProtection: false })))).toMatch(/^InvalidDBInstanceStateFault/);
    await clock.advance(10 * MINUTE);
    expect((await describe_('staging-pg')).DBInstanceStatus).toBe('available');
    expect(names.resolve('staging-pg')).toBe(rds.databases.restoredInstances.instance('staging-pg')!.resourceId);
    // Without ApplyImmediately the rename waits for a maintenance window.
    await send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'staging-pg', NewDBInstanceIdentifier: 'later' }));
    expect(await describe_('staging-pg')).toMatchObject({ PendingModifiedValues: { DBInstanceIdentifier: 'later' } });
  });

  test('ManageMasterUserPassword creates a new rds!db secret, which goes with the instance', async () => {
    await restore('staging-pg-1');
    await clock.advance(rds.databases.timings.restoreMs);
    expect(await failure(send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'staging-pg-1', ManageMasterUserPassword: true, MasterUserPassword: 'x' }))))
      .toMatch(/^InvalidParameterCombination/);
    await send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'staging-pg-1', ManageMasterUserPassword: true, ApplyImmediately: true }));
    expect(await describe_('staging-pg-1')).toMatchObject({ DBInstanceStatus: 'modifying', MasterUserSecret: { SecretArn: expect.stringMatching(/:secret:rds!db-/), SecretStatus: 'creating' } });
    await clock.advance(rds.databases.timings.modifyMs);
    const secret = (await describe_('staging-pg-1')).MasterUserSecret;
    expect(secret.SecretStatus).toBe('active');
    await send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'staging-pg-1', SkipFinalSnapshot: true }));
    await clock.advance(rds.databases.timings.deleteMs);
    expect(await failure(describe_('staging-pg-1'))).toMatch(/^DBInstanceNotFoundFault/);
    expect(rds.databases.secrets.get(secret.SecretArn)!.deletedAt).toBeDefined();
  });

  test('a deletion refuses a protected instance and wants a final snapshot unless skipped', async () => {
    await restore('staging-pg-1', { DeletionProtection: true, Tags: [{ Key: 'team', Value: 'data' }] });
    await clock.advance(rds.databases.timings.restoreMs);
    expect(await failure(send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'staging-pg-1', SkipFinalSnapshot: true }))))
      .toMatch(/^InvalidParameterCombination: Cannot delete protected DB Instance/);
    await send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'staging-pg-1', DeletionProtection: false, ApplyImmediately: true }));
    expect(await failure(send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'staging-pg-1' })))).toMatch(/FinalDBSnapshotIdentifier is required/);
    await send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'staging-pg-1', FinalDBSnapshotIdentifier: 'staging-pg-1-final' }));
    expect(await failure(send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'staging-pg-1', SkipFinalSnapshot: true })))).toMatch(/^InvalidDBInstanceStateFault/);
    await clock.advance(rds.databases.timings.deleteMs);
    const final = (await send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'staging-pg-1-final' }))).DBSnapshots[0];
    expect(final).toMatchObject({ DBInstanceIdentifier: 'staging-pg-1', SnapshotType: 'manual', TagList: [{ Key: 'team', Value: 'data' }] });
  });

  test('restored instances are listed beside the others, and share their namespace', async () => {
    rds.instances.addInstance({ identifier: 'orders-pg' });
    await restore('staging-pg-1');
    const listed = (await send(new DescribeDBInstancesCommand({}))).DBInstances.map((i: any) => i.DBInstanceIdentifier);
    expect(listed.sort()).toEqual(['orders-pg', 'staging-pg-1']);
    expect(await failure(restore('orders-pg'))).toMatch(/^DBInstanceAlreadyExistsFault/);
  });
});
