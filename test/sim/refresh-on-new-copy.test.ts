import { MINUTE, runDay, SOURCE_ACCOUNT, TARGET_ACCOUNT } from './handoff-harness';
import { synthesizeRefreshTemplate } from '../../sim/example-refresh';
import { synthesizeTemplate } from '../../sim/example-stack';
import { HandoffSimulation } from '../../sim/handoff';
import { ENV, EVENT_DETAIL_TYPE, REFRESH_ENV } from '../../src/shared/constants';

// runOnNewCopy: the receiver announces each available copy on the target account's default bus;
// the refresh's rule starts a run for copies of its own cluster only, and never two at once.

const DATABASE = 'orders-staging';

describe('a refresh on each new copy', () => {
  let sim: HandoffSimulation;
  afterEach(() => sim?.dispose());

  test('a copy of the refreshed cluster becoming available starts exactly one refresh; a copy of another cluster starts none', async () => {
    sim = new HandoffSimulation({
      start: new Date(runDay(0).getTime() - MINUTE),
      accounts: [
        { account: SOURCE_ACCOUNT, templates: [synthesizeTemplate({ clusterIdentifiers: ['orders-db', 'billing-db'], targetAccountIds: [TARGET_ACCOUNT], notifyTargetAccounts: true })] },
        { account: TARGET_ACCOUNT, templates: [synthesizeRefreshTemplate(TARGET_ACCOUNT, SOURCE_ACCOUNT, { refresh: { runOnNewCopy: true } })] },
      ],
    });
    sim.account(SOURCE_ACCOUNT).rds.addCluster({ identifier: 'orders-db', snapshotMs: 8 * MINUTE, copyMs: 12 * MINUTE });
    sim.account(SOURCE_ACCOUNT).rds.addCluster({ identifier: 'billing-db', snapshotMs: 5 * MINUTE, copyMs: 7 * MINUTE });
    const target = sim.account(TARGET_ACCOUNT);
    const refreshMachine = [...target.functionsByArn.values()]
      .find((f) => REFRESH_ENV.DATABASE_IDENTIFIER in f.environment && ENV.STATE_MACHINE_ARN in f.environment)!.environment[ENV.STATE_MACHINE_ARN];
    const refreshes = () => target.executions.filter((e) => e.stateMachineArn === refreshMachine);

    await sim.fireSchedule(SOURCE_ACCOUNT, runDay(0));
    await sim.runUntilIdle();
    // Both copies were announced; only the orders-db one matched the refresh's rule.
    const received = sim.buses.to(TARGET_ACCOUNT, EVENT_DETAIL_TYPE.received);
    expect(received.map((r) => [r.event.detail.clusterIdentifier, r.outcome, r.rules.length]).sort()).toEqual([
      ['billing-db', 'delivered', 0], ['orders-db', 'delivered', 1],
    ]);
    const ordersCopy = received.find((r) => r.event.detail.clusterIdentifier === 'orders-db')!;
    expect(refreshes().map((e) => [e.status, e.error])).toEqual([['SUCCEEDED', undefined]]);
    // The refresh started in the minute the copy became available and restored that copy.
    expect(refreshes()[0].startedAt).toBeLessThan(ordersCopy.at + MINUTE);
    expect(target.rds.databases.cluster(DATABASE)!.restoredFrom).toBe(ordersCopy.event.detail.copyArn);
    expect([...target.rds.databases.clusters.values()].filter((c) => target.rds.databases.clusters.has(c.resourceId)).map((c) => c.identifier))
      .toEqual([DATABASE]);

    // The same copy announced again later (a receiver's catch-up, a retried put) starts a run that
    // ends at once: the serving database holds that copy already.
    await sim.putEvents(TARGET_ACCOUNT, [{ Source: ordersCopy.event.source, DetailType: ordersCopy.event['detail-type'], Detail: JSON.stringify(ordersCopy.event.detail) }]);
    await sim.runUntilIdle();
    expect(refreshes().map((e) => [e.status, e.output?.plan?.upToDate ?? e.error])).toEqual([['SUCCEEDED', false], ['SUCCEEDED', true]]);

    // The next day's copy starts a refresh; the schedule firing while it restores is skipped, not doubled.
    await sim.fireSchedule(SOURCE_ACCOUNT, runDay(1));
    await sim.advance(40 * MINUTE);
    await target.fireSchedule(new Date(Date.now()), refreshMachine);
    await sim.runUntilIdle();
    const day1 = refreshes().slice(2);
    expect(day1.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(day1.filter((e) => e.events.some((x) => x.state === 'RunSkipped'))).toHaveLength(1);
    const newest = sim.buses.to(TARGET_ACCOUNT, EVENT_DETAIL_TYPE.received).filter((r) => r.event.detail.clusterIdentifier === 'orders-db').at(-1)!;
    expect(newest.event.detail.copyArn).not.toBe(ordersCopy.event.detail.copyArn);
    expect(target.rds.databases.cluster(DATABASE)!.restoredFrom).toBe(newest.event.detail.copyArn);
  });
});
