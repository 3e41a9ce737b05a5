import { HOUR, MINUTE, runDay, SOURCE_ACCOUNT, TARGET_ACCOUNT } from './handoff-harness';
import { synthesizeRefreshTemplate } from '../../sim/example-refresh';
import { synthesizeTemplate } from '../../sim/example-stack';
import { HandoffSimulation } from '../../sim/handoff';
import { ENV, REFRESH_ENV, REFRESH_TAG_SOURCE_SNAPSHOT } from '../../src/shared/constants';

// The whole way from the source's cluster to a refreshed database in the target account: the source
// shares, the receiver copies under its own key, the refresh restores the copy; the staleness alarm
// reads the data age the refresh publishes hourly, as CloudWatch would.

const DATABASE = 'orders-staging';

describe('from a shared snapshot to a refreshed database', () => {
  let sim: HandoffSimulation;
  afterEach(() => sim?.dispose());

  test('the refresh restores the receiver\'s copy of the newest share; the staleness alarm clears, and fires again when refreshes stop', async () => {
    sim = new HandoffSimulation({
      start: new Date(runDay(0).getTime() - MINUTE),
      accounts: [
        { account: SOURCE_ACCOUNT, templates: [synthesizeTemplate({ clusterIdentifiers: ['orders-db'], targetAccountIds: [TARGET_ACCOUNT], notifyTargetAccounts: true })] },
        { account: TARGET_ACCOUNT, templates: [synthesizeRefreshTemplate(TARGET_ACCOUNT, SOURCE_ACCOUNT, {})] },
      ],
    });
    sim.account(SOURCE_ACCOUNT).rds.addCluster({ identifier: 'orders-db', snapshotMs: 8 * MINUTE, copyMs: 12 * MINUTE });
    const target = sim.account(TARGET_ACCOUNT);
    const refreshMachine = [...target.functionsByArn.values()]
      .find((f) => REFRESH_ENV.DATABASE_IDENTIFIER in f.environment && ENV.STATE_MACHINE_ARN in f.environment)!.environment[ENV.STATE_MACHINE_ARN];
    const staleness = sim.alarms(TARGET_ACCOUNT).find((a) => a.logicalId.includes('StalenessAlarm'))!;

    for (const day of [0, 1]) {
      await sim.fireSchedule(SOURCE_ACCOUNT, runDay(day));
      await sim.runUntilIdle();
      await sim.runRateSchedules(TARGET_ACCOUNT, new Date(runDay(day).getTime() + 2 * HOUR));
      if (day === 0) expect(sim.alarmState(TARGET_ACCOUNT, staleness)).toBe('ALARM'); // nothing serves yet
      await target.fireSchedule(new Date(runDay(day).getTime() + 2 * HOUR), refreshMachine);
      await sim.runUntilIdle();
      const refresh = target.executions.filter((e) => e.stateMachineArn === refreshMachine).at(-1)!;
      expect([refresh.status, refresh.error]).toEqual(['SUCCEEDED', undefined]);
      // The copy it restored is the receiver's copy of the source's newest shared snapshot.
      const serving = target.rds.databases.cluster(DATABASE)!;
      const copy = target.rds.snapshot(serving.restoredFrom.split(':').pop()!)!;
      const shared = sim.account(SOURCE_ACCOUNT).rds.snapshotsOf('orders-db').filter((s) => s.TagList?.some((t) => t.Value === 'shared'));
      expect(copy.TagList).toContainEqual({ Key: 'received-cluster-snapshots:source-snapshot-arn', Value: shared.at(-1)!.DBClusterSnapshotArn });
      expect(serving.tags).toContainEqual({ Key: REFRESH_TAG_SOURCE_SNAPSHOT, Value: copy.DBClusterSnapshotArn });
    }
    await sim.runRateSchedules(TARGET_ACCOUNT, new Date(runDay(1).getTime() + 6 * HOUR));
    expect(sim.alarmState(TARGET_ACCOUNT, staleness)).toBe('OK');
    const ages = sim.metrics(TARGET_ACCOUNT, 'ServingDataAge');
    expect(ages.at(-1)!.value).toBeLessThan(6 * 3600);

    // No refresh for three days (the source stopped sharing): the data ages past maxDataAge (50 hours).
    await sim.runRateSchedules(TARGET_ACCOUNT, new Date(runDay(4).getTime()));
    expect(sim.alarmState(TARGET_ACCOUNT, staleness)).toBe('ALARM');
  });
});
