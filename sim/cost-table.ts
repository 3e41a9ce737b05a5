/**
 * The cost tables: the measured inputs of the cost model as BENCHMARKS.md records them (one column
 * per fleet size and account), read back from that text, and the README's table of monthly costs
 * computed from them by the model. The bench writes both; test/sim/cost-readme.test.ts checks that
 * the README's table is what the model makes of BENCHMARKS.md's inputs.
 */
import { COST_FLEETS } from './cost-fleets';
import { DeployedResources, dollars, monthlyCost } from './cost-model';
import { HOURS_PER_MONTH } from './cost-prices';
import type { MeasuredUsage } from './cost-usage';
import { DEFAULTS, MAX_CONCURRENT_COPIES } from '../src/shared/constants';

/** The fleet sizes the README's table shows. */
export const COST_TABLE_CLUSTERS = COST_FLEETS.map((f) => f.clusters);
/** The snapshot size the README's table assumes for every cluster, in GB. */
export const COST_TABLE_DATABASE_GB = 100;
/** The README's blocks the bench writes (`<!-- name -->` ... `<!-- /name -->`). */
export const COST_BLOCKS = { table: 'cost-table', trial: 'cost-trial', perRun: 'cost-per-run' } as const;

export type AccountRole = 'source' | 'target';

/** One account of one fleet size, as recorded. */
export interface RecordedAccount {
  readonly clusters: number;
  readonly account: AccountRole;
  readonly deployed: DeployedResources;
  readonly usage: MeasuredUsage;
}

/** A row of the inputs table: its label, whether it is read from the template or measured, how to print it and read it back. */
type Figure = readonly [
  label: string,
  from: 'deployed' | 'usage',
  read: (r: RecordedAccount) => string,
  write: (value: string, into: Record<string, unknown>) => void,
];

const num = (key: string) => (value: string, into: Record<string, unknown>) => {
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new Error(`'${value}' is not a number (${key})`);
  into[key] = Number(value);
};
const flag = (key: string) => (value: string, into: Record<string, unknown>) => { into[key] = value === 'yes'; };
const fixed4 = (value: number) => String(Number(value.toFixed(4)));

/** The rows of the inputs table: label, how to print it, how to read it back. */
const FIGURES: readonly Figure[] = [
  ['KMS keys', 'deployed', (r) => String(r.deployed.keys), num('keys')],
  ['alarm metrics', 'deployed', (r) => String(r.deployed.alarmMetrics), num('alarmMetrics')],
  ['dashboards', 'deployed', (r) => String(r.deployed.dashboards), num('dashboards')],
  ['log retention (days)', 'deployed', (r) => String(r.deployed.logRetentionDays), num('logRetentionDays')],
  ['X-Ray tracing', 'deployed', (r) => (r.deployed.tracing ? 'yes' : 'no'), flag('tracing')],
  ['snapshots retained per cluster', 'deployed', (r) => String(r.deployed.retainedCopies), num('retainedCopies')],
  ['hours measured', 'usage', (r) => fixed4(r.usage.hours), num('hours')],
  ['executions', 'usage', (r) => String(r.usage.executions), num('executions')],
  ['state transitions', 'usage', (r) => String(r.usage.stateTransitions), num('stateTransitions')],
  ['Lambda invocations', 'usage', (r) => String(r.usage.lambdaInvocations), num('lambdaInvocations')],
  ['Lambda GB-seconds', 'usage', (r) => Object.entries(r.usage.lambdaGbSeconds).map(([arch, s]) => `${fixed4(s)} ${arch}`).join(', '), (value, into) => {
    into.lambdaGbSeconds = Object.fromEntries(value.split(', ').filter(Boolean).map((part) => {
      const [seconds, arch] = part.split(' ');
      return [arch, Number(seconds)];
    }));
  }],
  ['log events', 'usage', (r) => String(r.usage.logEvents), num('logEvents')],
  ['log bytes', 'usage', (r) => String(r.usage.logBytes), num('logBytes')],
  ['custom metrics', 'usage', (r) => String(r.usage.metrics), num('metrics')],
  ['metric-hours', 'usage', (r) => String(r.usage.metricHours), num('metricHours')],
  ['events put', 'usage', (r) => String(r.usage.events), num('events')],
  ['scheduler invocations', 'usage', (r) => String(r.usage.scheduledInvocations), num('scheduledInvocations')],
  ['snapshot copies', 'usage', (r) => String(r.usage.snapshotCopies), num('snapshotCopies')],
  ['transient snapshot-hours', 'usage', (r) => fixed4(r.usage.transientSnapshotHours), num('transientSnapshotHours')],
];

const columnOf = (r: { clusters: number; account: AccountRole }) => `${r.clusters}: ${r.account}`;

/** The inputs table (markdown lines): one row per figure, one column per fleet size and account. */
export function renderInputs(recorded: readonly RecordedAccount[]): string[] {
  return [
    `| figure | ${recorded.map(columnOf).join(' | ')} |`,
    `|---|${recorded.map(() => '---|').join('')}`,
    ...FIGURES.map(([label, , read]) => `| ${label} | ${recorded.map(read).join(' | ')} |`),
  ];
}

/** Reads the inputs table back from a text holding it (BENCHMARKS.md). */
export function parseInputs(text: string): RecordedAccount[] {
  const lines = text.split('\n');
  const start = lines.findIndex((row) => row.startsWith('| figure | ') && /\| \d+: (source|target) /.test(row));
  if (start < 0) throw new Error('No cost model inputs table (| figure | <clusters>: source | ...) found');
  const header = lines[start];
  // The table's own rows only: other tables of the text have rows with the same labels.
  const end = lines.findIndex((row, i) => i > start && !row.startsWith('|'));
  const rows = lines.slice(start + 2, end < 0 ? undefined : end);
  const columns = cells(header).slice(1);
  const parsed = columns.map(() => ({ deployed: {} as Record<string, unknown>, usage: {} as Record<string, unknown> }));
  for (const [label, from, , write] of FIGURES) {
    const row = rows.find((r) => cells(r)[0] === label);
    if (!row) throw new Error(`The cost model inputs table has no row '${label}'`);
    const values = cells(row).slice(1);
    if (values.length !== columns.length || values.some((v) => v === '')) throw new Error(`The cost model inputs table's row '${label}' does not fill every column`);
    values.forEach((value, i) => write(value, parsed[i][from]));
  }
  return columns.map((column, i) => {
    const [clusters, account] = column.split(': ');
    const { deployed, usage } = parsed[i];
    return {
      clusters: Number(clusters),
      account: account as AccountRole,
      deployed: deployed as unknown as DeployedResources,
      usage: usage as unknown as MeasuredUsage,
    };
  });
}

function cells(row: string): string[] {
  return row.split('|').slice(1, -1).map((c) => c.trim());
}

/** The README's table (markdown lines): a month of each fleet size, per account. */
export function renderCostTable(recorded: readonly RecordedAccount[]): string[] {
  const runsPerMonth = (HOURS_PER_MONTH / 24).toFixed(1);
  return [
    `| clusters | account | fixed | runs (${runsPerMonth} a month) | storage (${COST_TABLE_DATABASE_GB} GB a cluster) | total a month |`,
    '|---|---|---|---|---|---|',
    ...recorded.map((r) => {
      const cost = monthlyCost(r.deployed, r.usage, { clusters: r.clusters, databaseGb: COST_TABLE_DATABASE_GB });
      const who = r.account === 'source' ? 'source' : 'each target';
      return `| ${r.clusters} | ${who} | ${dollars(cost.fixed)} | ${dollars(cost.runs)} | ${dollars(cost.storage)} | ${dollars(cost.total)} |`;
    }),
    ...fleetNotes().flatMap((note) => ['', note]),
  ];
}

/** What a fleet of the table sets beyond the defaults, and why. */
export function fleetNotes(): string[] {
  return COST_FLEETS.filter((f) => f.source || f.receiver).map((f) => {
    const { snapshotTimeout, ...rest } = f.source ?? {};
    if (!snapshotTimeout || Object.keys(rest).length > 0 || f.receiver) throw new Error(`Describe the props of the ${f.clusters}-cluster fleet in the README's table`);
    return `${f.clusters} clusters: \`snapshotTimeout\` ${snapshotTimeout.toHours()} hours, not the default ${DEFAULTS.snapshotTimeoutSeconds / 3600}:`
      + ` ${f.clusters} copies, ${MAX_CONCURRENT_COPIES} at a time, take longer than that.`;
  });
}

/** The lines of `text` between `<!-- name -->` and `<!-- /name -->`. */
export function readBlock(text: string, name: string): string[] {
  const start = text.indexOf(`<!-- ${name} -->`);
  const end = text.indexOf(`<!-- /${name} -->`);
  if (start < 0 || end < start) throw new Error(`No <!-- ${name} --> ... <!-- /${name} --> block`);
  return text.slice(start, end).split('\n').slice(1, -1);
}

/** `text` with the block `name` holding `lines`. */
export function replaceBlock(text: string, name: string, lines: readonly string[]): string {
  const start = text.indexOf(`<!-- ${name} -->`);
  const end = text.indexOf(`<!-- /${name} -->`);
  if (start < 0 || end < start) throw new Error(`No <!-- ${name} --> ... <!-- /${name} --> block`);
  return `${text.slice(0, start)}<!-- ${name} -->\n${lines.join('\n')}\n${text.slice(end)}`;
}

/**
 * The README's line on trying it: a month of one cluster, and its first day, when each account holds
 * one copy (a day's run made one), not the copies a month of runs keeps.
 */
export function renderTrialCost(recorded: readonly RecordedAccount[]): string[] {
  const daysPerMonth = HOURS_PER_MONTH / 24;
  const cost = (account: AccountRole, firstDay: boolean) => {
    const r = recorded.find((x) => x.clusters === 1 && x.account === account);
    if (!r) throw new Error(`No one-cluster ${account} in the cost inputs`);
    const deployed = firstDay ? { ...r.deployed, retainedCopies: Math.min(r.deployed.retainedCopies, 1) } : r.deployed;
    const month = monthlyCost(deployed, r.usage, { clusters: 1, databaseGb: COST_TABLE_DATABASE_GB }).total;
    return dollars(firstDay ? month / daysPerMonth : month);
  };
  return [
    `A month of one ${COST_TABLE_DATABASE_GB} GB cluster costs ${cost('source', false)} in the source account and ${cost('target', false)} in a target`
      + ` running the receiver; the first day, with one copy in each, about ${cost('source', true)} and ${cost('target', true)}, plus the`
      + ' cluster itself. A KMS key is billed until it is scheduled for deletion.',
  ];
}

/** One design's figures per run, as BENCHMARKS.md's per-run table holds them. */
export interface PerRun {
  readonly design: string;
  readonly stateTransitions: number;
  readonly invocations: number;
  readonly cost: string;
}

/** The per-run table's header in BENCHMARKS.md. */
export const PER_RUN_HEADER = '| design | state transitions | handler invocations | per run |';

export function renderPerRunTable(rows: readonly PerRun[]): string[] {
  return [PER_RUN_HEADER, '|---|---|---|---|', ...rows.map((r) => `| ${r.design} | ${r.stateTransitions} | ${r.invocations} | ${r.cost} |`)];
}

/** Reads the per-run table back from BENCHMARKS.md. */
export function parsePerRun(text: string): PerRun[] {
  const lines = text.split('\n');
  const start = lines.indexOf(PER_RUN_HEADER);
  if (start < 0) throw new Error(`No per-run table (${PER_RUN_HEADER}) found`);
  const rows: PerRun[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('| ')) break;
    const [design, transitions, invocations, cost] = cells(line);
    rows.push({ design, stateTransitions: Number(transitions), invocations: Number(invocations), cost });
  }
  return rows;
}

/** The README's lines on the cost per run, against the hand-written loop. */
export function renderPerRunLines(rows: readonly PerRun[]): string[] {
  const of = (design: string) => {
    const row = rows.find((r) => r.design === design);
    if (!row) throw new Error(`No ${design} row in the per-run table`);
    return `${row.stateTransitions} state transitions and ${row.invocations} Lambda invocations, ${row.cost} in Step Functions and Lambda`;
  };
  return [
    `- This construct, one cluster whose snapshot and copy take 10 minutes each: ${of('construct')}.`,
    `- The hand-written loop: ${of('baseline')}; on a failed snapshot it never ends.`,
  ];
}
