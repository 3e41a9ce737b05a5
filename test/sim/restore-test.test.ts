import { clusters, DATABASE, HOUR, refreshEvents, refreshSimulation, runDay, scheduledRefresh, seedCopy } from './refresh-harness';
import { installDatabaseNetwork } from '../../sim/database-network';
import type { Simulation } from '../../sim/simulation';
import { RefreshMode } from '../../src';
import { REFRESH_STATE } from '../../src/refreshing/workflow';

const at = (day: number, hours: number) => new Date(runDay(day).getTime() + hours * HOUR);
const TESTING = { refresh: { mode: RefreshMode.RESTORE_TEST }, functionsInVpc: true };

/** A restore-test simulation with the database network installed; `refusedPorts` never accept a connection. */
async function withTest(run: (sim: Simulation, network: ReturnType<typeof installDatabaseNetwork>) => Promise<void>, refusedPorts: number[] = []) {
  const sim = refreshSimulation(TESTING);
  let network: ReturnType<typeof installDatabaseNetwork> | undefined;
  try {
    network = installDatabaseNetwork(sim.rds.databases, refusedPorts);
    await run(sim, network);
  } finally {
    network?.uninstall();
    sim.dispose();
  }
}

describe('restore tests in the simulator', () => {
  test('restore the newest copy, connect to it from the VPC, record that it passed, and delete it', () => withTest(async (sim, network) => {
    seedCopy(sim, runDay(0));
    const newest = seedCopy(sim, runDay(1));
    await scheduledRefresh(sim, at(1, 2));
    const execution = sim.executions.at(-1)!;
    expect([execution.status, execution.error]).toEqual(['SUCCEEDED', undefined]);
    expect(execution.events.some((e) => e.state === REFRESH_STATE.checkConnection)).toBe(true);
    expect(network.attempts).toEqual([expect.objectContaining({ host: expect.stringMatching(new RegExp(`^${DATABASE}-202611280500\\.cluster-`)), port: 5432, outcome: 'connect' })]);
    expect(clusters(sim)).toEqual([]);
    expect(sim.rds.databases.instances.size).toBe(0);
    expect(refreshEvents(sim)).toEqual([{
      detailType: 'Database Restore Tested',
      detail: {
        databaseIdentifier: `${DATABASE}-202611280500`,
        sourceSnapshotArn: `arn:aws:rds:eu-west-1:222222222222:cluster-snapshot:${newest}`,
        sourceSnapshotTime: runDay(1).toISOString(),
        passed: true,
      },
    }]);
    // The copies are only read.
    expect(sim.rds.calls.filter((c) => c.api === 'DeleteDBClusterSnapshot')).toEqual([]);
  }));

  test('a copy that does not restore fails the test by name, records it, and leaves nothing behind', () => withTest(async (sim) => {
    const copy = seedCopy(sim, runDay(0));
    sim.rds.databases.restoreFaults.set(copy, 'inaccessible-encryption-credentials');
    await scheduledRefresh(sim, at(0, 2));
    const execution = sim.executions.at(-1)!;
    expect([execution.status, execution.error]).toEqual(['FAILED', 'RestoreFailed']);
    expect(execution.cause).toMatch(/is 'inaccessible-encryption-credentials'/);
    expect(clusters(sim)).toEqual([]);
    expect(refreshEvents(sim)).toEqual([{
      detailType: 'Database Restore Tested',
      detail: expect.objectContaining({ passed: false, error: 'RestoreFailed', cause: expect.stringContaining('inaccessible-encryption-credentials') }),
    }]);
    sim.rds.databases.restoreFaults.set(copy, 'refused');
    await scheduledRefresh(sim, at(1, 2));
    expect([sim.executions.at(-1)!.status, sim.executions.at(-1)!.error]).toEqual(['FAILED', 'RestoreFailed']);
    expect(refreshEvents(sim).at(-1)!.detail).toMatchObject({ passed: false, error: 'RestoreFailed', cause: expect.stringContaining('InvalidRestoreFault') });
  }));

  test('a database that restores but refuses connections fails the test by name, and is deleted', () => withTest(async (sim, network) => {
    seedCopy(sim, runDay(0));
    await scheduledRefresh(sim, at(0, 2));
    const execution = sim.executions.at(-1)!;
    expect([execution.status, execution.error]).toEqual(['FAILED', 'RestoreTestFailed']);
    expect(execution.cause).toMatch(/did not accept a connection: ECONNREFUSED/);
    expect(network.attempts.map((a) => a.outcome)).toEqual(['ECONNREFUSED']);
    expect(clusters(sim)).toEqual([]);
    expect(refreshEvents(sim).at(-1)!.detail).toMatchObject({ passed: false, error: 'RestoreTestFailed' });
  }, [5432]));
});
