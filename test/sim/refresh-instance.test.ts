import { DescribeDBInstancesCommand, RDSClient, RestoreDBInstanceFromDBSnapshotCommand } from '@aws-sdk/client-rds';
import { Duration } from 'aws-cdk-lib';
import {
  alarmStates, DATABASE, dbInstance, dbInstances, HOUR, MINUTE, refreshEvents, refreshSimulation, refreshStateMachine, runDay, scheduledRefresh,
  seedInstanceCopy,
} from './refresh-harness';
import { installDatabaseNetwork } from '../../sim/database-network';
import type { RefreshExample } from '../../sim/example-refresh';
import type { Simulation, SimulationOptions } from '../../sim/simulation';
import { DatabaseKind, RefreshMode } from '../../src';
import { REFRESH_STATE } from '../../src/refreshing/workflow';

/*
 * RefreshedDatabase of a PostgreSQL DB instance `orders-pg` (DatabaseKind.DB_INSTANCE), fed by the
 * receiver's copies of its DB snapshots, in the simulated target account: the same scenarios as the
 * Aurora ones (refresh.test.ts, restore-test.test.ts), with the instance's own calls and its
 * 10-minute rename.
 */

const client = new RDSClient({ region: 'eu-west-1' });
const at = (day: number, hours: number) => new Date(runDay(day).getTime() + hours * HOUR);
const INSTANCE = { kind: DatabaseKind.DB_INSTANCE, sourceClusterIdentifier: 'orders-pg' };

function instanceSimulation(example: RefreshExample = {}, options: Omit<SimulationOptions, 'template' | 'account'> = {}): Simulation {
  // The receiver copies the instance's snapshots (its instanceIdentifiers); the copies are seeded as it makes them.
  return refreshSimulation({ ...example, receiver: { instanceIdentifiers: ['orders-pg'] }, refresh: { ...INSTANCE, ...example.refresh } }, options);
}

/** DB instances of the account's own, which the refresh must never touch: one with a similar name and one with the prefix and a generation. */
async function strangers(sim: Simulation): Promise<void> {
  sim.rds.instances.addForeignSnapshot('team-snapshot', 'orders-pg', { team: 'data' });
  for (const id of [`${DATABASE}-replica`, `${DATABASE}-202611260500`]) {
    await client.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: id, DBSnapshotIdentifier: 'team-snapshot', Tags: [{ Key: 'team', Value: 'data' }] }));
  }
  await sim.advance(20 * MINUTE);
}

async function strangerState(): Promise<unknown> {
  return (await client.send(new DescribeDBInstancesCommand({}))).DBInstances!
    .filter((i) => [`${DATABASE}-replica`, `${DATABASE}-202611260500`].includes(i.DBInstanceIdentifier!))
    .map((i) => [i.DBInstanceIdentifier, i.DBInstanceStatus, i.DeletionProtection, i.TagList, i.MasterUserSecret]);
}

describe('RefreshedDatabase of a DB instance in the simulator', () => {
  test('two scheduled refreshes leave one serving instance with the newest copy\'s data and a new secret; the previous one goes after its keep time', async () => {
    const received: unknown[] = [];
    const sim = instanceSimulation({ postRestore: true, refresh: { keepPrevious: Duration.hours(6) } }, {
      userFunctions: { Sanitize: async (event) => { received.push(event); return {}; } },
    });
    try {
      await strangers(sim);
      const before = await strangerState();
      const first = seedInstanceCopy(sim, runDay(0));
      await scheduledRefresh(sim, at(0, 2));
      expect(sim.executions.map((e) => [e.name, e.status, e.error])).toEqual([['refresh-202611270500', 'SUCCEEDED', undefined]]);
      // The restore creates the instance whole: no CreateInstances step, no CreateDBInstance call.
      expect(sim.executions[0].events.some((e) => e.state === REFRESH_STATE.createInstances)).toBe(false);
      expect(sim.rds.calls.filter((c) => c.api === 'CreateDBInstance' || c.api === 'RestoreDBClusterFromSnapshot')).toEqual([]);
      expect(dbInstance(sim, DATABASE)).toMatchObject({ restoredFrom: first, generation: '202611270500', instance: { status: 'available', deletionProtection: true } });
      const secret1 = sim.rds.databases.restoredInstances.instance(DATABASE)!.password;
      expect(secret1).toEqual({ kind: 'managed', secretArn: expect.stringMatching(/:secret:rds!db-/) });

      const second = seedInstanceCopy(sim, runDay(1));
      await sim.fireSchedule(at(1, 2), refreshStateMachine(sim));
      // The refresh waits out keepPrevious in its execution: stop the clock after the swap.
      await sim.advance(2 * HOUR);
      expect(dbInstance(sim, DATABASE)).toMatchObject({ restoredFrom: second, generation: '202611280500' });
      expect(dbInstance(sim, `${DATABASE}-202611270500`)).toMatchObject({ restoredFrom: first, instance: { deletionProtection: false } });
      // The stable name resolved to nothing while the new instance's rename took effect: about 10 minutes.
      const { names } = sim.rds.databases.restoredInstances;
      expect(names.unresolvedMs(DATABASE, at(1, 2).getTime(), Date.now())).toBe(sim.rds.databases.timings.instanceRenameMs);
      await sim.runUntilIdle();
      expect(sim.executions.map((e) => [e.name, e.status])).toEqual([['refresh-202611270500', 'SUCCEEDED'], ['refresh-202611280500', 'SUCCEEDED']]);
      expect(dbInstance(sim, `${DATABASE}-202611270500`)).toBeUndefined();
      const secret2 = sim.rds.databases.restoredInstances.instance(DATABASE)!.password;
      expect(secret2).toEqual({ kind: 'managed', secretArn: expect.stringMatching(/:secret:rds!db-/) });
      expect(secret2).not.toEqual(secret1);
      expect(sim.rds.databases.secrets.get((secret1 as { secretArn: string }).secretArn)!.deletedAt).toBeDefined();

      // Nothing else is touched: the strangers' instances, the copies, the other snapshots; no cluster.
      expect(await strangerState()).toEqual(before);
      expect(dbInstances(sim)).toEqual([DATABASE, `${DATABASE}-202611260500`, `${DATABASE}-replica`]);
      expect([first, second, 'team-snapshot'].map((id) => sim.rds.instances.snapshot(id)?.Status)).toEqual(['available', 'available', 'available']);
      expect(sim.rds.databases.clusters.size).toBe(0);
      expect(sim.rds.calls.filter((c) => c.error === 'AccessDenied')).toEqual([]);
      // Every restore was from a DB snapshot of this account: the receiver's copy, never a shared one.
      expect(sim.rds.calls.filter((c) => c.api === 'RestoreDBInstanceFromDBSnapshot' && c.functionId).length).toBe(2);
      expect(sim.rds.databases.restoredInstances.all().map((i) => i.restoredFrom).filter((arn) => !arn.includes(':222222222222:snapshot:'))).toEqual([]);

      expect(received).toEqual([1, 2].map((day) => expect.objectContaining({
        mode: 'refresh',
        stableIdentifier: DATABASE,
        databaseIdentifier: `${DATABASE}-2026112${6 + day}0500`,
        endpoint: expect.stringMatching(new RegExp(`^${DATABASE}-2026112${6 + day}0500\\.c`)),
        port: 5432,
        engine: 'postgres',
        masterUserSecretArn: expect.stringMatching(/:secret:rds!db-/),
        sourceSnapshotTime: runDay(day - 1).toISOString(),
      })));
      expect(refreshEvents(sim).map((e) => [e.detailType, e.detail.kind, e.detail.generation, e.detail.previousIdentifier])).toEqual([
        ['Database Refreshed', 'db-instance', '202611270500', null],
        ['Database Refreshed', 'db-instance', '202611280500', `${DATABASE}-202611270500`],
      ]);
    } finally {
      sim.dispose();
    }
  });

  test('a failing post-restore step leaves the serving instance, deletes the new one, fails by name and fires the alarm', async () => {
    let fail = false;
    const sim = instanceSimulation({ postRestore: true }, {
      userFunctions: {
        Sanitize: async () => {
          if (!fail) return {};
          throw Object.assign(new Error('relation "customers" does not exist'), { name: 'MigrationFailed' });
        },
      },
    });
    try {
      const first = seedInstanceCopy(sim, runDay(0));
      await scheduledRefresh(sim, at(0, 2));
      const serving = sim.rds.databases.restoredInstances.instance(DATABASE)!;
      fail = true;
      seedInstanceCopy(sim, runDay(1));
      await scheduledRefresh(sim, at(1, 2));
      const failed = sim.executions.at(-1)!;
      expect([failed.status, failed.error]).toEqual(['FAILED', 'PostRestoreFailed']);
      expect(failed.cause).toMatch(/MigrationFailed.*relation .customers. does not exist/);
      expect(sim.rds.databases.restoredInstances.instance(DATABASE)).toBe(serving);
      expect(dbInstance(sim, DATABASE)).toMatchObject({ restoredFrom: first, generation: '202611270500', instance: { status: 'available' } });
      expect(dbInstances(sim)).toEqual([DATABASE]);
      expect(refreshEvents(sim).at(-1)).toEqual({
        detailType: 'Database Refresh Failed',
        detail: { databaseIdentifier: DATABASE, error: 'PostRestoreFailed', cause: expect.stringContaining('MigrationFailed') },
      });
      expect(Object.entries(alarmStates(sim, failed.stoppedAt! + 5 * MINUTE)).filter(([id, s]) => id.includes('FailureAlarm') && s === 'ALARM')).toHaveLength(1);
    } finally {
      sim.dispose();
    }
  });

  test('a failure between the two renames gives both instances their names back, through the rename delay', async () => {
    const sim = instanceSimulation();
    try {
      const first = seedInstanceCopy(sim, runDay(0));
      await scheduledRefresh(sim, at(0, 2));
      seedInstanceCopy(sim, runDay(1));
      sim.lambdaFaults = { crashes: [{ state: REFRESH_STATE.renameIntoPlace, times: 1 }] };
      await scheduledRefresh(sim, at(1, 2));
      const failed = sim.executions.at(-1)!;
      expect([failed.status, failed.error]).toEqual(['FAILED', 'SwapFailed']);
      expect(failed.events.map((e) => e.state)).toEqual(expect.arrayContaining([REFRESH_STATE.rollBackNames, REFRESH_STATE.cleanUp]));
      // The previous instance holds the stable name again; like any rename, it resolves within about 10 minutes.
      expect(dbInstance(sim, DATABASE)).toMatchObject({ restoredFrom: first, generation: '202611270500', instance: { deletionProtection: true } });
      expect(dbInstances(sim)).toEqual([DATABASE]);
      await sim.advance(sim.rds.databases.timings.instanceRenameMs);
      expect(dbInstance(sim, DATABASE)!.instance.status).toBe('available');
      expect(sim.rds.databases.restoredInstances.names.resolve(DATABASE)).toBe(sim.rds.databases.restoredInstances.instance(DATABASE)!.resourceId);
    } finally {
      sim.dispose();
    }
  });

  describe('restore tests', () => {
    const TESTING: RefreshExample = { refresh: { mode: RefreshMode.RESTORE_TEST }, functionsInVpc: true };

    test('restore the newest copy, connect to it on the engine\'s port from the VPC, record that it passed, and delete it', async () => {
      const sim = instanceSimulation(TESTING);
      const network = installDatabaseNetwork(sim.rds.databases);
      try {
        seedInstanceCopy(sim, runDay(0));
        const newest = seedInstanceCopy(sim, runDay(1));
        await scheduledRefresh(sim, at(1, 2));
        expect([sim.executions.at(-1)!.status, sim.executions.at(-1)!.error]).toEqual(['SUCCEEDED', undefined]);
        expect(network.attempts).toEqual([expect.objectContaining({ host: expect.stringMatching(new RegExp(`^${DATABASE}-202611280500\\.c[0-9]`)), port: 5432, outcome: 'connect' })]);
        expect(dbInstances(sim)).toEqual([]);
        expect(refreshEvents(sim)).toEqual([{
          detailType: 'Database Restore Tested',
          detail: {
            databaseIdentifier: `${DATABASE}-202611280500`,
            sourceSnapshotArn: `arn:aws:rds:eu-west-1:222222222222:snapshot:${newest}`,
            sourceSnapshotTime: runDay(1).toISOString(),
            passed: true,
          },
        }]);
        expect(sim.rds.calls.filter((c) => c.api === 'DeleteDBSnapshot' || c.error === 'AccessDenied')).toEqual([]);
      } finally {
        network.uninstall();
        sim.dispose();
      }
    });

    test('a copy that does not restore fails the test by name, records it, and leaves nothing behind', async () => {
      const sim = instanceSimulation(TESTING);
      try {
        const copy = seedInstanceCopy(sim, runDay(0));
        sim.rds.databases.restoreFaults.set(copy, 'inaccessible-encryption-credentials');
        await scheduledRefresh(sim, at(0, 2));
        expect([sim.executions.at(-1)!.status, sim.executions.at(-1)!.error]).toEqual(['FAILED', 'RestoreFailed']);
        expect(sim.executions.at(-1)!.cause).toMatch(/is 'inaccessible-encryption-credentials'/);
        expect(dbInstances(sim)).toEqual([]);
        expect(refreshEvents(sim)).toEqual([{
          detailType: 'Database Restore Tested',
          detail: expect.objectContaining({ passed: false, error: 'RestoreFailed', cause: expect.stringContaining('inaccessible-encryption-credentials') }),
        }]);
        sim.rds.databases.restoreFaults.set(copy, 'refused');
        await scheduledRefresh(sim, at(1, 2));
        expect([sim.executions.at(-1)!.status, sim.executions.at(-1)!.error]).toEqual(['FAILED', 'RestoreFailed']);
        expect(refreshEvents(sim).at(-1)!.detail).toMatchObject({ passed: false, error: 'RestoreFailed', cause: expect.stringContaining('InvalidRestoreFault') });
      } finally {
        sim.dispose();
      }
    });
  });
});
