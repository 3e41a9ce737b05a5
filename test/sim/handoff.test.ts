import { CopyDBClusterSnapshotCommand, DeleteDBClusterSnapshotCommand, DescribeDBClusterSnapshotsCommand, ModifyDBClusterSnapshotAttributeCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  catchUpScan, CLUSTER, copiesIn, handoff, HOUR, putSharedEvent, runDay, sourceArnOf, sourceRun, sourceShared, SOURCE_ACCOUNT, TARGET_ACCOUNT,
} from './handoff-harness';
import { callContext, REGION } from '../../sim/aws-env';
import type { HandoffSimulation } from '../../sim/handoff';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE, TARGET_ENV } from '../../src/shared/constants';

// Both sides of the handoff in one simulation: the source account's SharedClusterSnapshots and the
// target account's ReceivedClusterSnapshots, each with its own RDS, and EventBridge between them.
// The source puts `Cluster Snapshot Shared` on the target's bus itself (`notifyTargetAccounts`).
// Scenarios about duplicate, forged or foreign events turn that off and put the event by hand
// (`putSharedEvent`), so that event is the only one. handoff-source.test.ts holds the source side's
// own scenarios (its events, `retainUntilCopied`, its freshness alarm).

/** A source that puts its Shared events on its own bus only, so a test's hand-put event is the only one a target sees. */
const QUIET_SOURCE = { source: { notifyTargetAccounts: false } };

let sim: HandoffSimulation;
afterEach(() => sim?.dispose());

/** Calls RDS in `account` as a user would (no function role applies). */
async function asUser<T>(account: string, command: any): Promise<T> {
  return callContext.run({ caller: 'user', account }, () => new RDSClient({ region: REGION }).send(command) as Promise<T>);
}

const copyKeyOf = (s: HandoffSimulation) => s.account(TARGET_ACCOUNT).findFunction('copy-shared-snapshot.lambda.ts').environment[TARGET_ENV.COPY_KEY_ARN];
const targetCopyCalls = (s: HandoffSimulation) => s.account(TARGET_ACCOUNT).rds.calls.filter((c) => c.api === 'CopyDBClusterSnapshot' && !c.error);

describe('the receiver in the simulator', () => {
  test('every receiver function runs its handler from src/receiving/handlers (found by its Handler)', () => {
    sim = handoff();
    const fns = [...sim.account(TARGET_ACCOUNT).functionsByArn.values()];
    expect(fns.map((f) => f.source).sort()).toEqual([
      'src/receiving/handlers/check-copy.lambda.ts',
      'src/receiving/handlers/copy-shared-snapshot.lambda.ts',
      'src/receiving/handlers/receive-event.lambda.ts',
      'src/receiving/handlers/retain-copies.lambda.ts',
      'src/receiving/handlers/scan-shared-snapshots.lambda.ts',
    ]);
  });
});

describe('the target account\'s view of the source\'s shares', () => {
  test('follows the restore attribute and deletions; listed as shared, described by ARN', async () => {
    sim = handoff(QUIET_SOURCE);
    await sourceRun(sim, 0);
    const [shared] = sourceShared(sim);
    const byArn = () => asUser<any>(TARGET_ACCOUNT, new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: shared.DBClusterSnapshotArn, SnapshotType: 'shared', IncludeShared: true }));
    const listed = async () => (await asUser<any>(TARGET_ACCOUNT, new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'shared', IncludeShared: true }))).DBClusterSnapshots;

    expect((await byArn()).DBClusterSnapshots[0]).toMatchObject({ DBClusterSnapshotArn: shared.DBClusterSnapshotArn, DBClusterIdentifier: CLUSTER, Status: 'available', SnapshotType: 'shared' });
    expect((await listed()).map((s: any) => s.DBClusterSnapshotArn)).toEqual([shared.DBClusterSnapshotArn]);
    // The target's own manual snapshots do not include it.
    expect((await asUser<any>(TARGET_ACCOUNT, new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' }))).DBClusterSnapshots).toEqual([]);

    await asUser(SOURCE_ACCOUNT, new ModifyDBClusterSnapshotAttributeCommand({ DBClusterSnapshotIdentifier: shared.DBClusterSnapshotIdentifier, AttributeName: 'restore', ValuesToRemove: [TARGET_ACCOUNT] }));
    expect(await listed()).toEqual([]);
    await expect(byArn()).rejects.toMatchObject({ name: 'DBClusterSnapshotNotFoundFault' });

    await asUser(SOURCE_ACCOUNT, new ModifyDBClusterSnapshotAttributeCommand({ DBClusterSnapshotIdentifier: shared.DBClusterSnapshotIdentifier, AttributeName: 'restore', ValuesToAdd: [TARGET_ACCOUNT] }));
    expect(await listed()).toHaveLength(1);
    await asUser(SOURCE_ACCOUNT, new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: shared.DBClusterSnapshotIdentifier }));
    expect(await listed()).toEqual([]);
  });
});

describe('copying a shared snapshot into the target account', () => {
  test('needs KmsKeyId and a source key policy that allows the target; then copies under the target\'s key', async () => {
    sim = handoff();
    await sourceRun(sim, 0);
    const [shared] = sourceShared(sim);
    const copy = (id: string, KmsKeyId?: string) => asUser(TARGET_ACCOUNT, new CopyDBClusterSnapshotCommand({
      SourceDBClusterSnapshotIdentifier: shared.DBClusterSnapshotArn, TargetDBClusterSnapshotIdentifier: id, KmsKeyId,
    }));
    const targetKey = copyKeyOf(sim);
    await expect(copy('by-hand-1')).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
    // The copy names the source by ARN: the source's own identifier means a snapshot of the target account, which has none.
    await expect(asUser(TARGET_ACCOUNT, new CopyDBClusterSnapshotCommand({
      SourceDBClusterSnapshotIdentifier: shared.DBClusterSnapshotIdentifier, TargetDBClusterSnapshotIdentifier: 'by-hand-2', KmsKeyId: targetKey,
    }))).rejects.toMatchObject({ name: 'DBClusterSnapshotNotFoundFault' });

    const keyArn = sim.account(SOURCE_ACCOUNT).sharingKeyArn;
    const policy = sim.keys.statementsOf(keyArn)!;
    sim.keys.setPolicy(keyArn, policy.filter((s) => !JSON.stringify(s).includes('kms:CreateGrant') || !JSON.stringify(s.Principal).includes(TARGET_ACCOUNT)));
    await expect(copy('by-hand-3', targetKey)).rejects.toMatchObject({ name: 'KMSKeyNotAccessibleFault' });

    sim.keys.setPolicy(keyArn, policy);
    const out = await copy('by-hand-4', targetKey) as any;
    expect(out.DBClusterSnapshot).toMatchObject({ DBClusterSnapshotIdentifier: 'by-hand-4', Status: 'copying', KmsKeyId: targetKey, DBClusterIdentifier: CLUSTER });
    expect(out.DBClusterSnapshot.DBClusterSnapshotArn).toContain(`:${TARGET_ACCOUNT}:cluster-snapshot:by-hand-4`);
    // Nothing changed in the source account.
    expect(sim.account(SOURCE_ACCOUNT).rds.snapshot('by-hand-4')).toBeUndefined();
  });
});

describe('handoff scenarios', () => {
  test('happy path: the source shares, the event arrives, the target copies under its own key', async () => {
    sim = handoff();
    await sourceRun(sim, 0);

    const shared = sourceShared(sim);
    expect(shared).toHaveLength(1);
    expect(sim.account(SOURCE_ACCOUNT).rds.restoreAccounts(shared[0].DBClusterSnapshotIdentifier!)).toContain(TARGET_ACCOUNT);
    const event = sim.buses.to(TARGET_ACCOUNT, EVENT_DETAIL_TYPE.shared);
    expect(event.map((r) => [r.from, r.outcome, r.rules.length])).toEqual([[SOURCE_ACCOUNT, 'delivered', 1]]);
    expect(event[0].event).toMatchObject({ account: SOURCE_ACCOUNT, source: EVENT_SOURCE, region: 'eu-west-1', detail: { snapshotArn: shared[0].DBClusterSnapshotArn } });

    expect(sim.account(TARGET_ACCOUNT).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    const copies = copiesIn(sim);
    expect(copies.map((c) => [c.Status, c.KmsKeyId, sourceArnOf(c)])).toEqual([['available', copyKeyOf(sim), shared[0].DBClusterSnapshotArn]]);
    expect(copies[0].DBClusterSnapshotArn).toContain(`:${TARGET_ACCOUNT}:cluster-snapshot:received-`);
  });

  test('a duplicate event, while the copy runs and after it ended, copies nothing twice', async () => {
    sim = handoff(QUIET_SOURCE);
    await sourceRun(sim, 0);
    const [shared] = sourceShared(sim);
    putSharedEvent(sim, shared);
    putSharedEvent(sim, shared);
    await sim.runUntilIdle();
    putSharedEvent(sim, shared);
    await sim.runUntilIdle();

    expect(sim.targetRuns.map((r) => (r.result as any)?.outcome)).toEqual(['started', 'started', 'alreadyStarted']);
    expect(sim.account(TARGET_ACCOUNT).executions).toHaveLength(1);
    expect(targetCopyCalls(sim)).toHaveLength(1);
    expect(copiesIn(sim).map((c) => c.Status)).toEqual(['available']);
  });

  test('a lost event: nothing is copied until the catch-up scan, which copies the shared snapshot', async () => {
    sim = handoff();
    sim.buses.faults = { drop: () => true };
    await sourceRun(sim, 0);
    expect(sim.buses.to(TARGET_ACCOUNT).map((r) => r.outcome)).toEqual(['dropped']);
    expect(copiesIn(sim)).toEqual([]);

    sim.buses.faults = {};
    const scan = await catchUpScan(sim, new Date(runDay(0).getTime() + HOUR));
    const [shared] = sourceShared(sim);
    expect(scan.started).toEqual([shared.DBClusterSnapshotArn]);
    expect(copiesIn(sim).map((c) => [c.Status, sourceArnOf(c)])).toEqual([['available', shared.DBClusterSnapshotArn]]);
  });

  test('an event from an unknown account is refused by the bus policy; nothing reaches the receiver', async () => {
    sim = handoff(QUIET_SOURCE);
    await sourceRun(sim, 0);
    const [shared] = sourceShared(sim);
    const out = putSharedEvent(sim, shared, '444444444444');
    await sim.runUntilIdle();

    expect(out).toMatchObject({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException' }] });
    expect(sim.buses.to(TARGET_ACCOUNT).map((r) => [r.from, r.outcome])).toEqual([['444444444444', 'refused']]);
    expect(sim.targetRuns).toEqual([]);
    expect(sim.account(TARGET_ACCOUNT).executions).toEqual([]);
    expect(copiesIn(sim)).toEqual([]);
  });

  test('an event from the source naming another account\'s snapshot is refused by the receiver; nothing copied', async () => {
    sim = handoff(QUIET_SOURCE);
    await sourceRun(sim, 0);
    const [shared] = sourceShared(sim);
    const forged = { ...shared, DBClusterSnapshotArn: shared.DBClusterSnapshotArn!.replace(SOURCE_ACCOUNT, '444444444444') };
    putSharedEvent(sim, forged);
    await sim.runUntilIdle();

    // Delivered (the source may put events), refused by the handler, retried by Lambda, never started.
    expect(sim.targetRuns.map((r) => r.error)).toEqual(['SnapshotNotFromSource', 'SnapshotNotFromSource', 'SnapshotNotFromSource']);
    expect(sim.account(TARGET_ACCOUNT).executions).toEqual([]);
    expect(copiesIn(sim)).toEqual([]);
    expect(sourceShared(sim)).toHaveLength(1);
  });

  test('the shared snapshot deleted before the copy: SharedSnapshotNotFound, nothing copied, the scan starts nothing', async () => {
    sim = handoff(QUIET_SOURCE);
    await sourceRun(sim, 0);
    const [shared] = sourceShared(sim);
    await asUser(SOURCE_ACCOUNT, new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: shared.DBClusterSnapshotIdentifier }));
    putSharedEvent(sim, shared);
    await sim.runUntilIdle();

    expect(sim.targetRuns.map((r) => r.error)).toContain('SharedSnapshotNotFound');
    expect(sim.account(TARGET_ACCOUNT).executions).toEqual([]);
    const scan = await catchUpScan(sim, new Date(runDay(0).getTime() + HOUR));
    expect(scan.started).toEqual([]);
    expect(copiesIn(sim)).toEqual([]);
    expect(sourceShared(sim)).toEqual([]);
  });

  test('the source key\'s policy lacking the target: the copy fails with KmsKeyNotAccessible, nothing copied', async () => {
    sim = handoff();
    const keyArn = sim.account(SOURCE_ACCOUNT).sharingKeyArn;
    const statements = sim.keys.statementsOf(keyArn)!;
    expect(sim.keys.allows(keyArn, TARGET_ACCOUNT)).toBe(true);
    sim.keys.setPolicy(keyArn, statements.filter((s) => !JSON.stringify(s.Principal).includes(TARGET_ACCOUNT)));
    await sourceRun(sim, 0);

    expect(sim.account(TARGET_ACCOUNT).executions.map((e) => [e.status, e.error])).toEqual([['FAILED', 'KmsKeyNotAccessible']]);
    expect(sim.account(TARGET_ACCOUNT).rds.calls.filter((c) => c.api === 'CopyDBClusterSnapshot').map((c) => c.error)).toEqual(['KMSKeyNotAccessibleFault']);
    expect(copiesIn(sim)).toEqual([]);
    expect(sourceShared(sim)).toHaveLength(1);
  });

  test('a copy failing: CopyFailed, the failed copy deleted; the next scan copies again once RDS recovers', async () => {
    sim = handoff({ targetFaults: { sharedCopyOutcome: 'failed' } });
    await sourceRun(sim, 0);
    expect(sim.account(TARGET_ACCOUNT).executions.map((e) => [e.status, e.error])).toEqual([['FAILED', 'CopyFailed']]);
    expect(copiesIn(sim)).toEqual([]);

    sim.account(TARGET_ACCOUNT).rds.setFaults({});
    const scan = await catchUpScan(sim, new Date(runDay(0).getTime() + 6 * HOUR));
    expect(scan.started).toHaveLength(1);
    expect(copiesIn(sim).map((c) => c.Status)).toEqual(['available']);
  });

  test('retainCopies over several days: the target keeps the 3 newest copies, the source its 1 shared snapshot', async () => {
    sim = handoff({ receiver: { retainCopies: 3 } });
    const sharedByDay: string[] = [];
    for (let day = 0; day < 5; day++) {
      await sourceRun(sim, day);
      expect(sourceShared(sim)).toHaveLength(1);
      sharedByDay.push(sourceShared(sim)[0].DBClusterSnapshotArn!);
      expect(copiesIn(sim)).toHaveLength(Math.min(day + 1, 3));
    }
    expect(copiesIn(sim).map(sourceArnOf).sort()).toEqual(sharedByDay.slice(2).sort());
    expect(copiesIn(sim).every((c) => c.Status === 'available')).toBe(true);
    expect(sim.account(TARGET_ACCOUNT).executions.map((e) => e.status)).toEqual(Array(5).fill('SUCCEEDED'));
  });

  test('the receiver\'s freshness alarm fires once the source stops: the published age crosses maxCopyAge', async () => {
    sim = handoff();
    const [alarm] = sim.alarms(TARGET_ACCOUNT).filter((a) => a.metricName === 'NewestCopyAge');
    expect(alarm.threshold).toBe(26 * 3600);
    const scanAt = (day: number, hour: number) => new Date(runDay(day).getTime() + hour * HOUR);
    const states: Record<string, string> = {};
    // The source runs on days 0 and 1, then stops; the receiver scans every 6 hours.
    for (const day of [0, 1, 2, 3]) {
      if (day < 2) await sourceRun(sim, day);
      for (const hour of [1, 7, 13, 19]) {
        await catchUpScan(sim, scanAt(day, hour));
        states[`day ${day} +${hour}h`] = sim.alarmState(TARGET_ACCOUNT, alarm, Date.now() + HOUR);
      }
    }
    const ages = sim.metrics(TARGET_ACCOUNT, 'NewestCopyAge').filter((m) => Object.keys(m.dimensions).length === 1);
    const before = ages.filter((m) => m.at < runDay(1).getTime() + 26 * HOUR).map((m) => m.value);
    const after = ages.filter((m) => m.at > runDay(2).getTime() + 6 * HOUR).map((m) => m.value);
    expect(Math.max(...before)).toBeLessThan(alarm.threshold);
    expect(Math.min(...after)).toBeGreaterThan(alarm.threshold);
    expect(states['day 1 +19h']).toBe('OK');
    // Every period of the window must breach: the day-2 01:00 value (22 h old) is still in it at 07:00.
    expect(states['day 2 +7h']).toBe('OK');
    expect(states['day 2 +13h']).toBe('ALARM');
    expect(states['day 3 +19h']).toBe('ALARM');
  });
});
