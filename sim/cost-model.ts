/**
 * The cost model: what one account's deployment of a construct costs a month, from its synthesized
 * template (what is deployed: keys, alarms, dashboards, log retention, retained copies) and the usage
 * the simulator measured over a window (sim/cost-usage.ts), at the list prices of sim/cost-prices.ts.
 * The demo and the bench both print it; the README's cost table is generated from it.
 *
 * Three kinds of cost: `fixed` (what the deployment costs a month whatever it does: keys, alarms,
 * dashboards, the custom metrics, logs and schedules), `runs` (what the runs use: Step Functions,
 * Lambda, X-Ray, events, KMS requests), `storage` (the snapshots, the real driver: every re-encrypted
 * or received copy is a full copy, and so is every replica in another Region).
 *
 * A receiver's replica Regions (`replicaRegions`) add their keys (created outside the stack, given
 * by ARN, billed all the same) and a full-copy storage line per Region, at the same prices. The data
 * transfer out of the home Region that each replica is billed is not modelled.
 */
import {
  ASSUMED_KMS_REQUESTS_PER_COPY, AURORA_BACKUP_PER_GB_MONTH, CLOUDWATCH_PER_ALARM_METRIC_MONTH, CLOUDWATCH_PER_DASHBOARD_MONTH,
  CLOUDWATCH_PER_METRIC_MONTH, EVENTBRIDGE_PER_EVENT, HOURS_PER_MONTH, KMS_PER_KEY_MONTH, KMS_PER_REQUEST, LAMBDA_PER_GB_SECOND,
  LAMBDA_PER_REQUEST, LOG_EVENT_OVERHEAD_BYTES, LOGS_PER_GB_INGESTED, LOGS_PER_GB_MONTH, SCHEDULER_PER_INVOCATION,
  STEP_FUNCTIONS_PER_TRANSITION, XRAY_PER_TRACE,
} from './cost-prices';
import type { MeasuredUsage } from './cost-usage';
import { ENV, TARGET_ENV } from '../src/shared/constants';

const GB = 1e9;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

type Resources = Record<string, { Type: string; Properties?: any }>;

/** What a template deploys that the model prices. */
export interface DeployedResources {
  readonly keys: number;
  /** Standard-resolution alarm metrics: one per single-metric alarm, one per metric a math alarm reads. */
  readonly alarmMetrics: number;
  readonly dashboards: number;
  /** The longest log retention of its log groups, in days (3,653 for a group that never expires). */
  readonly logRetentionDays: number;
  /** Whether its state machines record X-Ray traces. */
  readonly tracing: boolean;
  /** Snapshots kept per cluster: the source's `retainSnapshots`, or the receiver's `retainCopies`. */
  readonly retainedCopies: number;
  /** A receiver's replica Regions, each with the replicas it keeps per cluster (its `retainCopies`). None: no replicas. */
  readonly replicaRegions?: readonly ReplicaRegionKept[];
}

export interface ReplicaRegionKept {
  readonly region: string;
  readonly retainedCopies: number;
}

/** Counts what `template` deploys; the retained copies are read from its functions' environment, as the handlers read them. */
export function deployedResources(template: { Resources: Resources }): DeployedResources {
  const all = Object.values(template.Resources);
  const ofType = (type: string) => all.filter((r) => r.Type === type);
  const alarmMetrics = ofType('AWS::CloudWatch::Alarm').reduce((n, a) =>
    n + (a.Properties?.Metrics ? a.Properties.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat).length : 1), 0);
  const retention = ofType('AWS::Logs::LogGroup').map((g) => Number(g.Properties?.RetentionInDays ?? 3653));
  const environment = ofType('AWS::Lambda::Function').map((f) => f.Properties?.Environment?.Variables ?? {});
  const retained = environment.map((e) => e[ENV.RETAIN_SNAPSHOTS] ?? e[TARGET_ENV.RETAIN_COPIES]).find((v) => v !== undefined);
  const replicas = environment.map((e) => e[TARGET_ENV.REPLICA_REGIONS]).find((v) => v !== undefined);
  const replicaRegions = replicas === undefined ? [] : (JSON.parse(replicas) as { region: string; retainCopies: number }[])
    .map((r) => ({ region: r.region, retainedCopies: r.retainCopies }));
  return {
    // Each replica Region's key is the account's too, in that Region.
    keys: ofType('AWS::KMS::Key').length + replicaRegions.length,
    alarmMetrics,
    dashboards: ofType('AWS::CloudWatch::Dashboard').length,
    logRetentionDays: Math.max(0, ...retention),
    tracing: ofType('AWS::StepFunctions::StateMachine').some((m) => m.Properties?.TracingConfiguration?.Enabled === true),
    retainedCopies: Number(retained ?? 0),
    ...(replicaRegions.length ? { replicaRegions } : {}),
  };
}

export interface CostLine {
  readonly kind: 'fixed' | 'runs' | 'storage';
  readonly item: string;
  /** What is billed, in the units of its price (per month). */
  readonly quantity: string;
  readonly monthly: number;
}

export interface MonthlyCost {
  readonly lines: CostLine[];
  readonly fixed: number;
  readonly runs: number;
  readonly storage: number;
  readonly total: number;
  /** Full copies of each cluster the account holds on average: the retained ones and the transient share. */
  readonly copiesPerCluster: number;
  /** Each replica Region's full copies of each cluster, counted as `copiesPerCluster` is, and their storage (in `storage` too). */
  readonly replicas: readonly { readonly region: string; readonly copiesPerCluster: number; readonly storage: number }[];
}

export interface CostOptions {
  /** The clusters the measured usage covers. */
  readonly clusters: number;
  /** The size of each cluster's snapshot, in GB. */
  readonly databaseGb: number;
}

/** A month of `usage` (measured over `usage.hours`) for the resources `deployed`. */
export function monthlyCost(deployed: DeployedResources, usage: MeasuredUsage, options: CostOptions): MonthlyCost {
  const perMonth = HOURS_PER_MONTH / usage.hours;
  const lines: CostLine[] = [];
  const add = (kind: CostLine['kind'], item: string, quantity: string, monthly: number) => {
    if (!Number.isFinite(monthly)) throw new Error(`${item} costs ${monthly}: an input is missing or not a number`);
    if (monthly > 0) lines.push({ kind, item, quantity, monthly });
  };

  add('fixed', 'KMS keys', `${deployed.keys} × $${KMS_PER_KEY_MONTH} (first year; +$1 with each of the first two rotations)`, deployed.keys * KMS_PER_KEY_MONTH);
  add('fixed', 'CloudWatch alarms', `${deployed.alarmMetrics} alarm metrics`, deployed.alarmMetrics * CLOUDWATCH_PER_ALARM_METRIC_MONTH);
  add('fixed', 'CloudWatch dashboards', `${deployed.dashboards}`, deployed.dashboards * CLOUDWATCH_PER_DASHBOARD_MONTH);
  const metricMonths = (usage.metricHours * perMonth) / HOURS_PER_MONTH;
  add('fixed', 'Custom metrics', `${usage.metrics} metrics, ${round(metricMonths, 2)} metric-months (billed for the hours they get data)`, metricMonths * CLOUDWATCH_PER_METRIC_MONTH);
  const ingestedGb = ((usage.logBytes + usage.logEvents * LOG_EVENT_OVERHEAD_BYTES) * perMonth) / GB;
  add('fixed', 'Log ingestion', `${round(ingestedGb * 1000, 1)} MB`, ingestedGb * LOGS_PER_GB_INGESTED);
  const storedGb = ingestedGb * (deployed.logRetentionDays / DAYS_PER_MONTH);
  add('fixed', 'Log storage', `${round(storedGb * 1000, 1)} MB kept ${deployed.logRetentionDays} days`, storedGb * LOGS_PER_GB_MONTH);
  add('fixed', 'EventBridge Scheduler', plural(usage.scheduledInvocations * perMonth, 'invocation'), usage.scheduledInvocations * perMonth * SCHEDULER_PER_INVOCATION);

  add('runs', 'Step Functions', plural(usage.stateTransitions * perMonth, 'state transition'), usage.stateTransitions * perMonth * STEP_FUNCTIONS_PER_TRANSITION);
  add('runs', 'Lambda requests', plural(usage.lambdaInvocations * perMonth, 'invocation'), usage.lambdaInvocations * perMonth * LAMBDA_PER_REQUEST);
  const gbSeconds = Object.entries(usage.lambdaGbSeconds);
  add('runs', 'Lambda compute', gbSeconds.map(([arch, s]) => `${round(s * perMonth, 1)} GB-s ${arch}`).join(', '),
    gbSeconds.reduce((sum, [arch, s]) => sum + s * perMonth * lambdaPrice(arch), 0));
  if (deployed.tracing) add('runs', 'X-Ray traces', `${plural(usage.executions * perMonth, 'execution')} traced`, usage.executions * perMonth * XRAY_PER_TRACE);
  add('runs', 'EventBridge events', `${plural(usage.events * perMonth, 'event')} put`, usage.events * perMonth * EVENTBRIDGE_PER_EVENT);
  const kmsRequests = usage.snapshotCopies * perMonth * ASSUMED_KMS_REQUESTS_PER_COPY;
  add('runs', 'KMS requests', `${round(kmsRequests, 0)} (${ASSUMED_KMS_REQUESTS_PER_COPY} per copy, assumed)`, kmsRequests * KMS_PER_REQUEST);

  const addStorage = (item: string, retained: number, transientHours: number, where = '') => {
    const copies = retained + (options.clusters > 0 ? (transientHours * perMonth) / HOURS_PER_MONTH / options.clusters : 0);
    const monthly = options.clusters * options.databaseGb * copies * AURORA_BACKUP_PER_GB_MONTH;
    add('storage', item, `${options.clusters} × ${options.databaseGb} GB × ${round(copies, 2)} full copies${where}`, monthly);
    return { copiesPerCluster: copies, storage: monthly };
  };
  const { copiesPerCluster } = addStorage('Snapshot storage', deployed.retainedCopies, usage.transientSnapshotHours);
  const replicas = (deployed.replicaRegions ?? []).map(({ region, retainedCopies }) =>
    ({ region, ...addStorage('Replica storage', retainedCopies, usage.replicaTransientSnapshotHours?.[region] ?? 0, ` in ${region}`) }));

  const sum = (kind: CostLine['kind']) => lines.filter((l) => l.kind === kind).reduce((n, l) => n + l.monthly, 0);
  const [fixed, runs, storage] = [sum('fixed'), sum('runs'), sum('storage')];
  return { lines, fixed, runs, storage, total: fixed + runs + storage, copiesPerCluster, replicas };
}

function lambdaPrice(architecture: string): number {
  const price = LAMBDA_PER_GB_SECOND[architecture];
  if (price === undefined) throw new Error(`No Lambda price for the architecture ${architecture}`);
  return price;
}

function plural(value: number, noun: string): string {
  const text = round(value, 0);
  return `${text} ${noun}${text === '1' ? '' : 's'}`;
}

function round(value: number, digits: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A dollar amount: cents from $0.01 up, three significant digits below. */
export function dollars(value: number): string {
  if (value === 0) return '$0';
  if (value < 0.01) return `$${value.toPrecision(3)}`;
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Lines that bill what exists rather than what a run does: not part of one run's cost. */
const STANDING_ITEMS = new Set(['KMS keys', 'CloudWatch alarms', 'CloudWatch dashboards', 'Log storage', 'Custom metrics', 'Snapshot storage', 'Replica storage']);

/** What the usage of one window (a run) costs by itself: the lines that scale with use, for the window, not a month. */
export function windowCost(deployed: DeployedResources, usage: MeasuredUsage): { lines: CostLine[]; total: number } {
  const all = monthlyCost(deployed, { ...usage, hours: HOURS_PER_MONTH }, { clusters: 0, databaseGb: 0 }).lines
    .filter((l) => !STANDING_ITEMS.has(l.item));
  const lines = [...all.filter((l) => l.kind === 'runs'), ...all.filter((l) => l.kind !== 'runs')];
  return { lines, total: lines.reduce((n, l) => n + l.monthly, 0) };
}
