/**
 * The third part of `npx projen demo`: a RefreshedDatabase keeps a staging database fresh in the
 * target account. Day 1 restores the first copy; day 2 refreshes it (restore, instance, new master
 * secret, the post-restore step, the swap under the stable name, the previous database deleted after
 * keepPrevious); day 3's post-restore step fails, and the serving database stays. The receiver's
 * copies are put in place as it makes them (the handoff above shows it making them).
 */
import { Duration } from 'aws-cdk-lib';
import { seedReceiverCopy, synthesizeRefreshTemplate } from './example-refresh';
import { Simulation } from './simulation';
import type { Execution } from './step-functions';
import { REFRESH_STATE } from '../src/refreshing/states';
import { ENV, REFRESH_ENV } from '../src/shared/constants';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TARGET = '222222222222';
const SOURCE = '111111111111';
const DATABASE = 'orders-staging';
/** The refresh runs at 05:00 UTC (06:00 in Berlin); the receiver's copy of the 03:00 (Berlin) snapshot is there by then. */
const FIRST = Date.parse('2026-11-27T05:00:00Z');
const day = (n: number) => FIRST + n * 24 * HOUR;
const LAMBDA_MS = 200;

/** What each step of a run did, as a line of its timeline. */
const SAYS: Partial<Record<string, (generation: string) => string>> = {
  [REFRESH_STATE.restore]: (g) => `restore the newest copy as ${DATABASE}-${g} (Serverless v2, 0.5-4 ACU, no deletion protection)`,
  [REFRESH_STATE.createInstances]: (g) => `${DATABASE}-${g} available; create its instance ${DATABASE}-${g}-1`,
  [REFRESH_STATE.resetMasterPassword]: () => 'reset the master password into a new Secrets Manager secret (ManageMasterUserPassword)',
  [REFRESH_STATE.postRestore]: () => 'instance and secret ready; run the post-restore step (sanitize)',
  [REFRESH_STATE.renameServingAway]: () => `rename the serving ${DATABASE} away to its generation name`,
  [REFRESH_STATE.renameIntoPlace]: (g) => `rename ${DATABASE}-${g} to ${DATABASE}; the name resolves again once the rename takes effect`,
  [REFRESH_STATE.publishRefreshed]: (g) => `${DATABASE} serves generation ${g}: Database Refreshed`,
  [REFRESH_STATE.deletePrevious]: () => 'keepPrevious is over: delete the previous database',
  [REFRESH_STATE.postRestoreFailed]: () => 'the post-restore step failed',
  [REFRESH_STATE.cleanUp]: (g) => `delete ${DATABASE}-${g}, its instance first; ${DATABASE} keeps serving`,
  [REFRESH_STATE.publishFailed]: () => 'Database Refresh Failed',
};

export async function refreshDemo(print: (line?: string) => void, clock: (ms: number) => string): Promise<void> {
  let failMigration = false;
  const template = synthesizeRefreshTemplate(TARGET, SOURCE, { postRestore: true, refresh: { keepPrevious: Duration.hours(2) } });
  const sim = new Simulation({
    template,
    account: TARGET,
    start: new Date(day(0) - 3 * HOUR),
    lambdaDurationMs: LAMBDA_MS,
    userFunctions: {
      Sanitize: async () => {
        await new Promise((resolve) => setTimeout(resolve, 4 * MINUTE));
        if (failMigration) throw Object.assign(new Error('relation "customers_v2" does not exist'), { name: 'MigrationFailed' });
        return {};
      },
    },
  });
  try {
    const env = (predicate: (e: Record<string, string>) => boolean, key: string) =>
      [...sim.functionsByArn.values()].map((f) => f.environment).find(predicate)![key];
    const stateMachine = env((e) => REFRESH_ENV.DATABASE_IDENTIFIER in e && ENV.STATE_MACHINE_ARN in e, ENV.STATE_MACHINE_ARN);
    print('RefreshedDatabase: a staging database kept fresh from the copies, in target account ' + TARGET);
    print(`${DATABASE} from orders-db's copies · daily at ${clock(day(0))} · a post-restore step (sanitize) · keepPrevious 2 hours`);

    const titles = [
      'Day 1: the first refresh: nothing serves yet, so nothing is renamed away',
      'Day 2: the refresh: a new database from the newest copy, swapped in under the same name',
      'Day 3: the post-restore step fails: the new database is deleted, the serving one stays',
    ];
    for (const [n, title] of titles.entries()) {
      seedReceiverCopy(sim, SOURCE, day(n) - 3 * HOUR);
      failMigration = n === 2;
      await sim.advance(day(n) - Date.now());
      await sim.fireSchedule(new Date(day(n)), stateMachine);
      await sim.runUntilIdle();
      print();
      print(title);
      const execution = sim.executions.at(-1)!;
      for (const line of timeline(execution, n === 0)) print(`  ${clock(line.at)}  ${line.text}`);
      const serving = sim.rds.databases.cluster(DATABASE)!;
      const generation = serving.tags.find((t) => t.Key === 'refreshed-database:generation')?.Value;
      const outcome = execution.status === 'SUCCEEDED' ? '✔ SUCCEEDED' : `✘ ${execution.status}: ${execution.error}`;
      print(`  ${clock(execution.stoppedAt!)}  ${outcome}; ${DATABASE} serves generation ${generation}, restored from ${serving.restoredFrom.split(':').pop()}`);
    }

    print();
    print('Final state');
    const clusters = [...sim.rds.databases.clusters.values()].map((c) => c.identifier);
    print(`  databases: ${clusters.join(', ')} (the previous ones deleted after keepPrevious, the failed one after its failure)`);
    const secrets = [...sim.rds.databases.secrets.values()];
    print(`  master secrets: ${secrets.length} created, ${secrets.filter((s) => s.deletedAt).length} deleted with their databases; the serving one is new, never the source's`);
    const unresolved = sim.rds.databases.names.unresolvedMs(DATABASE, day(1), day(2));
    print(`  ${DATABASE} resolved to nothing for ${Math.round(unresolved / 1000)} s on day 2: the rename's delay (2 minutes in this model; unconfirmed for Aurora)`);
  } finally {
    sim.dispose();
  }
}


/** Steps that do nothing when no database served before the run. */
const NOTHING_TO_SWAP_OUT: string[] = [REFRESH_STATE.renameServingAway, REFRESH_STATE.deletePrevious];

/** The run's steps that did something, in order, once each (retried checks are waits, not steps). */
function timeline(execution: Execution, first: boolean): Array<{ at: number; text: string }> {
  const generation = execution.name.replace(/^refresh-/, '');
  const seen = new Set<string>(first ? NOTHING_TO_SWAP_OUT : []);
  return execution.events
    .filter((e) => e.type.endsWith('StateEntered') && e.state && SAYS[e.state] && !seen.has(e.state) && seen.add(e.state))
    .map((e) => ({ at: e.timestamp, text: SAYS[e.state!]!(generation) }));
}
