import {
  catchUpScan, CLUSTER, copiesIn, handoff, HOUR, runDay, SECOND_TARGET_ACCOUNT, sourceArnOf, sourceRun, sourceShared, SOURCE_ACCOUNT, TARGET_ACCOUNT,
} from './handoff-harness';
import { readAlarms, TemplateAlarm } from '../../sim/alarms';
import { synthesizeTemplate } from '../../sim/example-stack';
import type { HandoffSimulation } from '../../sim/handoff';
import { templateResolver } from '../../sim/template';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE } from '../../src/shared/constants';

// The handoff end to end with the source side's own events (helper J's part of issue 9): the
// `Cluster Snapshot Shared` / `Failed` putEvents tasks, `notifyTargetAccounts`, `retainUntilCopied`
// and the source freshness alarm. Each group runs once the synthesized source template has the
// feature, and is skipped (named "needs ...") until then.

const PROPS = { clusterIdentifiers: [CLUSTER], notifyTargetAccounts: true, retainUntilCopied: true } as any;
const sourceTemplate = synthesizeTemplate(PROPS);
const source = JSON.stringify(sourceTemplate);
/** The source side's freshness alarms: on a metric of the age of the newest shared snapshot. */
const isFreshness = (alarm: TemplateAlarm) => /age/i.test(alarm.metricName);
const has = {
  putEvents: source.includes(':states:::events:putEvents'),
  confirmations: source.includes(EVENT_DETAIL_TYPE.copied),
  freshnessAlarm: readAlarms(sourceTemplate, templateResolver(sourceTemplate)).some(isFreshness),
};

/** Runs `fn` once the source template has the feature; until then skipped, and named so. */
function whenSourceHas(ready: boolean, name: string, fn: () => void): void {
  if (ready) describe(name, fn);
  else describe.skip(`${name} [needs the source side's events (issue 9): skipped until its template has them]`, fn);
}

let sim: HandoffSimulation;
afterEach(() => sim?.dispose());

whenSourceHas(has.putEvents, 'the source side puts the events itself (putEvents tasks in its state machine)', () => {
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

  test('a target without a receiver refuses the notification; the share and the other target\'s copy stand', async () => {
    sim = handoff({ source: { notifyTargetAccounts: true } as any });
    await sourceRun(sim, 0);
    expect(sim.buses.to(SECOND_TARGET_ACCOUNT).map((r) => r.outcome)).toEqual(['refused']);
    expect(sourceShared(sim)).toHaveLength(1);
    expect(copiesIn(sim).map((c) => c.Status)).toEqual(['available']);
  });

  test('without notifyTargetAccounts only the source\'s own bus gets the event; the target\'s scan still copies', async () => {
    sim = handoff();
    await sourceRun(sim, 0);
    expect(sim.buses.records.map((r) => [r.to, r.event['detail-type']])).toEqual([[SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.shared]]);
    expect(copiesIn(sim)).toEqual([]);
    await catchUpScan(sim, new Date(runDay(0).getTime() + HOUR));
    expect(copiesIn(sim).map((c) => c.Status)).toEqual(['available']);
  });

  test('a failed run puts Cluster Snapshot Failed on the source\'s bus, with the error', async () => {
    sim = handoff();
    sim.account(SOURCE_ACCOUNT).rds.updateCluster(CLUSTER, { snapshotOutcome: 'failed' });
    await sourceRun(sim, 0);
    const failed = sim.buses.to(SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.failed);
    expect(failed.map((r) => r.outcome)).toEqual(['delivered']);
    expect(failed[0].event.detail).toMatchObject({ clusterIdentifier: CLUSTER, error: 'SnapshotFailed' });
    expect(sim.buses.to(TARGET_ACCOUNT)).toEqual([]);
  });
});

whenSourceHas(has.confirmations, 'retainUntilCopied: the source prunes a shared snapshot once every receiving target confirmed it', () => {
  const twoTargets = (secondConfirms: boolean) => handoff({
    source: { notifyTargetAccounts: true, retainUntilCopied: true } as any,
    receiver: { confirmCopies: true },
    secondReceiver: { confirmCopies: secondConfirms },
  });

  test('one target confirming and one not: the older shared snapshot is kept', async () => {
    sim = twoTargets(false);
    await sourceRun(sim, 0);
    const [day0] = sourceShared(sim);
    const copied = sim.buses.to(SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.copied);
    expect(copied.map((r) => [r.from, r.outcome, r.rules.length > 0])).toEqual([[TARGET_ACCOUNT, 'delivered', true]]);
    expect(sim.account(TARGET_ACCOUNT).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    // The confirmation is recorded on the snapshot (as a tag naming the confirming account).
    const tags = JSON.stringify(sim.account(SOURCE_ACCOUNT).rds.snapshot(day0.DBClusterSnapshotIdentifier!)!.TagList);
    expect(tags).toContain(TARGET_ACCOUNT);
    expect(tags).not.toContain(SECOND_TARGET_ACCOUNT);

    await sourceRun(sim, 1);
    const ids = sourceShared(sim).map((s) => s.DBClusterSnapshotIdentifier);
    expect(ids).toHaveLength(2);
    expect(ids).toContain(day0.DBClusterSnapshotIdentifier);
    for (const account of [TARGET_ACCOUNT, SECOND_TARGET_ACCOUNT]) expect(copiesIn(sim, account)).toHaveLength(2);
  });

  test('both targets confirming: the older shared snapshot is pruned at the next run', async () => {
    sim = twoTargets(true);
    await sourceRun(sim, 0);
    const [day0] = sourceShared(sim);
    expect(sim.buses.to(SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.copied).map((r) => r.from).sort()).toEqual([TARGET_ACCOUNT, SECOND_TARGET_ACCOUNT]);
    await sourceRun(sim, 1);
    expect(sourceShared(sim).map((s) => s.DBClusterSnapshotIdentifier)).not.toContain(day0.DBClusterSnapshotIdentifier);
    expect(sourceShared(sim)).toHaveLength(1);
  });
});

whenSourceHas(has.freshnessAlarm, 'the source side\'s freshness alarm', () => {
  test('OK while the source shares daily; ALARM once it stops and the newest shared snapshot ages past maxSnapshotAge', async () => {
    sim = handoff();
    const alarms = sim.alarms(SOURCE_ACCOUNT).filter(isFreshness);
    expect(alarms.length).toBeGreaterThan(0);
    await sourceRun(sim, 0);
    await sourceRun(sim, 1);
    const afterRun = Date.now() + HOUR;
    for (const alarm of alarms) expect([alarm.logicalId, sim.alarmState(SOURCE_ACCOUNT, alarm, afterRun)]).toEqual([alarm.logicalId, 'OK']);
    const published = sim.logs.metrics.filter((m) => m.account === SOURCE_ACCOUNT && /age/i.test(m.name));
    expect(published.length).toBeGreaterThan(0);
    expect(Math.max(...published.map((m) => m.value))).toBeLessThan(26 * 3600);

    // The source stops (no more runs): two days later the alarm fires.
    await sim.advance(runDay(3).getTime() - Date.now() + 6 * HOUR);
    for (const alarm of alarms) expect([alarm.logicalId, sim.alarmState(SOURCE_ACCOUNT, alarm)]).toEqual([alarm.logicalId, 'ALARM']);
  });
});
