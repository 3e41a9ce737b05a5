/**
 * The DB instance benchmarks of `npx projen bench`, in the same simulator and timing model as the
 * cluster ones:
 * - one PostgreSQL instance on the AWS-managed `aws/rds` key, shared by "create, then copy" and by
 *   "copy the newest automated snapshot" (`snapshotSource`), side by side: states, transitions,
 *   snapshot operations and time to shared;
 * - a fleet of instances that all need a copy, under RDS's DB snapshot copy limit (20 in progress
 *   per account and Region: RDS User Guide, "Copying a DB snapshot"; modelled in rds-instances.ts),
 *   against its floor: one snapshot time plus ceil(N / 20) copy times.
 */
import { performance } from 'perf_hooks';
import { Duration } from 'aws-cdk-lib';
import { synthesizeTemplate } from './example-stack';
import { fleetIds, FLEET_START, MINUTE, runScheduledFleet } from './fleet-run';
import { INSTANCE_COPIES_IN_PROGRESS_LIMIT } from './rds-instances';
import { Simulation } from './simulation';
import { SnapshotSource } from '../src';

const INSTANCE = 'payments-pg';
/** Snapshot and copy durations of the side-by-side instance. */
const SNAPSHOT_MS = 10 * MINUTE;
const COPY_MS = 10 * MINUTE;
/** The automated snapshot the second design reuses: taken in the backup window, 2 hours before the run. */
const AUTOMATED_AGE_MS = 120 * MINUTE;

export interface SourceFigures {
  readonly design: string;
  readonly states: string[];
  readonly stateTransitions: number;
  readonly invocations: number;
  /** Snapshot operations the run asked RDS for (CreateDBSnapshot, CopyDBSnapshot). */
  readonly creates: number;
  readonly copies: number;
  /** Snapshots the run created (the temporary one included). */
  readonly snapshotsMade: number;
  /** From the run's scheduled time until its snapshot was shared. */
  readonly minutesToShared: number;
  /** How old the shared data is when shared: the source snapshot's age then. */
  readonly dataAgeMinutes: number;
  readonly outcome: string;
}

/** One scheduled run of the instance, by `design`. */
async function runSource(design: 'create, then copy' | 'copy the newest automated snapshot'): Promise<SourceFigures> {
  const automated = design !== 'create, then copy';
  const template = synthesizeTemplate({
    instanceIdentifiers: [INSTANCE],
    ...(automated ? { snapshotSource: SnapshotSource.newestAutomatedSnapshot(Duration.hours(6)) } : {}),
  });
  const sim = new Simulation({ template, start: new Date(FLEET_START.getTime() - MINUTE), lambdaDurationMs: 200 });
  try {
    sim.rds.instances.addInstance({ identifier: INSTANCE, snapshotMs: SNAPSHOT_MS, copyMs: COPY_MS });
    sim.rds.instances.addAutomatedSnapshot(INSTANCE, FLEET_START.getTime() - AUTOMATED_AGE_MS);
    await sim.fireSchedule(FLEET_START);
    await sim.runUntilIdle();
    const [execution] = sim.executions;
    const shared = [...sim.rds.instances.lifecycles.values()].find((l) => l.sharedAt !== undefined);
    const calls = (api: string) => sim.rds.calls.filter((c) => c.api === api && !c.error).length;
    const dataTime = automated ? Date.parse(execution.output?.sourceSnapshotTime ?? '') : FLEET_START.getTime();
    return {
      design,
      states: execution.events.filter((e) => e.type === 'StateEntered').map((e) => e.state!).filter((s, i, all) => all.indexOf(s) === i),
      stateTransitions: execution.stateTransitions,
      invocations: execution.handlerInvocations,
      creates: calls('CreateDBSnapshot'),
      copies: calls('CopyDBSnapshot'),
      snapshotsMade: sim.rds.instances.lifecycles.size,
      minutesToShared: shared ? (shared.sharedAt! - FLEET_START.getTime()) / MINUTE : Number.NaN,
      dataAgeMinutes: shared ? (shared.sharedAt! - dataTime) / MINUTE : Number.NaN,
      outcome: execution.status,
    };
  } finally {
    sim.dispose();
  }
}

export async function runSnapshotSources(): Promise<SourceFigures[]> {
  return [await runSource('create, then copy'), await runSource('copy the newest automated snapshot')];
}

export interface InstanceFleetFigures {
  readonly instances: number;
  readonly copyLimit: number;
  readonly snapshotMinutes: number;
  readonly copyMinutes: number;
  readonly succeeded: number;
  readonly completionMinutes: number;
  readonly floorMinutes: number;
  /** Copy requests RDS refused because its limit was reached. */
  readonly refusedCopies: number;
  readonly realSeconds: number;
}

/** A fleet of DB instances on the aws/rds key: every one needs a copy, 20 at a time at most. */
export async function runInstanceFleet(instances = 100, snapshotMinutes = 10, copyMinutes = 10): Promise<InstanceFleetFigures> {
  const realStart = performance.now();
  const ids = fleetIds('pg', instances, 3);
  const sim = new Simulation({
    template: synthesizeTemplate({ instanceIdentifiers: ids }),
    start: new Date(FLEET_START.getTime() - MINUTE),
    lambdaDurationMs: 200,
    startExecutionLatencyMs: 50,
    // Room for two snapshots per instance: the quota is not what this measures.
    rdsFaults: { manualInstanceSnapshotQuota: 4 * instances },
  });
  try {
    ids.forEach((identifier) => sim.rds.instances.addInstance({ identifier, snapshotMs: snapshotMinutes * MINUTE, copyMs: copyMinutes * MINUTE }));
    const run = await runScheduledFleet(sim);
    return {
      instances,
      copyLimit: INSTANCE_COPIES_IN_PROGRESS_LIMIT,
      snapshotMinutes,
      copyMinutes,
      succeeded: run.succeeded,
      completionMinutes: run.runMinutes,
      floorMinutes: snapshotMinutes + Math.ceil(instances / INSTANCE_COPIES_IN_PROGRESS_LIMIT) * copyMinutes,
      refusedCopies: sim.rds.calls.filter((c) => c.api === 'CopyDBSnapshot' && c.error === 'SnapshotQuotaExceededFault').length,
      realSeconds: (performance.now() - realStart) / 1000,
    };
  } finally {
    sim.dispose();
  }
}

/** The instance fleet's target: within this many times its floor, every execution succeeding (as the cluster fleet's). */
export const INSTANCE_FLEET_TARGET_RATIO = 1.15;

/** The BENCHMARKS.md section and its checks. */
export function instanceSection(
  sources: SourceFigures[], fleet: InstanceFleetFigures,
): { lines: string[]; checks: Array<readonly [string, boolean]> } {
  const [created, reused] = sources;
  const ratio = fleet.completionMinutes / fleet.floorMinutes;
  const failed = fleet.instances - fleet.succeeded;
  return {
    lines: [
      '## DB instances: "create, then copy" versus "copy the newest automated snapshot"',
      '',
      'One RDS for PostgreSQL instance on the AWS-managed `aws/rds` key (its snapshot must be copied with the sharing key to be shared);',
      `snapshot and copy take ${SNAPSHOT_MS / MINUTE} minutes each; its newest automated snapshot was taken ${AUTOMATED_AGE_MS / MINUTE} minutes before the run.`,
      'The second design is `snapshotSource: SnapshotSource.newestAutomatedSnapshot(Duration.hours(6))`.',
      '',
      '| design | states | state transitions | handler invocations | CreateDBSnapshot | CopyDBSnapshot | snapshots made | time to shared | data age when shared | outcome |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...sources.map((f) => `| ${f.design} | ${f.states.join(' → ')} | ${f.stateTransitions} | ${f.invocations} | ${f.creates} | ${f.copies} | ${f.snapshotsMade} `
        + `| ${f.minutesToShared.toFixed(1)} min | ${f.dataAgeMinutes.toFixed(1)} min | ${f.outcome} |`),
      '',
      `## DB instance fleet: ${fleet.instances} instances that all need a copy`,
      '',
      `Every instance on \`aws/rds\`; RDS allows ${fleet.copyLimit} DB snapshot copies in progress per account and Region (and \`maxConcurrentInstanceCopies\``,
      `defaults to it). Snapshots take ${fleet.snapshotMinutes} minutes, copies ${fleet.copyMinutes}; the floor is the snapshot time plus ceil(${fleet.instances} / ${fleet.copyLimit}) copy times.`,
      '',
      '| instances | copies in flight (RDS limit) | floor | completion | vs floor | executions | copy requests refused | real time |',
      '|---|---|---|---|---|---|---|---|',
      `| ${fleet.instances} | ${fleet.copyLimit} | ${fleet.floorMinutes} min | ${fleet.completionMinutes.toFixed(0)} min | ${ratio.toFixed(2)} × `
        + `| ${fleet.succeeded} succeeded, ${failed} failed | ${fleet.refusedCopies} | ${fleet.realSeconds.toFixed(1)} s |`,
      '',
    ],
    checks: [
      [`reusing the automated snapshot shares the instance with one snapshot operation and no temporary snapshot (${reused.creates} creates, ${reused.copies} copy, `
        + `${reused.snapshotsMade} snapshot made; create-then-copy: ${created.creates} + ${created.copies}, ${created.snapshotsMade} made)`,
      reused.creates === 0 && reused.copies === 1 && reused.snapshotsMade === 1 && created.snapshotsMade === 2 && reused.outcome === 'SUCCEEDED'],
      [`reusing the automated snapshot shares sooner (${reused.minutesToShared.toFixed(1)} min vs ${created.minutesToShared.toFixed(1)} min) in fewer transitions `
        + `(${reused.stateTransitions} vs ${created.stateTransitions})`, reused.minutesToShared < created.minutesToShared && reused.stateTransitions < created.stateTransitions],
      [`the DB instance fleet of ${fleet.instances} completes within ${INSTANCE_FLEET_TARGET_RATIO} × its floor (${ratio.toFixed(2)} ×), every execution succeeding`,
        ratio <= INSTANCE_FLEET_TARGET_RATIO && failed === 0],
    ],
  };
}

if (require.main === module) {
  (async () => {
    const section = instanceSection(await runSnapshotSources(), await runInstanceFleet(Number(process.argv[2] ?? 100)));
    console.log([...section.lines, ...section.checks.map(([text, ok]) => `- ${ok ? '✅' : '❌'} ${text}`)].join('\n'));
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
