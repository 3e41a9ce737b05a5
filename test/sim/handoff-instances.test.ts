/**
 * The receiver on a mixed fleet, end to end in the simulator: the source account shares an Aurora
 * cluster and DB instances (one an Oracle instance whose option group holds the permanent option
 * `Timezone`, one named like the cluster), and the target's ReceivedClusterSnapshots copies each
 * under its own key, with IAM evaluated on every call and RDS modelled per account
 * (sim/rds-instances.ts: a shared DB snapshot is copied by ARN, re-encrypted with `KmsKeyId`, and
 * one with `Timezone` only with a target option group holding it, `OptionGroupName`).
 */
import type { DBSnapshot } from '@aws-sdk/client-rds';
import { catchUpScan, CLUSTER, copiesIn, DAY, handoff, HOUR, runDay, sourceRun, SOURCE_ACCOUNT, TARGET_ACCOUNT } from './handoff-harness';
import type { HandoffSimulation } from '../../sim/handoff';
import { TAG_ROLE, TARGET_ENV, TARGET_TAG_OWNER, TARGET_TAG_SOURCE_SNAPSHOT } from '../../src/shared/constants';

const MINUTE = 60_000;
const POSTGRES = 'ledger-pg';
const ORACLE = 'billing-oracle';
/** A DB instance with the cluster's identifier: its copies, retention and freshness are its own. */
const TWIN = CLUSTER;
const INSTANCES = [POSTGRES, ORACLE, TWIN];
const TARGET_GROUP = 'target-oracle-tz';
const TIMEZONE = [{ name: 'Timezone', permanent: true, persistent: true }];

let sim: HandoffSimulation;
afterEach(() => sim?.dispose());

/** The source with the cluster and three DB instances; the receiver keeps one copy per database. */
function mixedFleet(receiver: Record<string, unknown> = { optionGroupName: TARGET_GROUP }, withTargetGroup = true): HandoffSimulation {
  const s = handoff({ source: { instanceIdentifiers: INSTANCES }, receiver: { retainCopies: 1, ...receiver } });
  const source = s.account(SOURCE_ACCOUNT).rds.instances;
  source.addInstance({ identifier: POSTGRES, snapshotMs: 6 * MINUTE, copyMs: 7 * MINUTE });
  source.addOptionGroup({ name: 'oracle-tz', engine: 'oracle-ee', options: TIMEZONE });
  source.addInstance({ identifier: ORACLE, engine: 'oracle-ee', optionGroupName: 'oracle-tz', snapshotMs: 9 * MINUTE, copyMs: 9 * MINUTE });
  source.addInstance({ identifier: TWIN, engine: 'mysql', snapshotMs: 5 * MINUTE, copyMs: 5 * MINUTE });
  if (withTargetGroup) s.account(TARGET_ACCOUNT).rds.instances.addOptionGroup({ name: TARGET_GROUP, engine: 'oracle-ee', options: TIMEZONE });
  return s;
}

/** The receiver's copies of a DB instance's snapshots in the target account (its own view). */
function dbCopies(s: HandoffSimulation, instance: string): DBSnapshot[] {
  return s.account(TARGET_ACCOUNT).rds.instances.snapshotsOf(instance).filter((c) => c.TagList?.some((t) => t.Key === TARGET_TAG_OWNER));
}
const sourceArnOf = (c: { TagList?: { Key?: string; Value?: string }[] }) => c.TagList?.find((t) => t.Key === TARGET_TAG_SOURCE_SNAPSHOT)?.Value;
const sharedDbSnapshots = (s: HandoffSimulation, instance: string) =>
  s.account(SOURCE_ACCOUNT).rds.instances.snapshotsOf(instance).filter((x) => x.TagList?.some((t) => t.Key === TAG_ROLE && t.Value === 'shared'));
const copyKeyOf = (s: HandoffSimulation) => s.account(TARGET_ACCOUNT).findFunction('copy-shared-snapshot.lambda.ts').environment[TARGET_ENV.COPY_KEY_ARN];

describe('the receiver on a mixed fleet (an Aurora cluster, DB instances)', () => {
  test('owns a copy of each database under its own key; the Oracle Timezone copy is made with OptionGroupName; retention deletes only its own older copies, after the new one is available', async () => {
    sim = mixedFleet();
    await sourceRun(sim, 0);
    await sourceRun(sim, 1);
    const target = sim.account(TARGET_ACCOUNT);
    expect(target.executions.map((e) => e.status)).toEqual(Array(8).fill('SUCCEEDED'));

    // Each database: one copy (retainCopies 1), of the source's newest shared snapshot, on the receiver's key.
    expect(copiesIn(sim).map((c) => [c.Status, c.KmsKeyId])).toEqual([['available', copyKeyOf(sim)]]);
    for (const instance of INSTANCES) {
      const [newest] = sharedDbSnapshots(sim, instance);
      const copies = dbCopies(sim, instance);
      expect(copies.map((c) => [c.Status, c.KmsKeyId, c.SnapshotType, sourceArnOf(c)])).toEqual([['available', copyKeyOf(sim), 'manual', newest.DBSnapshotArn]]);
      expect(copies[0].DBSnapshotArn).toContain(`:${TARGET_ACCOUNT}:snapshot:received-`);
    }
    // The cluster and the DB instance named alike: a cluster snapshot copy and a DB snapshot copy, each of its own source.
    expect(sourceArnOf(copiesIn(sim)[0])).toContain(':cluster-snapshot:');
    expect(sourceArnOf(dbCopies(sim, TWIN)[0])).toContain(':snapshot:');

    // Only the Oracle copy names an option group: the receiver's, holding Timezone.
    const copyCalls = target.rds.calls.filter((c) => c.api === 'CopyDBSnapshot' && !c.error);
    expect(copyCalls).toHaveLength(6);
    expect(dbCopies(sim, ORACLE)[0].OptionGroupName).toBe(TARGET_GROUP);
    expect(dbCopies(sim, POSTGRES)[0].OptionGroupName).not.toBe(TARGET_GROUP);
    expect(target.rds.calls.filter((c) => /Copy/.test(c.api) && c.error)).toEqual([]);

    // Retention: each day-0 copy was deleted, by the receiver, only once its day-1 copy was available.
    const lifecycles = [...target.rds.lifecycles.values(), ...target.rds.instances.lifecycles.values()];
    for (const database of [CLUSTER, POSTGRES, ORACLE]) {
      for (const kind of database === CLUSTER ? ['cluster', 'instance'] : ['instance']) {
        const own = lifecycles.filter((l) => l.clusterId === database && l.kind === kind).sort((a, b) => a.createdAt - b.createdAt);
        expect(own).toHaveLength(2);
        expect(own[0].deletedAt).toBeGreaterThanOrEqual(own[1].availableAt!);
        expect(own[1].deletedAt).toBeUndefined();
      }
    }
    expect(target.rds.calls.filter((c) => c.error === 'AccessDenied')).toEqual([]);
  });

  test('retention never touches a snapshot it did not make: a user\'s own DB snapshot of the instance stays', async () => {
    sim = mixedFleet();
    await sourceRun(sim, 0);
    const target = sim.account(TARGET_ACCOUNT).rds.instances;
    // A snapshot in the target account named like the receiver's copies, without its tags (restored and snapshotted by hand).
    target.addInstance({ identifier: POSTGRES });
    target.addForeignSnapshot('received-by-hand', POSTGRES);
    await sourceRun(sim, 1);
    expect(target.snapshot('received-by-hand')).toMatchObject({ Status: 'available' });
    expect(dbCopies(sim, POSTGRES)).toHaveLength(1);
  });

  test('the catch-up scan copies every kind a lost event missed, learning the Oracle copy\'s option group from RDS, and publishes freshness per database', async () => {
    sim = mixedFleet();
    // The source does not notify: only the scan finds the shares.
    sim.dispose();
    sim = handoff({ source: { instanceIdentifiers: INSTANCES, notifyTargetAccounts: false }, receiver: { optionGroupName: TARGET_GROUP } });
    const source = sim.account(SOURCE_ACCOUNT).rds.instances;
    source.addInstance({ identifier: POSTGRES, snapshotMs: 6 * MINUTE, copyMs: 7 * MINUTE });
    source.addOptionGroup({ name: 'oracle-tz', engine: 'oracle-ee', options: TIMEZONE });
    source.addInstance({ identifier: ORACLE, engine: 'oracle-ee', optionGroupName: 'oracle-tz', snapshotMs: 9 * MINUTE, copyMs: 9 * MINUTE });
    source.addInstance({ identifier: TWIN, engine: 'mysql', snapshotMs: 5 * MINUTE, copyMs: 5 * MINUTE });
    sim.account(TARGET_ACCOUNT).rds.instances.addOptionGroup({ name: TARGET_GROUP, engine: 'oracle-ee', options: TIMEZONE });
    await sourceRun(sim, 0);
    expect(sim.account(TARGET_ACCOUNT).executions).toEqual([]);

    const result = await catchUpScan(sim, new Date(runDay(0).getTime() + 6 * HOUR));
    expect(result.started).toHaveLength(4);
    expect(sim.account(TARGET_ACCOUNT).executions.map((e) => e.status)).toEqual(Array(4).fill('SUCCEEDED'));
    for (const instance of INSTANCES) expect(dbCopies(sim, instance)).toHaveLength(1);
    // Without the event's hint, RDS refused the first Oracle copy for want of an option group; the second named it.
    const oracleCopies = sim.account(TARGET_ACCOUNT).rds.calls.filter((c) => c.api === 'CopyDBSnapshot' && c.snapshot?.includes(ORACLE));
    expect(oracleCopies.map((c) => c.error)).toEqual(['InvalidParameterValue', undefined]);
    expect(dbCopies(sim, ORACLE)[0].OptionGroupName).toBe(TARGET_GROUP);

    const next = await catchUpScan(sim, new Date(runDay(0).getTime() + 12 * HOUR));
    expect(next.started).toEqual([]);
    const clusters = next.freshness.map((f: any) => [f.clusterIdentifier, f.databaseKind ?? 'cluster', f.newestCopyAgeSeconds < DAY / 1000]);
    expect(clusters).toEqual([
      [ORACLE, 'instance', true], [POSTGRES, 'instance', true], [TWIN, 'instance', true], [CLUSTER, 'cluster', true],
    ]);
    const published = sim.metrics(TARGET_ACCOUNT, 'NewestCopyAge').map((m) => m.dimensions.SourceCluster).filter((d) => d !== undefined);
    expect(new Set(published)).toEqual(new Set([CLUSTER, `instance:${CLUSTER}`, `instance:${POSTGRES}`, `instance:${ORACLE}`]));
  });

  test('an Oracle Timezone snapshot with no optionGroupName fails by name (OptionGroupRequired), copying nothing; the others are copied', async () => {
    sim = mixedFleet({}, false);
    await sourceRun(sim, 0);
    const target = sim.account(TARGET_ACCOUNT);
    const failed = target.executions.filter((e) => e.status === 'FAILED');
    expect(failed.map((e) => e.error)).toEqual(['OptionGroupRequired']);
    expect(failed[0].cause).toContain('optionGroupName is not set');
    expect(target.rds.calls.filter((c) => c.api === 'CopyDBSnapshot' && c.snapshot?.includes(ORACLE))).toEqual([]);
    expect(dbCopies(sim, ORACLE)).toEqual([]);
    expect(dbCopies(sim, POSTGRES)).toHaveLength(1);
    expect(copiesIn(sim)).toHaveLength(1);
  });

  test('a receiver of clusters only skips the DB instances\' events as notSelected before asking RDS, for which it holds no permission', async () => {
    sim = mixedFleet({ clusterIdentifiers: [CLUSTER] });
    await sourceRun(sim, 0);
    const runs = sim.targetRuns.filter((r) => r.account === TARGET_ACCOUNT);
    expect(runs.map((r) => (r.result as any)?.outcome).sort()).toEqual(['notSelected', 'notSelected', 'notSelected', 'started']);
    expect(runs.every((r) => r.error === undefined)).toBe(true);
    for (const instance of INSTANCES) expect(dbCopies(sim, instance)).toEqual([]);
    expect(copiesIn(sim)).toHaveLength(1);
  });
});
