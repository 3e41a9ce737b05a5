/**
 * Issue 17, receiver side: a receiver with two replica Regions keeps, in each Region, the newest
 * copies of every source cluster under that Region's key, with their own freshness alarms; a
 * replica Region whose key is disabled fails by name and does not disturb the home Region or the
 * other replica. Simulated end to end (source, events, copies, cross-Region copies, IAM enforced).
 */
import type { DBClusterSnapshot } from '@aws-sdk/client-rds';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CLUSTER, catchUpScan, DAY, handoff, HOUR, runDay, sourceRun, TARGET_ACCOUNT } from './handoff-harness';
import { REGION } from '../../sim/aws-env';
import type { HandoffSimulation } from '../../sim/handoff';
import type { ReceivedClusterSnapshotsProps } from '../../src';
import { EVENT_DETAIL_TYPE, TARGET_ERROR, TARGET_TAG_OWNER, TARGET_TAG_SOURCE_SNAPSHOT_TIME } from '../../src/shared/constants';

const EAST = 'us-east-1';
const CENTRAL = 'eu-central-1';
const EAST_KEY = `arn:aws:kms:${EAST}:${TARGET_ACCOUNT}:key/dr-east`;
const CENTRAL_KEY = `arn:aws:kms:${CENTRAL}:${TARGET_ACCOUNT}:key/dr-central`;
const SECOND_CLUSTER = 'billing-db';
const CLUSTERS = [CLUSTER, SECOND_CLUSTER];

/** The receiver's props: each replica key by its ARN (an imported key: only its ARN is read). */
function replicaProps(): Partial<ReceivedClusterSnapshotsProps> {
  return {
    retainCopies: 2,
    replicaRegions: [
      { region: EAST, encryptionKey: { keyArn: EAST_KEY } as kms.IKey, retainCopies: 1 },
      { region: CENTRAL, encryptionKey: { keyArn: CENTRAL_KEY } as kms.IKey },
    ],
  };
}

function ownCopies(sim: HandoffSimulation, region: string, cluster: string): DBClusterSnapshot[] {
  return sim.account(TARGET_ACCOUNT).rds.inRegion(region).snapshotsOf(cluster).filter((s) => s.TagList?.some((t) => t.Key === TARGET_TAG_OWNER));
}

const sourceTime = (s: DBClusterSnapshot) => s.TagList?.find((t) => t.Key === TARGET_TAG_SOURCE_SNAPSHOT_TIME)?.Value;

describe('replica Regions on the receiver', () => {
  let sim: HandoffSimulation;
  afterEach(() => sim?.dispose());

  test('two replica Regions keep the newest copies of every source cluster under their own keys, with their own freshness alarms; a disabled key fails that Region by name alone', async () => {
    sim = handoff({ receiver: replicaProps(), source: { clusterIdentifiers: CLUSTERS } });
    sim.account('111111111111').rds.addCluster({ identifier: SECOND_CLUSTER, snapshotMs: 6 * 60_000, copyMs: 9 * 60_000 });
    const target = sim.account(TARGET_ACCOUNT);
    for (const day of [0, 1, 2]) {
      await sourceRun(sim, day);
      await catchUpScan(sim, new Date(runDay(day).getTime() + 6 * HOUR));
    }

    for (const cluster of CLUSTERS) {
      const home = ownCopies(sim, REGION, cluster);
      expect(home).toHaveLength(2);
      const newest = home.map(sourceTime).sort().slice(-1);
      // us-east-1 keeps 1 (its own retainCopies), eu-central-1 the receiver's 2; each under its Region's key.
      expect(ownCopies(sim, EAST, cluster).map((s) => [s.Status, s.KmsKeyId, sourceTime(s)])).toEqual([['available', EAST_KEY, newest[0]]]);
      const central = ownCopies(sim, CENTRAL, cluster);
      expect(central.map((s) => [s.Status, s.KmsKeyId])).toEqual([['available', CENTRAL_KEY], ['available', CENTRAL_KEY]]);
      expect(central.map(sourceTime).sort()).toEqual(home.map(sourceTime).sort());
    }
    expect(target.executions.filter((e) => e.status !== 'SUCCEEDED')).toEqual([]);
    const replicated = sim.buses.to(TARGET_ACCOUNT, EVENT_DETAIL_TYPE.replicated);
    expect(replicated.map((r) => r.outcome)).toEqual(Array(2 * 3 * 2).fill('delivered'));

    // One freshness alarm per replica Region, on its own series; all OK while replicas arrive.
    const alarms = sim.alarms(TARGET_ACCOUNT).filter((a) => a.metricName === 'NewestCopyAge');
    const regionOf = (a: (typeof alarms)[number]) => a.dimensions?.Region ?? 'home';
    expect(alarms.map(regionOf).sort()).toEqual([CENTRAL, EAST, 'home'].sort());
    for (const alarm of alarms) expect([regionOf(alarm), sim.alarmState(TARGET_ACCOUNT, alarm, Date.now() + HOUR)]).toEqual([regionOf(alarm), 'OK']);

    // eu-central-1's key is disabled: its replicas fail by name; home and us-east-1 carry on.
    target.rds.inRegion(CENTRAL).kms.disable(CENTRAL_KEY);
    const before = target.executions.length;
    await sourceRun(sim, 3);
    const day3 = target.executions.slice(before);
    const failed = day3.filter((e) => e.status !== 'SUCCEEDED');
    const byName = failed.map((e) => [e.error, (e.input as { region?: string }).region]);
    expect(byName).toEqual(CLUSTERS.map(() => [TARGET_ERROR.ReplicaKeyNotAccessible, CENTRAL]));
    expect(day3.filter((e) => e.status === 'SUCCEEDED')).toHaveLength(2 * 2);
    for (const cluster of CLUSTERS) {
      const newest = ownCopies(sim, REGION, cluster).map(sourceTime).sort().slice(-1)[0];
      expect(newest! > runDay(3).toISOString()).toBe(true);
      expect(ownCopies(sim, EAST, cluster).map(sourceTime)).toEqual([newest]);
      // eu-central-1 keeps what it had: nothing deleted, nothing new.
      expect(ownCopies(sim, CENTRAL, cluster).every((s) => s.Status === 'available' && sourceTime(s)! < runDay(3).toISOString())).toBe(true);
    }

    // The Region's freshness alarm fires once its newest replica is older than maxCopyAge (26 h); the others stay OK.
    for (const hour of [6, 12, 18, 24]) await catchUpScan(sim, new Date(runDay(3).getTime() + hour * HOUR));
    const at = runDay(3).getTime() + DAY + HOUR;
    const states = Object.fromEntries(alarms.map((a) => [regionOf(a), sim.alarmState(TARGET_ACCOUNT, a, at)]));
    expect(states).toEqual({ home: 'OK', [EAST]: 'OK', [CENTRAL]: 'ALARM' });
  });
});
