import { Duration } from 'aws-cdk-lib';
import {
  clusters, DATABASE, database, HOUR, MINUTE, refreshEvents, refreshSimulation, runDay, scheduledRefresh, seedCopy,
} from './refresh-harness';
import { STAGING_RECORD, STAGING_ZONE_ID } from '../../sim/example-refresh';
import { endpointOf } from '../../sim/rds-database-views';
import type { Simulation } from '../../sim/simulation';
import { REFRESH_STATE } from '../../src/refreshing/workflow';

// endpointRecord: no rename; a CNAME in a private zone points at the serving database, changed by
// Route 53 UPSERTs (sim/route53.ts), so the stable name always answers with a database that exists.

const at = (day: number, hours: number) => new Date(runDay(day).getTime() + hours * HOUR);
const TARGET = '222222222222';

function withZone(keepPrevious?: Duration): Simulation {
  const sim = refreshSimulation({ endpointRecord: true, refresh: keepPrevious ? { keepPrevious } : {} });
  sim.route53.addZone(STAGING_ZONE_ID);
  return sim;
}

/** The endpoint's database resolves at `at` (its identifier is the endpoint's first label). */
function reaches(sim: Simulation): (endpoint: string, at: number) => boolean {
  return (endpoint, when) => sim.rds.databases.names.resolve(endpoint.split('.')[0], when) !== undefined;
}

describe('RefreshedDatabase with an endpoint record, in the simulator', () => {
  test('two refreshes: the record points at the newest database, the stable name never answers with nothing, the previous one goes after its keep time', async () => {
    const sim = withZone(Duration.hours(6));
    try {
      const first = seedCopy(sim, runDay(0));
      await scheduledRefresh(sim, at(0, 2));
      expect(sim.executions.map((e) => [e.name, e.status, e.error])).toEqual([['refresh-202611270500', 'SUCCEEDED', undefined]]);
      const gen1 = `${DATABASE}-202611270500`;
      // No database holds the stable identifier: each keeps its generation name.
      expect(database(sim, DATABASE)).toBeUndefined();
      expect(database(sim, gen1)).toMatchObject({ restoredFrom: first, generation: '202611270500' });
      expect(sim.rds.databases.cluster(gen1)).toMatchObject({ deletionProtection: true });
      expect(sim.route53.resolve(STAGING_RECORD)).toBe(endpointOf(gen1, TARGET));
      expect(sim.route53.zones.get(STAGING_ZONE_ID)!.get(`${STAGING_RECORD} CNAME`)).toEqual({
        Name: STAGING_RECORD, Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: endpointOf(gen1, TARGET) }],
      });
      const servingSince = Date.now();

      const second = seedCopy(sim, runDay(1));
      await sim.fireSchedule(at(1, 2), sim.executions[0].stateMachineArn);
      await sim.advance(2 * HOUR);
      const gen2 = `${DATABASE}-202611280500`;
      expect(sim.route53.resolve(STAGING_RECORD)).toBe(endpointOf(gen2, TARGET));
      expect(database(sim, gen2)).toMatchObject({ restoredFrom: second });
      expect(database(sim, gen1)).toMatchObject({ restoredFrom: first }); // kept for keepPrevious
      await sim.runUntilIdle();
      expect(sim.executions.map((e) => [e.name, e.status])).toEqual([['refresh-202611270500', 'SUCCEEDED'], ['refresh-202611280500', 'SUCCEEDED']]);
      expect(database(sim, gen1)).toBeUndefined();
      expect(clusters(sim)).toEqual([gen2]);
      // From the first swap on, the record always answered with a database that existed.
      expect(sim.route53.unreachableMs(STAGING_RECORD, servingSince, Date.now(), reaches(sim), MINUTE)).toBe(0);
      expect(refreshEvents(sim).filter((e) => e.detailType === 'Database Refreshed').map((e) => e.detail)).toEqual([
        expect.objectContaining({ endpoint: STAGING_RECORD, generation: '202611270500', previousIdentifier: null }),
        expect.objectContaining({ endpoint: STAGING_RECORD, generation: '202611280500', previousIdentifier: gen1 }),
      ]);
      // Only the one CNAME was ever changed.
      expect(sim.route53.changes.flatMap((c) => c.changes.map((x) => `${x.Action} ${x.ResourceRecordSet.Name} ${x.ResourceRecordSet.Type}`)))
        .toEqual([`UPSERT ${STAGING_RECORD} CNAME`, `UPSERT ${STAGING_RECORD} CNAME`]);
      expect(sim.rds.calls.filter((c) => c.error === 'AccessDenied')).toEqual([]);
    } finally {
      sim.dispose();
    }
  });

  test('a failure after the record changed points it back at the database that served, and deletes the new one', async () => {
    const sim = withZone();
    try {
      seedCopy(sim, runDay(0));
      await scheduledRefresh(sim, at(0, 2));
      const gen1 = `${DATABASE}-202611270500`;
      seedCopy(sim, runDay(1));
      sim.lambdaFaults = { crashes: [{ state: REFRESH_STATE.promoteNew, times: 1 }] };
      await scheduledRefresh(sim, at(1, 2));
      const failed = sim.executions.at(-1)!;
      expect([failed.status, failed.error]).toEqual(['FAILED', 'SwapFailed']);
      expect(failed.events.filter((e) => e.type === 'TaskStateEntered' || e.type === 'StateEntered').map((e) => e.state)).toEqual(expect.arrayContaining([
        REFRESH_STATE.pointRecord, REFRESH_STATE.checkRecord, REFRESH_STATE.promoteNew, REFRESH_STATE.recordBefore, REFRESH_STATE.restoreRecord,
        REFRESH_STATE.rollBackRoles, REFRESH_STATE.cleanUp,
      ]));
      expect(sim.route53.resolve(STAGING_RECORD)).toBe(endpointOf(gen1, TARGET));
      expect(clusters(sim)).toEqual([gen1]);
      expect(database(sim, gen1)!.cluster.tags).toContainEqual({ Key: 'refreshed-database:role', Value: 'serving' });
      // The next refresh finds gen1 serving and replaces it.
      await scheduledRefresh(sim, at(1, 3));
      expect(sim.executions.at(-1)!.status).toBe('SUCCEEDED');
      expect(sim.route53.resolve(STAGING_RECORD)).toBe(endpointOf(`${DATABASE}-202611280600`, TARGET));
    } finally {
      sim.dispose();
    }
  });

  test('a first refresh that fails after pointing the record deletes the record again', async () => {
    const sim = withZone();
    try {
      seedCopy(sim, runDay(0));
      sim.lambdaFaults = { crashes: [{ state: REFRESH_STATE.promoteNew, times: 1 }] };
      await scheduledRefresh(sim, at(0, 2));
      expect([sim.executions[0].status, sim.executions[0].error]).toEqual(['FAILED', 'SwapFailed']);
      expect(sim.route53.zones.get(STAGING_ZONE_ID)!.size).toBe(0);
      expect(clusters(sim)).toEqual([]);
    } finally {
      sim.dispose();
    }
  });
});
