/**
 * The in-memory RDS models DB instances, their snapshots and option groups, and Multi-AZ DB
 * clusters, as AWS documents them (sources in sim/rds-instances.ts, sim/rds-store.ts and
 * sim/rds-sharing.ts).
 */
import {
  CopyDBClusterSnapshotCommand, CopyDBSnapshotCommand, CreateDBClusterSnapshotCommand, CreateDBSnapshotCommand, DeleteDBSnapshotCommand,
  DescribeAccountAttributesCommand, DescribeDBInstancesCommand, DescribeDBSnapshotAttributesCommand, DescribeDBSnapshotsCommand,
  DescribeOptionGroupsCommand, ModifyDBClusterSnapshotAttributeCommand, ModifyDBSnapshotAttributeCommand, RDSClient,
} from '@aws-sdk/client-rds';
import { AccountRouter } from '../../sim/account-router';
import { AWS_MANAGED_RDS_KEY, AWS_OWNED_KEY, callContext } from '../../sim/aws-env';
import { FakeRds } from '../../sim/fake-rds';
import { authorizationRequests } from '../../sim/rds-authorization';
import { VirtualClock } from '../../sim/virtual-clock';

const SHARING_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/sharing-key';
const MINUTE = 60_000;
const TDE_GROUP = { name: 'oracle-tde', engine: 'oracle-ee', majorEngineVersion: '19', options: [{ name: 'TDE', permanent: true, persistent: true }] };
const TIMEZONE_GROUP = { name: 'oracle-tz', engine: 'oracle-ee', majorEngineVersion: '19', options: [{ name: 'Timezone', permanent: true, persistent: true }] };

describe('in-memory RDS: DB instances', () => {
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

  const snapshot = (instance: string, id: string) =>
    client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: instance, DBSnapshotIdentifier: id }));
  const copy = (source: string, target: string, more: object = {}) =>
    client.send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: source, TargetDBSnapshotIdentifier: target, ...more }));
  const share = (id: string, accounts: string[]) =>
    client.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: id, AttributeName: 'restore', ValuesToAdd: accounts }));
  const status = (id: string) => rds.instances.snapshot(id)?.Status;

  test('DescribeDBInstances reports Aurora members, read replicas, engine, encryption and option groups', async () => {
    rds.instances.addInstance({ identifier: 'orders-pg' });
    rds.instances.addInstance({ identifier: 'orders-pg-replica', readReplicaSourceIdentifier: 'orders-pg' });
    rds.instances.addInstance({ identifier: 'aurora-1', engine: 'aurora-postgresql', clusterIdentifier: 'orders-db' });
    rds.instances.addOptionGroup(TDE_GROUP);
    rds.instances.addInstance({ identifier: 'ledger-ora', engine: 'oracle-ee', kmsKeyId: SHARING_KEY, optionGroupName: 'oracle-tde' });
    rds.instances.addInstance({ identifier: 'owned', kmsKeyId: AWS_OWNED_KEY });
    const { DBInstances } = await client.send(new DescribeDBInstancesCommand({}));
    const byId = new Map(DBInstances!.map((i) => [i.DBInstanceIdentifier, i]));
    expect(byId.get('orders-pg')).toMatchObject({
      Engine: 'postgres',
      DBInstanceStatus: 'available',
      StorageEncrypted: true,
      StorageEncryptionType: 'sse-kms',
      KmsKeyId: AWS_MANAGED_RDS_KEY,
      OptionGroupMemberships: [{ OptionGroupName: 'default:postgres-16', Status: 'in-sync' }],
      DBInstanceArn: 'arn:aws:rds:eu-west-1:111111111111:db:orders-pg',
    });
    expect(byId.get('orders-pg')!.DBClusterIdentifier).toBeUndefined();
    expect(byId.get('orders-pg-replica')!.ReadReplicaSourceDBInstanceIdentifier).toBe('orders-pg');
    expect(byId.get('aurora-1')).toMatchObject({ DBClusterIdentifier: 'orders-db', Engine: 'aurora-postgresql' });
    expect(byId.get('ledger-ora')).toMatchObject({ KmsKeyId: SHARING_KEY, OptionGroupMemberships: [{ OptionGroupName: 'oracle-tde' }] });
    expect(byId.get('owned')).toMatchObject({ StorageEncrypted: false, StorageEncryptionType: 'sse-rds' });
    await expect(client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'nope' }))).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
    const { OptionGroupsList } = await client.send(new DescribeOptionGroupsCommand({ OptionGroupName: 'oracle-tde' }));
    expect(OptionGroupsList![0].Options).toEqual([{ OptionName: 'TDE', Permanent: true, Persistent: true }]);
    await expect(client.send(new DescribeOptionGroupsCommand({ OptionGroupName: 'nope' }))).rejects.toMatchObject({ name: 'OptionGroupNotFoundFault' });
  });

  test('CreateDBSnapshot: an Aurora member is refused with the documented message; a busy instance, a taken id and a full quota too', async () => {
    rds.instances.addInstance({ identifier: 'aurora-1', engine: 'aurora-postgresql', clusterIdentifier: 'orders-db' });
    rds.instances.addInstance({ identifier: 'busy', busyUntil: Date.now() + MINUTE });
    rds.instances.addInstance({ identifier: 'orders-pg', snapshotMs: 5 * MINUTE });
    await expect(snapshot('aurora-1', 's1')).rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('member of a cluster') });
    await expect(snapshot('busy', 's1')).rejects.toMatchObject({ name: 'InvalidDBInstanceStateFault' });
    await expect(snapshot('nope', 's1')).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
    await expect(snapshot('orders-pg', `s${'x'.repeat(255)}`)).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    const long = `s${'x'.repeat(254)}`; // 255 characters: allowed for DB snapshots
    await expect(snapshot('orders-pg', long)).resolves.toMatchObject({ DBSnapshot: { Status: 'creating', DBInstanceIdentifier: 'orders-pg' } });
    await expect(snapshot('orders-pg', long)).rejects.toMatchObject({ name: 'DBSnapshotAlreadyExistsFault' });
    await clock.advance(5 * MINUTE);
    expect(status(long)).toBe('available');
    rds.setFaults({ manualInstanceSnapshotQuota: 1 });
    await expect(snapshot('orders-pg', 's2')).rejects.toMatchObject({ name: 'SnapshotQuotaExceededFault' });
  });

  test('instance snapshots have their own quota (ManualSnapshots) beside the cluster one', async () => {
    rds.addCluster({ identifier: 'orders-db' });
    rds.instances.addInstance({ identifier: 'orders-pg' });
    await snapshot('orders-pg', 'a');
    await snapshot('orders-pg', 'b');
    await client.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'orders-db', DBClusterSnapshotIdentifier: 'a' })); // separate namespaces
    rds.instances.addAutomatedSnapshot('orders-pg', Date.now() - 60 * MINUTE); // not counted
    const { AccountQuotas } = await client.send(new DescribeAccountAttributesCommand({}));
    expect(AccountQuotas).toEqual(expect.arrayContaining([
      { AccountQuotaName: 'ManualSnapshots', Used: 2, Max: 100 },
      { AccountQuotaName: 'ManualClusterSnapshots', Used: 1, Max: 100 },
    ]));
  });

  test('a copy may encrypt an unencrypted snapshot or re-encrypt one; it is refused past the copy limit; copies of one instance queue (pending)', async () => {
    rds.instances.addInstance({ identifier: 'plain', kmsKeyId: null, snapshotMs: 0, copyMs: 10 * MINUTE });
    await snapshot('plain', 'p1');
    await clock.advance(1);
    await copy('p1', 'p2', { KmsKeyId: SHARING_KEY });
    expect(rds.instances.snapshot('p2')).toMatchObject({ Encrypted: true, StorageEncryptionType: 'sse-kms', KmsKeyId: SHARING_KEY, Status: 'copying' });
    await copy('p1', 'p3', { KmsKeyId: SHARING_KEY });
    expect(status('p3')).toBe('pending'); // queued behind p2
    await clock.advance(10 * MINUTE);
    expect([status('p2'), status('p3')]).toEqual(['available', 'copying']);
    await clock.advance(10 * MINUTE);
    expect(status('p3')).toBe('available');
    rds.setFaults({ instanceCopiesInProgressLimit: 1 });
    await copy('p1', 'p4');
    await expect(copy('p1', 'p5')).rejects.toMatchObject({ name: 'SnapshotQuotaExceededFault' });
  });

  test('automated snapshots: listed by type, described by id only with SnapshotType, copied to a manual snapshot, never shared, modified or deleted', async () => {
    rds.instances.addInstance({ identifier: 'orders-pg', copyMs: 5 * MINUTE });
    const auto = rds.instances.addAutomatedSnapshot('orders-pg', Date.now() - 2 * 60 * MINUTE);
    expect(auto).toBe('rds:orders-pg-2026-11-27-01-00');
    const automated = await client.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'orders-pg', SnapshotType: 'automated' }));
    expect(automated.DBSnapshots!.map((s) => [s.DBSnapshotIdentifier, s.SnapshotType, s.Status])).toEqual([[auto, 'automated', 'available']]);
    expect((await client.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual' }))).DBSnapshots).toEqual([]);
    await expect(client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: auto }))).rejects.toMatchObject({ name: 'DBSnapshotNotFoundFault' });
    await expect(client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: auto, SnapshotType: 'automated' }))).resolves.toMatchObject({ DBSnapshots: [{ SnapshotType: 'automated' }] });
    await expect(share(auto, ['222222222222'])).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: auto }))).rejects.toMatchObject({ name: 'InvalidDBSnapshotStateFault' });
    await expect(client.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: auto })))
      .resolves.toMatchObject({ DBSnapshotAttributesResult: { DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [] }] } });
    // One copy re-encrypts it into a shareable manual snapshot, which keeps the data's time.
    await copy(auto, 'shared-1', { KmsKeyId: SHARING_KEY });
    await clock.advance(5 * MINUTE);
    expect(rds.instances.snapshot('shared-1')).toMatchObject({ SnapshotType: 'manual', Status: 'available', KmsKeyId: SHARING_KEY });
    expect(rds.instances.snapshot('shared-1')!.OriginalSnapshotCreateTime).toEqual(new Date('2026-11-27T01:00:00Z'));
    await share('shared-1', ['222222222222']);
    expect(rds.instances.restoreAccounts('shared-1')).toEqual(['222222222222']);
  });

  test('sharing refuses aws/rds and AWS-owned keys, TDE and permanent options, but not Oracle Timezone', async () => {
    rds.instances.addOptionGroup(TDE_GROUP);
    rds.instances.addOptionGroup(TIMEZONE_GROUP);
    rds.instances.addOptionGroup({ name: 'sqlserver-tde', engine: 'sqlserver-ee', options: [{ name: 'TDE', persistent: true }] });
    rds.instances.addOptionGroup({ name: 'oracle-perm', engine: 'oracle-ee', options: [{ name: 'SOME_PERMANENT', permanent: true }] });
    rds.instances.addInstance({ identifier: 'managed', snapshotMs: 0 });
    rds.instances.addInstance({ identifier: 'owned', kmsKeyId: AWS_OWNED_KEY, snapshotMs: 0 });
    rds.instances.addInstance({ identifier: 'ora-tde', engine: 'oracle-ee', kmsKeyId: SHARING_KEY, optionGroupName: 'oracle-tde', snapshotMs: 0 });
    rds.instances.addInstance({ identifier: 'mssql-tde', engine: 'sqlserver-ee', kmsKeyId: SHARING_KEY, optionGroupName: 'sqlserver-tde', snapshotMs: 0 });
    rds.instances.addInstance({ identifier: 'ora-perm', engine: 'oracle-ee', kmsKeyId: SHARING_KEY, optionGroupName: 'oracle-perm', snapshotMs: 0 });
    rds.instances.addInstance({ identifier: 'ora-tz', engine: 'oracle-ee', kmsKeyId: SHARING_KEY, optionGroupName: 'oracle-tz', snapshotMs: 0 });
    for (const id of ['managed', 'owned', 'ora-tde', 'mssql-tde', 'ora-perm', 'ora-tz']) await snapshot(id, `${id}-1`);
    await clock.advance(1);
    for (const id of ['managed', 'owned', 'ora-tde', 'mssql-tde', 'ora-perm']) {
      await expect(share(`${id}-1`, ['222222222222'])).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    }
    await share('ora-tz-1', ['222222222222']);
    expect(rds.instances.snapshot('ora-tz-1')).toMatchObject({ OptionGroupName: 'oracle-tz', Engine: 'oracle-ee' });
  });

  test('DescribeDBSnapshots pages with a Marker, refuses unknown filters, and filters by instance (id or ARN), id, engine and type', async () => {
    rds.instances.addInstance({ identifier: 'a', snapshotMs: 0 });
    rds.instances.addInstance({ identifier: 'b', engine: 'mysql', snapshotMs: 0 });
    for (let i = 0; i < 25; i++) await snapshot('a', `a-${i}`);
    await snapshot('b', 'b-0');
    const first = await client.send(new DescribeDBSnapshotsCommand({ MaxRecords: 20 }));
    const second = await client.send(new DescribeDBSnapshotsCommand({ MaxRecords: 20, Marker: first.Marker }));
    expect([first.DBSnapshots!.length, second.DBSnapshots!.length, second.Marker]).toEqual([20, 6, undefined]);
    await expect(client.send(new DescribeDBSnapshotsCommand({ MaxRecords: 10 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(client.send(new DescribeDBSnapshotsCommand({ Filters: [{ Name: 'status', Values: ['available'] }] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    const ids = async (filters: { Name: string; Values: string[] }[]) =>
      (await client.send(new DescribeDBSnapshotsCommand({ Filters: filters }))).DBSnapshots!.map((s) => s.DBSnapshotIdentifier);
    expect(await ids([{ Name: 'db-instance-id', Values: ['arn:aws:rds:eu-west-1:111111111111:db:b'] }])).toEqual(['b-0']);
    expect(await ids([{ Name: 'engine', Values: ['mysql'] }, { Name: 'snapshot-type', Values: ['manual'] }])).toEqual(['b-0']);
    expect(await ids([{ Name: 'db-snapshot-id', Values: ['a-3'] }])).toEqual(['a-3']);
  });

  test('deleting: a snapshot being created is refused, a copy in progress is cancelled, the source of a copy in progress is kept', async () => {
    rds.instances.addInstance({ identifier: 'orders-pg', snapshotMs: 5 * MINUTE });
    await snapshot('orders-pg', 'src');
    await expect(client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'src' }))).rejects.toMatchObject({ name: 'InvalidDBSnapshotStateFault' });
    await clock.advance(5 * MINUTE);
    await copy('src', 'dst', { KmsKeyId: SHARING_KEY });
    await expect(client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'src' }))).rejects.toMatchObject({ name: 'InvalidDBSnapshotStateFault' });
    await client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'dst' }));
    expect(rds.instances.snapshot('dst')).toBeUndefined();
    expect(rds.instances.lifecycles.get('dst')!.deletedAt).toBe(Date.now());
    await expect(client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'dst' }))).rejects.toMatchObject({ name: 'DBSnapshotNotFoundFault' });
  });
});

describe('in-memory RDS: Multi-AZ DB clusters', () => {
  test('their snapshots are taken and shared like Aurora ones, but cannot be copied', async () => {
    const clock = new VirtualClock(new Date('2026-11-27T03:00:00Z'));
    const rds = new FakeRds(1);
    const client = new RDSClient({ region: 'eu-west-1' });
    try {
      rds.addCluster({ identifier: 'maz-pg', engine: 'postgres', kmsKeyId: SHARING_KEY, snapshotMs: MINUTE });
      await client.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'maz-pg', DBClusterSnapshotIdentifier: 'maz-1' }));
      await clock.advance(MINUTE);
      expect(rds.snapshot('maz-1')).toMatchObject({ Engine: 'postgres', Status: 'available' });
      await expect(client.send(new CopyDBClusterSnapshotCommand({ SourceDBClusterSnapshotIdentifier: 'maz-1', TargetDBClusterSnapshotIdentifier: 'maz-2', KmsKeyId: SHARING_KEY })))
        .rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('Multi-AZ') });
      await client.send(new ModifyDBClusterSnapshotAttributeCommand({ DBClusterSnapshotIdentifier: 'maz-1', AttributeName: 'restore', ValuesToAdd: ['222222222222'] }));
      expect(rds.restoreAccounts('maz-1')).toEqual(['222222222222']);
    } finally {
      rds.restore();
      clock.uninstall();
    }
  });
});

describe('in-memory RDS: DB snapshots across accounts', () => {
  const SOURCE = '111111111111';
  const TARGET = '222222222222';
  test('a shared DB snapshot is visible to the target by ARN; its copy needs KmsKeyId, and a Timezone snapshot a target option group', async () => {
    const clock = new VirtualClock(new Date('2026-11-27T03:00:00Z'));
    const router = new AccountRouter();
    const source = new FakeRds(1, {}, { account: SOURCE, installMock: false });
    const target = new FakeRds(2, { sharedCopyMs: 5 * MINUTE }, { account: TARGET, installMock: false });
    const accounts = [SOURCE, TARGET];
    const byAccount = new Map([[SOURCE, source], [TARGET, target]]);
    for (const rds of byAccount.values()) {
      rds.network = {
        accounts,
        snapshotsOf: (owner, kind) => byAccount.get(owner)?.ownSnapshotsOf(kind),
        keyAllows: (_key, account) => account === TARGET,
        progress: (owner, s) => byAccount.get(owner)?.progressed(s),
      };
    }
    router.addRds(SOURCE, source);
    router.addRds(TARGET, target);
    const client = new RDSClient({ region: 'eu-west-1' });
    const as = <T>(account: string, fn: () => Promise<T>) => callContext.run({ caller: 'test', account }, fn);
    try {
      source.instances.addOptionGroup(TIMEZONE_GROUP);
      source.instances.addInstance({ identifier: 'ora-tz', engine: 'oracle-ee', kmsKeyId: SHARING_KEY, optionGroupName: 'oracle-tz', snapshotMs: 0 });
      source.instances.addInstance({ identifier: 'orders-pg', kmsKeyId: SHARING_KEY, snapshotMs: 0 });
      await as(SOURCE, async () => {
        await client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'ora-tz', DBSnapshotIdentifier: 'shared-ora' }));
        await client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-pg', DBSnapshotIdentifier: 'shared-pg' }));
        await client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-pg', DBSnapshotIdentifier: 'not-shared' }));
      });
      await clock.advance(1);
      await as(SOURCE, async () => {
        for (const id of ['shared-ora', 'shared-pg']) {
          await client.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: id, AttributeName: 'restore', ValuesToAdd: [TARGET] }));
        }
      });
      const listed = await as(TARGET, () => client.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'shared', IncludeShared: true })));
      const oraArn = `arn:aws:rds:eu-west-1:${SOURCE}:snapshot:shared-ora`;
      expect(listed.DBSnapshots!.map((s) => s.DBSnapshotIdentifier).sort()).toEqual([oraArn, `arn:aws:rds:eu-west-1:${SOURCE}:snapshot:shared-pg`]);
      expect(listed.DBSnapshots!.every((s) => s.SnapshotType === 'shared')).toBe(true);
      expect((await as(TARGET, () => client.send(new DescribeDBSnapshotsCommand({})))).DBSnapshots).toEqual([]); // own only without IncludeShared
      await expect(as(TARGET, () => client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: `arn:aws:rds:eu-west-1:${SOURCE}:snapshot:not-shared` }))))
        .rejects.toMatchObject({ name: 'DBSnapshotNotFoundFault' });

      const copyAs = (more: object) => as(TARGET, () => client.send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: oraArn, TargetDBSnapshotIdentifier: 'received-ora', ...more })));
      await expect(copyAs({})).rejects.toMatchObject({ name: 'InvalidParameterCombination' }); // KmsKeyId required
      await expect(copyAs({ KmsKeyId: 'arn:aws:kms:eu-west-1:222222222222:key/own' }))
        .rejects.toMatchObject({ name: 'InvalidParameterValue', message: 'The snapshot requires a target option group with the following options: [Timezone]' });
      target.instances.addOptionGroup({ name: 'target-tz', engine: 'oracle-ee', options: [{ name: 'Timezone', permanent: true, persistent: true }] });
      await copyAs({ KmsKeyId: 'arn:aws:kms:eu-west-1:222222222222:key/own', OptionGroupName: 'target-tz' });
      await clock.advance(5 * MINUTE);
      expect(target.instances.snapshot('received-ora')).toMatchObject({
        Status: 'available', OptionGroupName: 'target-tz', SourceDBSnapshotIdentifier: oraArn, KmsKeyId: 'arn:aws:kms:eu-west-1:222222222222:key/own',
      });
    } finally {
      router.restore();
      clock.uninstall();
    }
  });
});

describe('IAM authorization of the DB instance calls (Service Authorization Reference)', () => {
  test('CreateDBSnapshot needs the db and the snapshot; a listing without an instance is authorized on db:*', () => {
    const tags = {
      clusterTags: () => [],
      snapshotTags: () => [],
      instanceTags: () => [{ Key: 'share', Value: 'yes' }],
      dbSnapshotTags: () => [{ Key: 'owner', Value: 'me' }],
    };
    expect(authorizationRequests('CreateDBSnapshot', { DBInstanceIdentifier: 'orders-pg', DBSnapshotIdentifier: 's1', Tags: [{ Key: 'owner', Value: 'me' }] }, tags)).toEqual([
      { action: 'rds:CreateDBSnapshot', resource: 'arn:aws:rds:eu-west-1:111111111111:db:orders-pg', context: { 'aws:ResourceTag/share': 'yes', 'aws:RequestTag/owner': 'me' } },
      { action: 'rds:CreateDBSnapshot', resource: 'arn:aws:rds:eu-west-1:111111111111:snapshot:s1', context: { 'aws:RequestTag/owner': 'me' } },
      { action: 'rds:AddTagsToResource', resource: 'arn:aws:rds:eu-west-1:111111111111:snapshot:s1', context: { 'aws:RequestTag/owner': 'me' } },
    ]);
    expect(authorizationRequests('DescribeDBSnapshots', { SnapshotType: 'manual' }, tags)).toEqual([
      { action: 'rds:DescribeDBSnapshots', resource: 'arn:aws:rds:eu-west-1:111111111111:db:*', context: {} },
    ]);
    expect(authorizationRequests('DeleteDBSnapshot', { DBSnapshotIdentifier: 's1' }, tags)).toEqual([
      { action: 'rds:DeleteDBSnapshot', resource: 'arn:aws:rds:eu-west-1:111111111111:snapshot:s1', context: { 'aws:ResourceTag/owner': 'me' } },
    ]);
  });
});
