import {
  clusters, DATABASE, database, DAY, HOUR, refreshSimulation, runDay, scheduledRefresh, seedCopy,
} from './refresh-harness';

describe('RefreshedDatabase in the simulator', () => {
  test('two scheduled refreshes leave one serving database with the newest copy\'s data and a new secret', async () => {
    const sim = refreshSimulation();
    try {
      const first = seedCopy(sim, runDay(0));
      await scheduledRefresh(sim, new Date(runDay(0).getTime() + 2 * HOUR));
      const e1 = sim.executions.at(-1)!;
      expect([e1.status, e1.error, e1.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
      expect(database(sim, DATABASE)).toMatchObject({ restoredFrom: first });
      const secret1 = sim.rds.databases.cluster(DATABASE)!.password;
      const second = seedCopy(sim, runDay(1));
      await scheduledRefresh(sim, new Date(runDay(1).getTime() + 2 * HOUR));
      const e2 = sim.executions.at(-1)!;
      expect([e2.status, e2.error, e2.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
      expect(database(sim, DATABASE)).toMatchObject({ restoredFrom: second });
      console.log(clusters(sim), secret1, sim.rds.databases.cluster(DATABASE)!.password, DAY);
    } finally {
      sim.dispose();
    }
  });
});
