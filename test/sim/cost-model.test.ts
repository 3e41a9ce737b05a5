/**
 * The cost model (sim/cost-model.ts) and its measured inputs (sim/cost-usage.ts): what it counts in a
 * synthesized template, what it measures in a simulated run, and its arithmetic at the named prices.
 */
import * as kms from 'aws-cdk-lib/aws-kms';
import { FIRST_RUN, MINUTE, simulation } from './harness';
import { deployedResources, dollars, monthlyCost, windowCost } from '../../sim/cost-model';
import {
  AURORA_BACKUP_PER_GB_MONTH, CLOUDWATCH_PER_ALARM_METRIC_MONTH, CLOUDWATCH_PER_DASHBOARD_MONTH, CLOUDWATCH_PER_METRIC_MONTH, HOURS_PER_MONTH,
  KMS_PER_KEY_MONTH, LAMBDA_PER_GB_SECOND, LAMBDA_PER_REQUEST, LOG_EVENT_OVERHEAD_BYTES, LOGS_PER_GB_INGESTED, STEP_FUNCTIONS_PER_TRANSITION,
} from '../../sim/cost-prices';
import { parseInputs, RecordedAccount, renderInputs } from '../../sim/cost-table';
import { MeasuredUsage, measureUsage, platformLines } from '../../sim/cost-usage';
import { synthesizeReceiverTemplate } from '../../sim/example-receiver';
import { synthesizeTemplate } from '../../sim/example-stack';
import { LogCapture } from '../../sim/log-capture';
import type { Simulation } from '../../sim/simulation';
import { ExecutionLogWriter, historyRecords } from '../../sim/state-machine-logs';
import { DEFAULTS, HANDLER_METRICS, SOURCE_FRESHNESS_METRIC, TARGET_DEFAULTS } from '../../src/shared/constants';

const USAGE: MeasuredUsage = {
  hours: 24,
  executions: 2,
  stateTransitions: 60,
  lambdaInvocations: 50,
  lambdaGbSeconds: { arm64: 2.5, x86_64: 1 },
  logEvents: 300,
  logBytes: 100_000,
  metrics: 3,
  metricHours: 48,
  events: 2,
  scheduledInvocations: 25,
  snapshotCopies: 2,
  transientSnapshotHours: 1,
};

describe('deployedResources: what the template deploys', () => {
  test('the source on its defaults: one key, the failure alarm\'s metrics and the freshness alarm, logs kept 90 days, retainSnapshots', () => {
    const template = synthesizeTemplate({ clusterIdentifiers: ['orders-db'] });
    const alarms = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::CloudWatch::Alarm') as any[];
    // A math alarm reads each of its MetricStat metrics; a single-metric alarm one.
    const expected = alarms.reduce((n, a) => n + (a.Properties.Metrics ? a.Properties.Metrics.filter((m: any) => m.MetricStat).length : 1), 0);
    expect(expected).toBeGreaterThan(alarms.length);
    expect(deployedResources(template)).toEqual({
      keys: 1, alarmMetrics: expected, dashboards: 0, logRetentionDays: 90, tracing: true, retainedCopies: DEFAULTS.retainSnapshots,
    });
  });

  test('a dashboard and another retainSnapshots', () => {
    const withDashboard = synthesizeTemplate({ clusterIdentifiers: ['orders-db'], dashboard: true, retainSnapshots: 3 });
    expect(deployedResources(withDashboard)).toMatchObject({ dashboards: 1, retainedCopies: 3 });
  });

  test('the receiver: its copy key and retainCopies', () => {
    const template = synthesizeReceiverTemplate('222222222222', { sourceAccountIds: ['111111111111'] });
    expect(deployedResources(template)).toMatchObject({ keys: 1, retainedCopies: TARGET_DEFAULTS.retainCopies, tracing: true });
    expect(deployedResources(template).replicaRegions).toBeUndefined();
  });

  test('the receiver\'s replica Regions: each Region\'s key (given by ARN, billed all the same) and the replicas it keeps', () => {
    const template = synthesizeReceiverTemplate('222222222222', (stack) => ({
      sourceAccountIds: ['111111111111'],
      retainCopies: 5,
      replicaRegions: [
        { region: 'us-east-1', encryptionKey: kms.Key.fromKeyArn(stack, 'East', 'arn:aws:kms:us-east-1:222222222222:key/east') },
        { region: 'eu-central-1', encryptionKey: kms.Key.fromKeyArn(stack, 'Central', 'arn:aws:kms:eu-central-1:222222222222:key/central'), retainCopies: 2 },
      ],
    }));
    expect(deployedResources(template)).toMatchObject({
      keys: 1 + 2,
      retainedCopies: 5,
      replicaRegions: [{ region: 'us-east-1', retainedCopies: 5 }, { region: 'eu-central-1', retainedCopies: 2 }],
    });
  });
});

describe('monthlyCost: the arithmetic at the named prices', () => {
  const deployed = { keys: 1, alarmMetrics: 5, dashboards: 1, logRetentionDays: 90, tracing: true, retainedCopies: 1 };
  const cost = monthlyCost(deployed, USAGE, { clusters: 2, databaseGb: 100 });
  const line = (item: string) => cost.lines.find((l) => l.item === item)!.monthly;
  const perMonth = HOURS_PER_MONTH / 24;

  test('fixed: keys, alarm metrics, dashboards, custom metrics by the hours they got data, logs with their per-event overhead', () => {
    expect(line('KMS keys')).toBeCloseTo(KMS_PER_KEY_MONTH);
    expect(line('CloudWatch alarms')).toBeCloseTo(5 * CLOUDWATCH_PER_ALARM_METRIC_MONTH);
    expect(line('CloudWatch dashboards')).toBeCloseTo(CLOUDWATCH_PER_DASHBOARD_MONTH);
    expect(line('Custom metrics')).toBeCloseTo((48 * perMonth / HOURS_PER_MONTH) * CLOUDWATCH_PER_METRIC_MONTH);
    expect(line('Log ingestion')).toBeCloseTo(((100_000 + 300 * LOG_EVENT_OVERHEAD_BYTES) * perMonth / 1e9) * LOGS_PER_GB_INGESTED, 8);
    expect(cost.fixed).toBeCloseTo(cost.lines.filter((l) => l.kind === 'fixed').reduce((n, l) => n + l.monthly, 0));
  });

  test('runs: a day scaled to a month; each architecture at its own price', () => {
    expect(line('Step Functions')).toBeCloseTo(60 * perMonth * STEP_FUNCTIONS_PER_TRANSITION);
    expect(line('Lambda requests')).toBeCloseTo(50 * perMonth * LAMBDA_PER_REQUEST);
    expect(line('Lambda compute')).toBeCloseTo((2.5 * LAMBDA_PER_GB_SECOND.arm64 + LAMBDA_PER_GB_SECOND.x86_64) * perMonth);
  });

  test('storage: every cluster\'s retained full copies, plus the transient snapshot-hours spread over the month', () => {
    const copies = 1 + (1 * perMonth) / HOURS_PER_MONTH / 2;
    expect(cost.copiesPerCluster).toBeCloseTo(copies);
    expect(cost.storage).toBeCloseTo(2 * 100 * copies * AURORA_BACKUP_PER_GB_MONTH);
    expect(cost.total).toBeCloseTo(cost.fixed + cost.runs + cost.storage);
  });

  test('storage in each replica Region: its retained full copies and its own transient snapshot-hours, at the same price', () => {
    const replicaRegions = [{ region: 'us-east-1', retainedCopies: 3 }, { region: 'eu-central-1', retainedCopies: 2 }];
    const withReplicas = monthlyCost({ ...deployed, replicaRegions }, { ...USAGE, replicaTransientSnapshotHours: { 'us-east-1': 2 } }, { clusters: 2, databaseGb: 100 });
    const east = 3 + (2 * perMonth) / HOURS_PER_MONTH / 2;
    expect(withReplicas.replicas).toEqual([
      { region: 'us-east-1', copiesPerCluster: east, storage: expect.closeTo(2 * 100 * east * AURORA_BACKUP_PER_GB_MONTH) },
      { region: 'eu-central-1', copiesPerCluster: 2, storage: expect.closeTo(2 * 100 * 2 * AURORA_BACKUP_PER_GB_MONTH) },
    ]);
    expect(withReplicas.lines.filter((l) => l.item === 'Replica storage').map((l) => l.quantity))
      .toEqual([`2 × 100 GB × ${east.toFixed(2)} full copies in us-east-1`, '2 × 100 GB × 2 full copies in eu-central-1']);
    // The home Region's storage is unchanged; the replicas' is added to it.
    expect(withReplicas.copiesPerCluster).toBeCloseTo(cost.copiesPerCluster);
    expect(withReplicas.storage).toBeCloseTo(cost.storage + withReplicas.replicas.reduce((n, r) => n + r.storage, 0));
    expect(cost.replicas).toEqual([]);
    expect(windowCost({ ...deployed, replicaRegions }, USAGE).lines.map((l) => l.item)).not.toContain('Replica storage');
  });

  test('windowCost: one window\'s use, without what exists whatever it does', () => {
    const run = windowCost(deployed, USAGE);
    expect(run.lines.map((l) => l.item)).not.toEqual(expect.arrayContaining(['KMS keys']));
    expect(run.lines.map((l) => l.item)).not.toContain('Snapshot storage');
    expect(run.lines.find((l) => l.item === 'Step Functions')!.monthly).toBeCloseTo(60 * STEP_FUNCTIONS_PER_TRANSITION);
  });

  test('dollars: cents, or three significant digits below a cent', () => {
    expect([dollars(0), dollars(0.000786), dollars(1.234), dollars(1234.5)]).toEqual(['$0', '$0.000786', '$1.23', '$1,234.50']);
  });
});

const SOURCE_DEPLOYED = { keys: 1, alarmMetrics: 5, dashboards: 0, logRetentionDays: 90, tracing: true, retainedCopies: 1 };

describe('the inputs table', () => {
  test('reads back what it printed', () => {
    const recorded: RecordedAccount[] = [
      { clusters: 1, account: 'source', deployed: SOURCE_DEPLOYED, usage: USAGE },
      { clusters: 1, account: 'target', deployed: { keys: 1, alarmMetrics: 1, dashboards: 0, logRetentionDays: 90, tracing: false, retainedCopies: 7 }, usage: { ...USAGE, lambdaGbSeconds: { x86_64: 0.8 } } },
    ];
    expect(parseInputs(`# BENCHMARKS\n\ntext\n\n${renderInputs(recorded).join('\n')}\n\nmore`)).toEqual(recorded);
    // Another table with a row of the same label, before it, is not read.
    const other = '| figure | value |\n|---|---|\n| executions | 1000 succeeded, 0 failed |';
    expect(parseInputs(`${other}\n\n${renderInputs(recorded).join('\n')}\n\n${other}`)).toEqual(recorded);
  });

  test('a value that is not a number is an error, not NaN', () => {
    const text = renderInputs([{ clusters: 1, account: 'source', deployed: SOURCE_DEPLOYED, usage: USAGE }])
      .map((l) => (l.startsWith('| executions') ? '| executions | 1000 succeeded |' : l)).join('\n');
    expect(() => parseInputs(text)).toThrow("'1000 succeeded' is not a number (executions)");
    expect(() => monthlyCost(SOURCE_DEPLOYED, { ...USAGE, executions: NaN }, { clusters: 1, databaseGb: 1 })).toThrow('X-Ray traces costs NaN');
  });

  test('a missing row is an error, not a zero', () => {
    const text = renderInputs([{ clusters: 1, account: 'source', deployed: SOURCE_DEPLOYED, usage: USAGE }])
      .filter((l) => !l.startsWith('| log bytes')).join('\n');
    expect(() => parseInputs(text)).toThrow("The cost model inputs table has no row 'log bytes'");
  });
});

describe('measureUsage: a simulated run, measured', () => {
  let sim: Simulation;
  let logs: LogCapture;
  afterEach(() => {
    sim?.dispose();
    logs?.uninstall();
  });

  test('counts the run\'s transitions, invocations, log lines and records, metrics, events, copies and the temporary snapshot\'s life', async () => {
    logs = new LogCapture();
    sim = simulation({ clusterIdentifiers: ['orders-db'] }, { logs, lambdaDurationMs: 200, start: new Date(FIRST_RUN.getTime() - MINUTE) });
    sim.rds.addCluster({ identifier: 'orders-db', snapshotMs: 10 * MINUTE, copyMs: 10 * MINUTE }); // on aws/rds: a copy
    await sim.fireSchedule(FIRST_RUN);
    await sim.runUntilIdle();
    const [execution] = sim.executions;
    const window = { from: FIRST_RUN.getTime() - MINUTE, to: Date.now() + 1 };
    const usage = measureUsage(sim, logs, window, { lambdaMs: 200, eventTimes: sim.putEvents.map((e) => e.at) });

    expect(usage.executions).toBe(1);
    expect(usage.stateTransitions).toBe(execution.stateTransitions);
    // The handlers the state machine invoked, and the starter.
    expect(usage.lambdaInvocations).toBe(execution.handlerInvocations + 1);
    expect(usage.lambdaGbSeconds.arm64).toBeCloseTo(usage.lambdaInvocations * 0.2 * 0.25);
    // Three Lambda lines per invocation, the handlers' own, and the state machine's records.
    const handlerLines = logs.lines.filter((l) => l.account === sim.account).length;
    expect(usage.logEvents).toBe(3 * usage.lambdaInvocations + handlerLines + execution.logRecords.length);
    expect(usage.logBytes).toBeGreaterThan(execution.logRecords.reduce((a, b) => a + b, 0));
    // RdsCalls per owner and per handler, each in the hour of the run.
    const names = new Set(logs.metrics.map((m) => m.name));
    expect(names).toEqual(new Set([HANDLER_METRICS.rdsCalls]));
    expect(usage.metrics).toBe(usage.metricHours);
    expect(usage.events).toBe(1);
    expect(usage.scheduledInvocations).toBe(1);
    expect(usage.snapshotCopies).toBe(1);
    // The temporary snapshot lived through the snapshot and the copy; the copy until it was available.
    expect(usage.transientSnapshotHours).toBeGreaterThan(20 / 60);
    expect(usage.transientSnapshotHours).toBeLessThan(40 / 60);
  });

  test('the hourly freshness function: one metric per owner and one per cluster, each with data every hour', async () => {
    logs = new LogCapture();
    sim = simulation({ clusterIdentifiers: ['orders-db', 'billing-db'] }, { logs, start: FIRST_RUN });
    for (const identifier of ['orders-db', 'billing-db']) sim.rds.addCluster({ identifier });
    await sim.runRateSchedules(new Date(FIRST_RUN.getTime() + 6 * 60 * MINUTE));
    const usage = measureUsage(sim, logs, { from: FIRST_RUN.getTime(), to: Date.now() + 1 }, { lambdaMs: 200, eventTimes: [] });
    const freshness = logs.metrics.filter((m) => m.name === SOURCE_FRESHNESS_METRIC.newestSnapshotAge);
    expect(new Set(freshness.map((m) => JSON.stringify(m.dimensions))).size).toBe(1 + 2);
    expect(usage.scheduledInvocations).toBe(6);
    expect(usage.lambdaInvocations).toBe(6);
    // Each metric (freshness and the freshness function's RdsCalls) got data in each of the 6 hours.
    expect(usage.metricHours).toBe(usage.metrics * 6);
  });
});

describe('the state machine\'s log records', () => {
  const task = { name: 'Prepare', type: 'Task' as const, input: { clusterIdentifier: 'orders-db' }, output: { ok: true } };

  test('a Task attempt is entered, scheduled, started, then succeeds and exits; a retry schedules it again', () => {
    const types = (event: any) => historyRecords(event, 'role').map((r) => r.type);
    expect(types({ type: 'StateEntered', timestamp: 0, state: task })).toEqual(['TaskStateEntered', 'TaskScheduled', 'TaskStarted']);
    expect(types({ type: 'StateFailed', timestamp: 0, state: task, Error: 'SnapshotNotReady', Cause: 'x' })).toEqual(['TaskFailed']);
    expect(types({ type: 'StateRetried', timestamp: 0, state: task, retry: { retrier: {}, attempt: 1 } })).toEqual(['TaskScheduled', 'TaskStarted']);
    expect(types({ type: 'StateExited', timestamp: 0, state: task })).toEqual(['TaskSucceeded', 'TaskStateExited']);
    expect(types({ type: 'StateEntered', timestamp: 0, state: { ...task, type: 'Wait' } })).toEqual(['WaitStateEntered']);
  });

  test('each record is one log event holding the state\'s data as an escaped JSON string', () => {
    const writer = new ExecutionLogWriter('arn:aws:states:eu-west-1:111111111111:execution:m:e', 'role');
    const sizes = writer.write({ type: 'StateEntered', timestamp: 0, state: task } as any);
    expect(sizes).toHaveLength(3);
    const input = { data: 'x'.repeat(1000) };
    // The same record (the third event of a history has as many digits in its id as the first).
    const big = writer.write({ type: 'StateEntered', timestamp: 0, state: { ...task, input } } as any);
    const escaped = (value: unknown) => JSON.stringify(JSON.stringify(value)).length;
    expect(big[0] - sizes[0]).toBe(escaped(input) - escaped(task.input));
  });

  test('Lambda\'s own lines per invocation: START, END and REPORT', () => {
    expect(platformLines(212.5, 256).map((l) => l.split(' ')[0])).toEqual(['START', 'END', 'REPORT']);
  });
});
