/**
 * The bench's cost section: a measured day (sim/cost-day.ts) for each fleet size of the README's
 * table, priced by the cost model. Returns the BENCHMARKS.md lines; every figure is computed from the
 * inputs as BENCHMARKS.md records them (read back), so the README's figures (sim/cost-readme.ts),
 * recomputed from the committed file, agree to the cent.
 */
import { measureDay } from './cost-day';
import { COST_FLEETS } from './cost-fleets';
import { CostLine, deployedResources, dollars, monthlyCost } from './cost-model';
import { ASSUMED_KMS_REQUESTS_PER_COPY, AURORA_BACKUP_PER_GB_MONTH, HOURS_PER_MONTH, PRICES_TAKEN } from './cost-prices';
import {
  COST_TABLE_CLUSTERS, COST_TABLE_DATABASE_GB, fleetNotes, parseInputs, RecordedAccount, renderInputs,
} from './cost-table';

export interface CostSection {
  readonly lines: string[];
  /** Whether every fleet size of the README's table was measured: only then can the README's figures be written. */
  readonly complete: boolean;
  readonly checks: ReadonlyArray<readonly [string, boolean]>;
}

/** The cluster count whose line items BENCHMARKS.md lists. */
const ITEMIZED = 20;

export async function costSection(clusterCounts: readonly number[] = COST_TABLE_CLUSTERS): Promise<CostSection> {
  const days = [];
  for (const fleet of COST_FLEETS.filter((f) => clusterCounts.includes(f.clusters))) days.push(await measureDay(fleet));
  const measured: RecordedAccount[] = days.flatMap((day) => (['source', 'target'] as const).map((account) => ({
    clusters: day.clusters,
    account,
    deployed: deployedResources(day[account].template),
    usage: day[account].usage,
  })));
  const inputs = renderInputs(measured);
  // Priced from the inputs as printed, so the README's table is what anyone recomputes from BENCHMARKS.md.
  const recorded = parseInputs(inputs.join('\n'));
  const costOf = (r: RecordedAccount) => monthlyCost(r.deployed, r.usage, { clusters: r.clusters, databaseGb: COST_TABLE_DATABASE_GB });
  const itemized = recorded.filter((r) => r.clusters === ITEMIZED);
  const itemRows = (lines: CostLine[], who: string) => lines.map((l) => `| ${who} | ${l.kind} | ${l.item} | ${l.quantity} | ${dollars(l.monthly)} |`);

  const lines = [
    '## Cost per month: the cost model',
    '',
    `\`sim/cost-model.ts\` at list prices of ${PRICES_TAKEN} (us-east-1, on demand, no free tier; each price's source is in`,
    '`sim/cost-prices.ts`), over a day each fleet size ran in the simulator (`sim/cost-day.ts`): the source account with',
    '`SharedClusterSnapshots` on its defaults (a daily run, the hourly freshness function) and one target account with',
    '`ReceivedClusterSnapshots` on its defaults (a catch-up scan every 6 hours), simulated together, their first day',
    'measured. Every cluster is on an AWS-owned or `aws/rds` key, so every run copies it with the sharing key (the',
    'case of every Aurora cluster created since February 2026); snapshots and copies take 10 minutes, and RDS runs 5 copies',
    `at a time per account. A month is ${(HOURS_PER_MONTH / 24).toFixed(1)} such days. Snapshot storage assumes ${COST_TABLE_DATABASE_GB} GB per cluster at $${AURORA_BACKUP_PER_GB_MONTH} per GB-month,`,
    'every copy billed in full (an upper bound in the source, where Aurora does not bill a snapshot younger than the',
    'cluster\'s backup retention period). Lambda durations are the simulator\'s timing model (200 ms per invocation), KMS',
    `requests an assumption (${ASSUMED_KMS_REQUESTS_PER_COPY} per copy).`,
    '',
    '| clusters | account | fixed | runs | storage | total | full copies of each cluster |',
    '|---|---|---|---|---|---|---|',
    ...recorded.map((r) => {
      const cost = costOf(r);
      return `| ${r.clusters} | ${r.account} | ${dollars(cost.fixed)} | ${dollars(cost.runs)} | ${dollars(cost.storage)} | ${dollars(cost.total)} | ${cost.copiesPerCluster.toFixed(2)} |`;
    }),
    '',
    ...fleetNotes().flatMap((note) => [note, '']),
    `### The line items for ${ITEMIZED} clusters`,
    '',
    '| account | kind | item | a month | cost |',
    '|---|---|---|---|---|',
    ...itemized.flatMap((r) => itemRows(costOf(r).lines, r.account)),
    '',
    '### Inputs, as measured (each for the whole day)',
    '',
    ...inputs,
    '',
  ];
  const complete = COST_TABLE_CLUSTERS.every((n) => clusterCounts.includes(n));
  const executions = days.reduce((n, d) => n + d.succeeded + d.failed, 0);
  const failed = days.reduce((n, d) => n + d.failed, 0);
  return {
    lines,
    complete,
    checks: [[`every measured day's source executions succeed (${executions - failed} of ${executions})`, failed === 0]],
  };
}
