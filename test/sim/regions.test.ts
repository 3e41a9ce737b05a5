/**
 * The simulator's Regions (sim/rds-regions.ts): RDS and KMS per (account, Region), a call routed
 * by the calling client's Region, cross-Region copies under a key of the destination Region, and
 * copy limits per destination Region.
 */
import {
  CopyDBClusterSnapshotCommand, CopyDBSnapshotCommand, CreateDBClusterSnapshotCommand, CreateDBSnapshotCommand, DeleteDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotsCommand, RDSClient,
} from '@aws-sdk/client-rds';
import { REGION, snapshotArn } from '../../sim/aws-env';
import { FakeRds } from '../../sim/fake-rds';
import { CROSS_REGION_COPY_MS } from '../../sim/rds-regions';
import { VirtualClock } from '../../sim/virtual-clock';

const DR = 'us-east-1';
const OTHER_DR = 'eu-central-1';
const HOME_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/home-key';

describe('simulated Regions', () => {
  let rds: FakeRds;
  let clock: VirtualClock;
  const home = new RDSClient({ region: REGION });
  const dr = new RDSClient({ region: DR });
  beforeEach(() => {
    clock = new VirtualClock(new Date('2026-11-27T03:00:00Z'));
    rds = new FakeRds(1);
    rds.addCluster({ identifier: 'orders-db', kmsKeyId: HOME_KEY, snapshotMs: 60_000 });
  });
  afterEach(() => {
    rds.restore();
    clock.uninstall();
  });

  async function homeSnapshot(id: string): Promise<string> {
    await home.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'orders-db', DBClusterSnapshotIdentifier: id }));
    await clock.advance(60_000);
    return snapshotArn(id);
  }

  function copyTo(client: RDSClient, source: string, target: string, key?: string) {
    return client.send(new CopyDBClusterSnapshotCommand({
      SourceDBClusterSnapshotIdentifier: source, TargetDBClusterSnapshotIdentifier: target, KmsKeyId: key,
    }));
  }

  test('a copy called in the destination Region, by the source ARN, with a key of that Region, lives there alone and takes the cross-Region time', async () => {
    const source = await homeSnapshot('snap-1');
    const drKey = rds.inRegion(DR).kms.addKey('dr-key');
    const out = await copyTo(dr, source, 'replica-1', drKey);
    expect(out.DBClusterSnapshot).toMatchObject({
      DBClusterSnapshotArn: `arn:aws:rds:${DR}:111111111111:cluster-snapshot:replica-1`, Status: 'copying', KmsKeyId: drKey,
    });
    expect(rds.snapshot('replica-1')).toBeUndefined();
    expect(rds.inRegion(DR).snapshot('snap-1')).toBeUndefined();
    expect(rds.regions()).toEqual([REGION, DR]);
    expect(rds.calls.at(-1)).toMatchObject({ api: 'CopyDBClusterSnapshot', region: DR });

    await clock.advance(CROSS_REGION_COPY_MS - 1000);
    expect(rds.inRegion(DR).snapshot('replica-1')?.Status).toBe('copying');
    await clock.advance(1000);
    expect(rds.inRegion(DR).snapshot('replica-1')?.Status).toBe('available');
    const listed = await dr.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' }));
    expect(listed.DBClusterSnapshots?.map((s) => s.DBClusterSnapshotIdentifier)).toEqual(['replica-1']);
    const homeListed = await home.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' }));
    expect(homeListed.DBClusterSnapshots?.map((s) => s.DBClusterSnapshotIdentifier)).toEqual(['snap-1']);
  });

  test('the cross-Region copy time is a configurable model', async () => {
    rds.setFaults({ crossRegionCopyMs: 5 * 60_000 });
    const source = await homeSnapshot('snap-1');
    await copyTo(dr, source, 'replica-1', rds.inRegion(DR).kms.addKey('dr-key'));
    await clock.advance(5 * 60_000);
    expect(rds.inRegion(DR).snapshot('replica-1')?.Status).toBe('available');
  });

  test('a key of another Region, a disabled key, or no key for an encrypted source is refused', async () => {
    const source = await homeSnapshot('snap-1');
    await expect(copyTo(dr, source, 'replica-1', HOME_KEY)).rejects.toMatchObject({ name: 'KMSKeyNotAccessibleFault' });
    await expect(copyTo(dr, source, 'replica-1')).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
    const drKey = rds.inRegion(DR).kms.addKey('dr-key');
    rds.inRegion(DR).kms.disable(drKey);
    await expect(copyTo(dr, source, 'replica-1', drKey)).rejects.toMatchObject({ name: 'KMSKeyNotAccessibleFault', message: expect.stringContaining('disabled') });
    expect(rds.inRegion(DR).snapshotsOf('orders-db')).toEqual([]);
  });

  test('at most 5 cluster snapshot copies per destination Region in progress; each Region counts its own', async () => {
    const sources = [];
    for (let i = 0; i < 7; i++) sources.push(await homeSnapshot(`snap-${i}`));
    const drKey = rds.inRegion(DR).kms.addKey('dr-key');
    for (let i = 0; i < 5; i++) await copyTo(dr, sources[i], `replica-${i}`, drKey);
    await expect(copyTo(dr, sources[5], 'replica-5', drKey)).rejects.toMatchObject({ name: 'SnapshotQuotaExceededFault' });
    expect(rds.inRegion(DR).copiesInProgress()).toBe(5);
    // Another destination Region, and the home Region, still have their slots.
    await copyTo(new RDSClient({ region: OTHER_DR }), sources[5], 'replica-5', rds.inRegion(OTHER_DR).kms.addKey('k'));
    await copyTo(home, sources[6], 'local-6', HOME_KEY);
    expect(rds.copiesInProgress()).toBe(1);
    expect(rds.inRegion(OTHER_DR).copiesInProgress()).toBe(1);
  });

  test('at most 20 DB snapshot copies in progress per destination Region', async () => {
    rds.instances.addInstance({ identifier: 'billing-db', kmsKeyId: HOME_KEY, snapshotMs: 60_000 });
    const drKey = rds.inRegion(DR).kms.addKey('dr-key');
    for (let i = 0; i < 21; i++) {
      await home.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'billing-db', DBSnapshotIdentifier: `db-snap-${i}` }));
    }
    await clock.advance(60_000);
    const copy = (i: number) => dr.send(new CopyDBSnapshotCommand({
      SourceDBSnapshotIdentifier: `arn:aws:rds:${REGION}:111111111111:snapshot:db-snap-${i}`, TargetDBSnapshotIdentifier: `db-replica-${i}`, KmsKeyId: drKey,
    }));
    for (let i = 0; i < 20; i++) await copy(i);
    await expect(copy(20)).rejects.toMatchObject({ name: 'SnapshotQuotaExceededFault' });
    expect(rds.inRegion(DR).instances.snapshot('db-replica-0')).toMatchObject({ Status: 'copying', KmsKeyId: drKey });
  });

  test('a client without a Region is served in the home Region', async () => {
    const source = await homeSnapshot('snap-1');
    const noRegion = new RDSClient({ region: async () => { throw new Error('Region is missing'); } });
    const out = await noRegion.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'snap-1' }));
    expect(out.DBClusterSnapshots?.[0].DBClusterSnapshotArn).toBe(source);
  });

  test('deleting the source of a cross-Region copy in progress fails the copy (the worse of "might")', async () => {
    const source = await homeSnapshot('snap-1');
    await copyTo(dr, source, 'replica-1', rds.inRegion(DR).kms.addKey('dr-key'));
    await home.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: 'snap-1' }));
    expect(rds.inRegion(DR).snapshot('replica-1')?.Status).toBe('failed');
  });

  test('another account\'s snapshot cannot be copied across Regions in one step', async () => {
    const foreign = 'arn:aws:rds:eu-west-1:999999999999:cluster-snapshot:theirs';
    await expect(copyTo(dr, foreign, 'replica-1', rds.inRegion(DR).kms.addKey('dr-key'))).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
  });
});
