/**
 * The refresh's part of `npx projen bench` (and `ts-node sim/bench-refresh.ts` alone, which rewrites
 * only its block of BENCHMARKS.md): how long a RefreshedDatabase takes from a new copy to the
 * refreshed database serving under its stable identifier, against its floor in the same timing model
 * (the restore, then the instances or the password reset, whichever is longer, then the rename, plus
 * the post-restore step when there is one); how long the stable name resolves to nothing (its floor:
 * the rename's delay); and what a refresh costs in database-hours and state transitions.
 */
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { seedReceiverCopy, synthesizeRefreshTemplate } from './example-refresh';
import type { DatabaseTimings } from './rds-database-types';
import { Simulation } from './simulation';
import { ENV, REFRESH_ENV } from '../src/shared/constants';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TARGET = '222222222222';
const SOURCE = '111111111111';
const DATABASE = 'orders-staging';
const START = Date.parse('2026-11-27T05:00:00Z');
/** Each Lambda invocation takes this much virtual time, as in the other benches. */
const LAMBDA_MS = 200;
/** Refresh overhead over the floor the bench accepts: one status check per wait (a minute each) and the Lambda calls. */
const OVERHEAD_TARGET_MS = 5 * MINUTE;

export interface RefreshScenario {
  readonly name: string;
  readonly timings: DatabaseTimings;
  /** The post-restore step's duration, when there is one. */
  readonly postRestoreMs?: number;
  readonly keepPrevious?: Duration;
}

export interface RefreshFigures {
  readonly scenario: string;
  /** From the new copy (the run's start) to the stable name resolving to the new, available database. */
  readonly servingMs: number;
  readonly floorMs: number;
  /** How long the stable name resolved to nothing, and its floor (the rename's delay). */
  readonly unresolvedMs: number;
  readonly unresolvedFloorMs: number;
  readonly stateTransitions: number;
  readonly invocations: number;
  /** Database-hours the account held in the day after the refresh started: 24 for the serving one alone. */
  readonly databaseHours: number;
  readonly outcome: string;
}

/** Durations that are no multiple of the status checks' interval, as RDS's are not. */
const DEFAULT_TIMINGS: DatabaseTimings = {
  restoreMs: 14.5 * MINUTE, instanceMs: 9.7 * MINUTE, renameMs: 2 * MINUTE, modifyMs: MINUTE, deleteMs: 5 * MINUTE,
};
/** Between the two renames: two Lambda invocations and the rename calls themselves. */
const RENAME_GAP_TARGET_MS = 5000;

export const REFRESH_SCENARIOS: RefreshScenario[] = [
  { name: 'restore 14.5 min, instance 9.7 min, rename 2 min', timings: DEFAULT_TIMINGS },
  { name: 'the same, keepPrevious 1 hour', timings: DEFAULT_TIMINGS, keepPrevious: Duration.hours(1) },
  { name: 'rename 10 min (as for DB instances)', timings: { ...DEFAULT_TIMINGS, renameMs: 10 * MINUTE } },
  { name: 'restore 44.5 min, post-restore step 20 min', timings: { ...DEFAULT_TIMINGS, restoreMs: 44.5 * MINUTE }, postRestoreMs: 20 * MINUTE },
];


/** Day 1 refreshes so a database serves; day 2's refresh, of a copy made at its start, is measured. */
export async function runRefreshScenario(scenario: RefreshScenario): Promise<RefreshFigures> {
  const template = synthesizeRefreshTemplate(TARGET, SOURCE, {
    postRestore: scenario.postRestoreMs !== undefined, refresh: { keepPrevious: scenario.keepPrevious },
  });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const sim = new Simulation({
    template,
    account: TARGET,
    start: new Date(START - MINUTE),
    lambdaDurationMs: LAMBDA_MS,
    userFunctions: { Sanitize: async () => sleep(scenario.postRestoreMs ?? 0).then(() => ({})) },
  });
  try {
    sim.rds.databases.timings = scenario.timings;
    const isStarter = (env: Record<string, string>) => REFRESH_ENV.DATABASE_IDENTIFIER in env && ENV.STATE_MACHINE_ARN in env;
    const starter = [...sim.functionsByArn.values()].find((f) => isStarter(f.environment))!;
    const stateMachine = starter.environment[ENV.STATE_MACHINE_ARN];
    seedReceiverCopy(sim, SOURCE, START - 2 * HOUR);
    await sim.fireSchedule(new Date(START), stateMachine);
    await sim.runUntilIdle();
    const from = START + DAY;
    await sim.advance(from - Date.now() - MINUTE);
    seedReceiverCopy(sim, SOURCE, from - 2 * HOUR);
    await sim.fireSchedule(new Date(from), stateMachine);
    await sim.runUntilIdle();
    await sim.advance(from + DAY - Date.now());
    const execution = sim.executions.at(-1)!;
    const databases = sim.rds.databases;
    const served = databases.names.records.find((r) => r.name === DATABASE && r.from >= from)!;
    const t = scenario.timings;
    for (const c of [...databases.clusters.values()]) databases.cluster(c.identifier);
    return {
      scenario: scenario.name,
      servingMs: served.from - from,
      floorMs: t.restoreMs + Math.max(t.instanceMs, t.modifyMs) + t.renameMs + (scenario.postRestoreMs ?? 0),
      unresolvedMs: databases.names.unresolvedMs(DATABASE, from, from + DAY),
      unresolvedFloorMs: t.renameMs,
      stateTransitions: execution.stateTransitions,
      invocations: execution.handlerInvocations,
      databaseHours: [...databases.lifetimes.values()]
        .reduce((sum, l) => sum + Math.max(0, Math.min(l.goneAt ?? from + DAY, from + DAY) - Math.max(l.createdAt, from)), 0) / HOUR,
      outcome: execution.error ? `${execution.status} (${execution.error})` : execution.status,
    };
  } finally {
    sim.dispose();
  }
}

const minutes = (ms: number) => `${Math.floor(ms / MINUTE)} min ${((ms % MINUTE) / 1000).toFixed(1)} s`;

/** The section's lines, with its checks. */
export async function refreshSection(): Promise<{ lines: string[]; checks: Array<readonly [string, boolean]> }> {
  const figures: RefreshFigures[] = [];
  for (const scenario of REFRESH_SCENARIOS) figures.push(await runRefreshScenario(scenario));
  const checks = [
    ...figures.map((f) => [`${f.scenario}: serving ${minutes(f.servingMs - f.floorMs)} after its floor (≤ ${OVERHEAD_TARGET_MS / MINUTE} min), ${f.outcome}`,
      f.servingMs - f.floorMs <= OVERHEAD_TARGET_MS && f.outcome === 'SUCCEEDED'] as const),
    ...figures.map((f) => [`${f.scenario}: the stable name resolves to nothing for the rename's delay and ${((f.unresolvedMs - f.unresolvedFloorMs) / 1000).toFixed(1)} s (≤ ${RENAME_GAP_TARGET_MS / 1000} s)`,
      f.unresolvedMs - f.unresolvedFloorMs <= RENAME_GAP_TARGET_MS] as const),
  ];
  const lines = [
    '## RefreshedDatabase: from a new copy to the refreshed database serving',
    '',
    'One RefreshedDatabase (Aurora, one Serverless v2 instance, `waitInterval` 1 minute) in the simulator, which models the restore,',
    'the instance, the password reset and the rename with the delays listed (RDS documents only the rename\'s: about 2 minutes for',
    'Multi-AZ DB clusters, about 10 for DB instances; Aurora\'s is unconfirmed), 200 ms per Lambda invocation. Day 1 refreshes so a',
    'database serves; day 2\'s refresh, started when a new copy is available, is measured. The floor is the restore, then the longer',
    'of the instance and the password reset, then the rename (plus the post-restore step): what RDS itself takes.',
    '',
    '| scenario | new copy → serving | floor | stable name unresolved | its floor (the rename) | state transitions | handler invocations | database-hours in the day | outcome |',
    '|---|---|---|---|---|---|---|---|---|',
    ...figures.map((f) => `| ${f.scenario} | ${minutes(f.servingMs)} | ${minutes(f.floorMs)} | ${minutes(f.unresolvedMs)} | ${minutes(f.unresolvedFloorMs)} `
      + `| ${f.stateTransitions} | ${f.invocations} | ${f.databaseHours.toFixed(1)} | ${f.outcome} |`),
    '',
    'Database-hours: the serving database\'s 24, plus the new one while it is restored and checked, plus the previous one until',
    '`keepPrevious` ends (by default until the next refresh: a second database all day). Each is billed as Aurora bills it',
    '(instance or ACU hours, and storage).',
    '',
    ...checks.map(([text, ok]) => `- ${ok ? '✅' : '❌'} ${text}`),
  ];
  return { lines, checks };
}

const BLOCK = { start: '<!-- refresh-bench:start -->', end: '<!-- refresh-bench:end -->' };

/** The section between its markers, for BENCHMARKS.md. */
export function refreshBlock(lines: string[]): string {
  return [BLOCK.start, ...lines, BLOCK.end].join('\n');
}

if (require.main === module) {
  void (async () => {
    const { lines, checks } = await refreshSection();
    const file = process.env.BENCH_OUTPUT ?? path.join(__dirname, '..', 'BENCHMARKS.md');
    const text = readFileSync(file, 'utf8');
    const block = refreshBlock(lines);
    const start = text.indexOf(BLOCK.start);
    const next = start < 0 ? `${text.trimEnd()}\n\n${block}\n` : text.slice(0, start) + block + text.slice(text.indexOf(BLOCK.end) + BLOCK.end.length);
    writeFileSync(file, next);
    console.log(lines.join('\n'));
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  })();
}
