import { CreateDBInstanceCommand, RDSClient, RestoreDBClusterFromSnapshotCommand } from '@aws-sdk/client-rds';
import { Duration } from 'aws-cdk-lib';
import {
  alarmStates, clusters, DATABASE, database, HOUR, MINUTE, refreshEvents, refreshSimulation, refreshStateMachine, runDay, scheduledRefresh, seedCopy,
} from './refresh-harness';
import type { Simulation } from '../../sim/simulation';
import { REFRESH_STATE } from '../../src/refreshing/workflow';

const client = new RDSClient({ region: 'eu-west-1' });
const at = (day: number, hours: number) => new Date(runDay(day).getTime() + hours * HOUR);

/** Databases of the account's own, which the refresh must never touch: a similarly named cluster and one with the same prefix. */
async function strangers(sim: Simulation): Promise<void> {
  sim.rds.addForeignSnapshot('team-snapshot', 'orders-db');
  for (const id of [`${DATABASE}-replica`, `${DATABASE}-202611260500`]) {
    await client.send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: id, SnapshotIdentifier: 'team-snapshot', Engine: 'aurora-postgresql', Tags: [{ Key: 'team', Value: 'data' }] }));
  }
  await sim.advance(20 * MINUTE);
  await client.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: `${DATABASE}-replica-1`, DBClusterIdentifier: `${DATABASE}-replica`, DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql',
  }));
}

/** What a stranger's database looks like: any change to it shows here. */
function strangerState(sim: Simulation) {
  return [`${DATABASE}-replica`, `${DATABASE}-202611260500`].map((id) => {
    const c = sim.rds.databases.cluster(id);
    const members = c && sim.rds.databases.membersOf(c).map((m) => m.identifier);
    return c && { id: c.identifier, status: c.status, tags: c.tags, protection: c.deletionProtection, members };
  });
}

describe('RefreshedDatabase in the simulator', () => {
  test('two scheduled refreshes leave one serving database with the newest copy\'s data and a new secret; the previous one goes after its keep time', async () => {
    const received: unknown[] = [];
    const sim = refreshSimulation({ postRestore: true, refresh: { keepPrevious: Duration.hours(6) } }, {
      userFunctions: { Sanitize: async (event) => { received.push(event); return {}; } },
    });
    try {
      await strangers(sim);
      const before = strangerState(sim);
      const first = seedCopy(sim, runDay(0));
      await scheduledRefresh(sim, at(0, 2));
      expect(sim.executions.map((e) => [e.name, e.status, e.error])).toEqual([['refresh-202611270500', 'SUCCEEDED', undefined]]);
      expect(database(sim, DATABASE)).toMatchObject({ restoredFrom: first, generation: '202611270500', members: [`${DATABASE}-202611270500-1:available`] });
      const secret1 = sim.rds.databases.cluster(DATABASE)!.password;
      expect(secret1).toEqual({ kind: 'managed', secretArn: expect.stringMatching(/:secret:rds!cluster-/) });

      const second = seedCopy(sim, runDay(1));
      await sim.fireSchedule(at(1, 2), refreshStateMachine(sim));
      // The refresh waits out keepPrevious in its execution: stop the clock just after the swap.
      await sim.advance(2 * HOUR);
      expect(database(sim, DATABASE)).toMatchObject({ restoredFrom: second, generation: '202611280500' });
      expect(database(sim, `${DATABASE}-202611270500`)).toMatchObject({ restoredFrom: first });
      expect(clusters(sim)).toContain(`${DATABASE}-202611270500`);
      // The stable name resolved to nothing only while the new database's rename took effect.
      expect(sim.rds.databases.names.unresolvedMs(DATABASE, at(1, 2).getTime(), Date.now())).toBe(sim.rds.databases.timings.renameMs);
      await sim.runUntilIdle();
      expect(sim.executions.map((e) => [e.name, e.status])).toEqual([['refresh-202611270500', 'SUCCEEDED'], ['refresh-202611280500', 'SUCCEEDED']]);
      expect(database(sim, `${DATABASE}-202611270500`)).toBeUndefined();
      const secret2 = sim.rds.databases.cluster(DATABASE)!.password;
      expect(secret2).toEqual({ kind: 'managed', secretArn: expect.stringMatching(/:secret:rds!cluster-/) });
      expect(secret2).not.toEqual(secret1);
      expect(sim.rds.databases.secrets.get((secret1 as { secretArn: string }).secretArn)!.deletedAt).toBeDefined();

      // Nothing else is touched: the strangers' databases, the copies, the other snapshots.
      expect(strangerState(sim)).toEqual(before);
      expect(clusters(sim)).toEqual([DATABASE, `${DATABASE}-202611260500`, `${DATABASE}-replica`]);
      expect([first, second, 'team-snapshot'].map((id) => sim.rds.snapshot(id)?.Status)).toEqual(['available', 'available', 'available']);
      expect(sim.rds.calls.filter((c) => c.error === 'AccessDenied')).toEqual([]);

      // The post-restore step saw each new database under its temporary name, with its new secret.
      expect(received).toEqual([1, 2].map((day) => expect.objectContaining({
        mode: 'refresh',
        stableIdentifier: DATABASE,
        databaseIdentifier: `${DATABASE}-2026112${6 + day}0500`,
        port: 5432,
        masterUserSecretArn: expect.stringMatching(/:secret:rds!cluster-/),
        sourceSnapshotTime: runDay(day - 1).toISOString(),
      })));
      expect(refreshEvents(sim).map((e) => [e.detailType, e.detail.generation, e.detail.previousIdentifier])).toEqual([
        ['Database Refreshed', '202611270500', null],
        ['Database Refreshed', '202611280500', `${DATABASE}-202611270500`],
      ]);
      // The data age is not published in this simulation (its logs are silenced): the staleness alarm breaches on missing data.
      const alarms = Object.entries(alarmStates(sim)).filter(([id]) => id.startsWith('Staging'));
      expect(alarms.map(([id, state]) => [id.replace(/[0-9A-F]{8}$/, ''), state])).toEqual([['StagingFailureAlarm', 'OK'], ['StagingStalenessAlarm', 'ALARM']]);
    } finally {
      sim.dispose();
    }
  });

  test('a refresh with nothing newer to restore changes nothing', async () => {
    const sim = refreshSimulation();
    try {
      seedCopy(sim, runDay(0));
      await scheduledRefresh(sim, at(0, 2));
      const serving = sim.rds.databases.cluster(DATABASE)!.resourceId;
      const calls = sim.rds.calls.length;
      await scheduledRefresh(sim, at(1, 2));
      const last = sim.executions.at(-1)!;
      expect([last.status, last.events.some((e) => e.state === REFRESH_STATE.alreadyFresh)]).toEqual(['SUCCEEDED', true]);
      expect(sim.rds.calls.slice(calls).filter((c) => !c.api.startsWith('Describe'))).toEqual([]);
      expect(sim.rds.databases.cluster(DATABASE)!.resourceId).toBe(serving);
    } finally {
      sim.dispose();
    }
  });

  test('a failing post-restore step leaves the serving database, deletes the new one, fails by name and fires the alarm', async () => {
    let fail = false;
    const sim = refreshSimulation({ postRestore: true }, {
      userFunctions: {
        Sanitize: async () => {
          if (!fail) return {};
          throw Object.assign(new Error('column "email" does not exist'), { name: 'MigrationFailed' });
        },
      },
    });
    try {
      const first = seedCopy(sim, runDay(0));
      await scheduledRefresh(sim, at(0, 2));
      const serving = sim.rds.databases.cluster(DATABASE)!;
      fail = true;
      seedCopy(sim, runDay(1));
      await scheduledRefresh(sim, at(1, 2));
      const failed = sim.executions.at(-1)!;
      expect([failed.status, failed.error]).toEqual(['FAILED', 'PostRestoreFailed']);
      expect(failed.cause).toMatch(/MigrationFailed.*column .email. does not exist/);
      expect(database(sim, DATABASE)).toMatchObject({ restoredFrom: first, generation: '202611270500' });
      expect(sim.rds.databases.cluster(DATABASE)).toBe(serving);
      expect(serving.status).toBe('available');
      expect(clusters(sim)).toEqual([DATABASE]);
      expect(sim.rds.databases.instance(`${DATABASE}-202611280500-1`)).toBeUndefined();
      expect(refreshEvents(sim).at(-1)).toEqual({
        detailType: 'Database Refresh Failed',
        detail: { databaseIdentifier: DATABASE, error: 'PostRestoreFailed', cause: expect.stringContaining('MigrationFailed') },
      });
      expect(Object.entries(alarmStates(sim, failed.stoppedAt! + 5 * MINUTE)).filter(([id, s]) => id.includes('FailureAlarm') && s === 'ALARM')).toHaveLength(1);
    } finally {
      sim.dispose();
    }
  });

  test('a failure between the two renames gives both databases their names back', async () => {
    const sim = refreshSimulation();
    try {
      const first = seedCopy(sim, runDay(0));
      await scheduledRefresh(sim, at(0, 2));
      expect(Object.entries(alarmStates(sim)).filter(([id, s]) => id.includes('FailureAlarm') && s === 'ALARM')).toEqual([]);
      seedCopy(sim, runDay(1));
      sim.lambdaFaults = { crashes: [{ state: REFRESH_STATE.renameIntoPlace, times: 1 }] };
      await scheduledRefresh(sim, at(1, 2));
      const failed = sim.executions.at(-1)!;
      expect([failed.status, failed.error]).toEqual(['FAILED', 'SwapFailed']);
      expect(failed.cause).toMatch(/Runtime\.ExitError/);
      expect(failed.events.filter((e) => e.type === 'TaskStateEntered' || e.type === 'StateEntered').map((e) => e.state)).toEqual(expect.arrayContaining([
        REFRESH_STATE.renameServingAway, REFRESH_STATE.renameIntoPlace, REFRESH_STATE.swapFailed, REFRESH_STATE.rollBackNames, REFRESH_STATE.cleanUp,
      ]));
      expect(database(sim, DATABASE)).toMatchObject({ restoredFrom: first, generation: '202611270500' });
      expect(sim.rds.databases.cluster(DATABASE)).toMatchObject({ status: 'available', deletionProtection: true });
      expect(clusters(sim)).toEqual([DATABASE]);
      expect(sim.rds.databases.names.resolve(DATABASE)).toBe(sim.rds.databases.cluster(DATABASE)!.resourceId);
    } finally {
      sim.dispose();
    }
  });
});
