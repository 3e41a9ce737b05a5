/**
 * What the fleet benchmarks (fleet.ts, copy-fleet.ts) share: one scheduled run of many clusters in
 * the simulator, with the same Lambda and StartExecution latencies, from the schedule's firing at
 * FLEET_START until every execution has stopped.
 */
import { CfnTemplate, Simulation, StarterRun } from './simulation';

export const MINUTE = 60_000;
/** The scheduled minute every fleet run starts at. */
export const FLEET_START = new Date('2026-11-27T03:00:00Z');

/** `count` cluster identifiers that sort in numeric order: `<prefix>-000-db`, `<prefix>-001-db`, ... */
export function fleetIds(prefix: string, count: number, digits: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(digits, '0')}-db`);
}

/** A simulation of `template` a minute before FLEET_START, with room for `manualSnapshotQuota` snapshots. */
export function fleetSimulation(template: CfnTemplate, manualSnapshotQuota: number): Simulation {
  return new Simulation({
    template,
    start: new Date(FLEET_START.getTime() - MINUTE),
    lambdaDurationMs: 200,
    startExecutionLatencyMs: 50,
    rdsFaults: { manualSnapshotQuota },
  });
}

export interface FleetRun {
  readonly starter: StarterRun;
  /** Executions that succeeded. */
  readonly succeeded: number;
  /** From FLEET_START until the last execution stopped. */
  readonly runMinutes: number;
}

/** Fires the schedule at FLEET_START and runs the simulation until it is idle. */
export async function runScheduledFleet(sim: Simulation): Promise<FleetRun> {
  const starter = await sim.fireSchedule(FLEET_START);
  await sim.runUntilIdle();
  const end = Math.max(...sim.executions.map((e) => e.stoppedAt ?? 0));
  return {
    starter,
    succeeded: sim.executions.filter((e) => e.status === 'SUCCEEDED').length,
    runMinutes: (end - FLEET_START.getTime()) / MINUTE,
  };
}
