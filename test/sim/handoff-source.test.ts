import {
  catchUpScan, CLUSTER, copiesIn, DAY, handoff, HOUR, runDay, SECOND_TARGET_ACCOUNT, sourceArnOf, sourceRun, sourceShared,
  SOURCE_ACCOUNT, TARGET_ACCOUNT,
} from './handoff-harness';
import type { HandoffSimulation } from '../../sim/handoff';
import { COPY_PENDING, EVENT_DETAIL_TYPE, EVENT_SOURCE, SOURCE_EVENTS_DEFAULTS, SOURCE_FRESHNESS_METRIC, TAG_COPIED_PREFIX } from '../../src/shared/constants';
import { PUT_EVENTS_RETRY } from '../../src/sharing/events';

// The handoff end to end with the source side's own events: the `Cluster Snapshot Shared` and
// `Failed` putEvents tasks, `notifyTargetAccounts`, `retainUntilCopied` and the source's freshness
// alarm, asserting the final state of both accounts.

let sim: HandoffSimulation;
afterEach(() => sim?.dispose());

const copyTagsOf = (identifier: string) => Object.fromEntries((sim.account(SOURCE_ACCOUNT).rds.snapshot(identifier)?.TagList ?? [])
  .filter((t) => t.Key!.startsWith(TAG_COPIED_PREFIX)).map((t) => [t.Key!.slice(TAG_COPIED_PREFIX.length), t.Value === COPY_PENDING ? COPY_PENDING : 'confirmed']));
const sourceIds = () => sourceShared(sim).map((s) => s.DBClusterSnapshotIdentifier!).sort();

describe('the source side puts the events itself (putEvents tasks in its state machine)', () => {
  test('end to end: the source shares, its task puts Shared on its bus and each target\'s, the targets copy', async () => {
    sim = handoff({ source: { notifyTargetAccounts: true } as any, secondReceiver: {} });
    await sourceRun(sim, 0);
    const [shared] = sourceShared(sim);

    const onSource = sim.buses.to(SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.shared);
    expect(onSource.map((r) => r.outcome)).toEqual(['delivered']);
    expect(onSource[0].event).toMatchObject({
      source: EVENT_SOURCE,
      account: SOURCE_ACCOUNT,
      detail: {
        clusterIdentifier: CLUSTER,
        snapshotIdentifier: shared.DBClusterSnapshotIdentifier,
        snapshotArn: shared.DBClusterSnapshotArn,
        kmsKeyArn: sim.account(SOURCE_ACCOUNT).sharingKeyArn,
        sharedWith: expect.arrayContaining([TARGET_ACCOUNT, SECOND_TARGET_ACCOUNT]),
        snapshotCreateTime: shared.SnapshotCreateTime!.toISOString(),
      },
    });
    for (const account of [TARGET_ACCOUNT, SECOND_TARGET_ACCOUNT]) {
      expect(sim.buses.to(account, EVENT_DETAIL_TYPE.shared).map((r) => [r.from, r.outcome])).toEqual([[SOURCE_ACCOUNT, 'delivered']]);
      expect(copiesIn(sim, account).map((c) => [c.Status, sourceArnOf(c)])).toEqual([['available', shared.DBClusterSnapshotArn]]);
    }
    expect(sim.account(SOURCE_ACCOUNT).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  test('a target without a receiver refuses the notification: retried alone, the run fails SharedEventNotPut; the share and the other target\'s copy stand', async () => {
    sim = handoff({ source: { targetAccountIds: [TARGET_ACCOUNT, SECOND_TARGET_ACCOUNT] } });
    await sourceRun(sim, 0);
    const [shared] = sourceShared(sim);
    expect(sim.buses.to(SECOND_TARGET_ACCOUNT).map((r) => r.outcome)).toEqual(Array(PUT_EVENTS_RETRY.maxAttempts! + 1).fill('refused'));
    expect(sim.buses.to(TARGET_ACCOUNT, EVENT_DETAIL_TYPE.shared).map((r) => r.outcome)).toEqual(['delivered']);
    expect(sim.account(SOURCE_ACCOUNT).executions.map((e) => [e.status, e.error])).toEqual([['FAILED', 'SharedEventNotPut']]);
    // Nothing was cleaned up: the snapshot stays shared with both targets, and the second's scan can still copy it.
    const restorers = sim.account(SOURCE_ACCOUNT).rds.restoreAccounts(shared.DBClusterSnapshotIdentifier!);
    expect(restorers.sort()).toEqual([TARGET_ACCOUNT, SECOND_TARGET_ACCOUNT].sort());
    expect(sim.buses.to(SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.failed)).toEqual([]);
    expect(copiesIn(sim).map((c) => [c.Status, sourceArnOf(c)])).toEqual([['available', shared.DBClusterSnapshotArn]]);
  });

  test('without notifyTargetAccounts only the source\'s own bus gets the event; the target\'s scan still copies', async () => {
    sim = handoff({ source: { notifyTargetAccounts: false } });
    await sourceRun(sim, 0);
    expect(sim.buses.records.map((r) => [r.to, r.event['detail-type']])).toEqual([[SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.shared]]);
    expect(sim.account(SOURCE_ACCOUNT).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(copiesIn(sim)).toEqual([]);
    await catchUpScan(sim, new Date(runDay(0).getTime() + HOUR));
    expect(copiesIn(sim).map((c) => c.Status)).toEqual(['available']);
  });

  test('a failed run puts Cluster Snapshot Failed on the source\'s bus, with the error; the targets hear nothing', async () => {
    sim = handoff();
    sim.account(SOURCE_ACCOUNT).rds.updateCluster(CLUSTER, { snapshotOutcome: 'failed' });
    await sourceRun(sim, 0);
    const failed = sim.buses.to(SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.failed);
    expect(failed.map((r) => r.outcome)).toEqual(['delivered']);
    expect(failed[0].event).toMatchObject({ source: EVENT_SOURCE, detail: { clusterIdentifier: CLUSTER, error: 'SnapshotFailed' } });
    expect(sim.buses.to(TARGET_ACCOUNT)).toEqual([]);
    expect(sourceShared(sim)).toEqual([]);
    expect(copiesIn(sim)).toEqual([]);
  });
});

describe('retainUntilCopied: the source prunes a shared snapshot once every receiving target confirmed it', () => {
  const twoTargets = (secondConfirms = true) => handoff({
    source: { retainUntilCopied: true },
    receiver: { confirmCopies: true },
    secondReceiver: { confirmCopies: secondConfirms },
  });
  /** The second target's receiver is down: nothing reaches its bus, and nothing leaves it. */
  const secondTargetDown = () => {
    sim.buses.faults = { drop: (event, to) => to === SECOND_TARGET_ACCOUNT || event.account === SECOND_TARGET_ACCOUNT };
  };

  test('both targets confirming: each confirmation is recorded on the snapshot, and the older one is pruned at the next run', async () => {
    sim = twoTargets();
    await sourceRun(sim, 0);
    const [day0] = sourceIds();
    expect(sim.buses.to(SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.copied).map((r) => [r.from, r.outcome]).sort()).toEqual([
      [TARGET_ACCOUNT, 'delivered'], [SECOND_TARGET_ACCOUNT, 'delivered'],
    ].sort());
    expect(copyTagsOf(day0)).toEqual({ [TARGET_ACCOUNT]: 'confirmed', [SECOND_TARGET_ACCOUNT]: 'confirmed' });
    await sourceRun(sim, 1);
    expect(sourceIds()).toHaveLength(1);
    expect(sourceIds()).not.toContain(day0);
    for (const account of [TARGET_ACCOUNT, SECOND_TARGET_ACCOUNT]) expect(copiesIn(sim, account)).toHaveLength(2);
  });

  test('one target confirming and one not: the older shared snapshot is kept until the other confirms, or until maxRetention', async () => {
    sim = twoTargets();
    await sourceRun(sim, 0);
    const [day0] = sourceIds();
    // Day 1: the second target's receiver is down; only the first copies and confirms.
    secondTargetDown();
    await sourceRun(sim, 1);
    const day1 = sourceIds().find((id) => id !== day0)!;
    expect(sourceIds()).toEqual([day1]);
    expect(copyTagsOf(day1)).toEqual({ [TARGET_ACCOUNT]: 'confirmed', [SECOND_TARGET_ACCOUNT]: COPY_PENDING });
    expect(copiesIn(sim, SECOND_TARGET_ACCOUNT)).toHaveLength(1);

    // Day 2: day 1's snapshot is past retainSnapshots (1) but still awaited by the second target: kept.
    sim.buses.faults = {};
    await sourceRun(sim, 2);
    expect(sourceIds()).toHaveLength(2);
    expect(sourceIds()).toContain(day1);
    expect(sim.account(SOURCE_ACCOUNT).rds.restoreAccounts(day1)).toContain(SECOND_TARGET_ACCOUNT);

    // The second target is back, but its scan copies only each cluster's newest snapshot: day 1's stays awaited,
    // and is pruned once older than maxRetention (7 days by default), never the newest one.
    // Day 1 + 7 is the first run at which it is older than that.
    for (let day = 3; day <= SOURCE_EVENTS_DEFAULTS.maxRetentionDays; day++) await sourceRun(sim, day);
    expect(sourceIds()).toContain(day1);
    await sourceRun(sim, 1 + SOURCE_EVENTS_DEFAULTS.maxRetentionDays);
    expect(sourceIds()).not.toContain(day1);
    expect(sourceIds()).toHaveLength(1);
    expect(sim.account(SOURCE_ACCOUNT).executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
  });

  test('a target whose receiver never confirms (confirmCopies off) is not awaited: retainSnapshots alone prunes', async () => {
    sim = twoTargets(false);
    await sourceRun(sim, 0);
    const [day0] = sourceIds();
    expect(copyTagsOf(day0)).toEqual({ [TARGET_ACCOUNT]: 'confirmed' });
    await sourceRun(sim, 1);
    expect(sourceIds()).not.toContain(day0);
    expect(sourceIds()).toHaveLength(1);
  });

  test('without retainUntilCopied, the confirmations change nothing: the older snapshot goes at the next run even when unconfirmed', async () => {
    sim = handoff({ receiver: { confirmCopies: true } });
    await sourceRun(sim, 0);
    const [day0] = sourceIds();
    sim.buses.faults = { drop: () => true };
    await sourceRun(sim, 1);
    expect(sourceIds()).not.toContain(day0);
    expect(sourceIds()).toHaveLength(1);
  });
});

describe('the source side\'s freshness alarm', () => {
  test('OK while the source shares daily; ALARM once it stops and the newest shared snapshot ages past maxSnapshotAge', async () => {
    sim = handoff();
    const [alarm] = sim.alarms(SOURCE_ACCOUNT).filter((a) => a.metricName === SOURCE_FRESHNESS_METRIC.newestSnapshotAge);
    expect(alarm.threshold).toBe(SOURCE_EVENTS_DEFAULTS.maxSnapshotAgeHours * 3600);
    const states: Record<string, string> = {};
    const at = (day: number, hour: number) => new Date(runDay(day).getTime() + hour * HOUR);
    // The source runs on days 0 and 1, then stops; its freshness publisher runs every hour.
    for (const day of [0, 1, 2, 3]) {
      if (day < 2) await sourceRun(sim, day);
      for (const hour of [6, 12, 18, 24]) {
        expect(await sim.runRateSchedules(SOURCE_ACCOUNT, at(day, hour))).toEqual([]);
        states[`day ${day} +${hour}h`] = sim.alarmState(SOURCE_ACCOUNT, alarm);
      }
    }
    const ages = sim.metrics(SOURCE_ACCOUNT, SOURCE_FRESHNESS_METRIC.newestSnapshotAge).filter((m) => Object.keys(m.dimensions).length === 1);
    expect(ages.length).toBeGreaterThan(3 * 24);
    // Before the first share there is none: the alarm is in ALARM until then.
    expect(states['day 0 +6h']).toBe('OK');
    expect(states['day 1 +24h']).toBe('OK');
    // The last share was on day 1 at about 03:20; 26 hours later, plus two breaching periods, it alarms.
    expect(states['day 2 +6h']).toBe('ALARM');
    expect(states['day 3 +24h']).toBe('ALARM');
    const newestShare = sourceShared(sim)[0].SnapshotCreateTime!.getTime();
    const late = ages.filter((m) => m.at > newestShare + alarm.threshold * 1000 + HOUR);
    expect(late.every((m) => m.value > alarm.threshold)).toBe(true);
    expect(sim.account(SOURCE_ACCOUNT).executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  test('a cluster that was never shared publishes an age far past maxSnapshotAge, so the alarm fires from the start', async () => {
    sim = handoff({ source: { clusterIdentifiers: [CLUSTER, 'renamed-db'] } });
    await sourceRun(sim, 0);
    await sim.runRateSchedules(SOURCE_ACCOUNT, new Date(runDay(0).getTime() + 3 * HOUR));
    const [alarm] = sim.alarms(SOURCE_ACCOUNT).filter((a) => a.metricName === SOURCE_FRESHNESS_METRIC.newestSnapshotAge);
    expect(sim.alarmState(SOURCE_ACCOUNT, alarm)).toBe('ALARM');
    const perCluster = sim.metrics(SOURCE_ACCOUNT, SOURCE_FRESHNESS_METRIC.newestSnapshotAge).filter((m) => m.dimensions.Cluster === 'renamed-db');
    expect(perCluster.every((m) => m.value > DAY / 1000)).toBe(true);
  });
});
