import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { MINUTE, runDay } from './harness';
import { synthesizeTemplate } from '../../sim/example-stack';
import { HandoffSimulation, SOURCE_ACCOUNT } from '../../sim/handoff';
import { nonZeroDatapoints, readMathAlarms, serviceMetrics } from '../../sim/service-metrics';
import type { Simulation } from '../../sim/simulation';
import { templateResolver } from '../../sim/template';
import { EVENT_DETAIL_TYPE, RUN_SKIPPED_METRIC } from '../../src/shared/constants';
import { runIdFromTime } from '../../src/shared/naming.lambda-shared';
import { freshnessOwnerDimension } from '../../src/sharing/handlers/freshness.lambda-shared';
import { STATE } from '../../src/sharing/workflow';

// Issue 15, "Done when": two firings 30 minutes apart (the second while the first run is still
// snapshotting) give one run and one skip, no Failed event and no datapoint for the failure alarm.
// A schedule that fires twice an hour is refused at synth, so the starter is fired twice by hand.

const CLUSTER = 'orders-db';
const FIRST = runDay(0);
const SECOND = new Date(FIRST.getTime() + 30 * MINUTE);
/** The snapshot takes 90 minutes, so the first run is still in progress at the second firing. */
const SLOW_SNAPSHOT_MS = 90 * MINUTE;

const template = synthesizeTemplate({ clusterIdentifiers: [CLUSTER], targetAccountIds: ['222222222222'] });
let sim: HandoffSimulation;
let source: Simulation;

beforeEach(() => {
  sim = new HandoffSimulation({ accounts: [{ account: SOURCE_ACCOUNT, templates: [template] }], start: new Date(FIRST.getTime() - MINUTE) });
  source = sim.account(SOURCE_ACCOUNT);
  source.rds.addCluster({ identifier: CLUSTER, snapshotMs: SLOW_SNAPSHOT_MS });
});
afterEach(() => sim.dispose());

/** The failure alarm's inputs (failed, timed-out, aborted executions; starter errors) that have a non-zero datapoint. */
function failureAlarmDatapoints() {
  const alarms = readMathAlarms(template, templateResolver(template, undefined, SOURCE_ACCOUNT));
  const [logicalId] = [...alarms.keys()].filter((id) => id.includes('FailureAlarm'));
  const { expression, inputs } = alarms.get(logicalId)!;
  expect(expression).toBe('failed + timedOut + aborted + starterErrors');
  expect(inputs.map((i) => `${i.namespace} ${i.metricName}`).sort()).toEqual([
    'AWS/Lambda Errors', 'AWS/States ExecutionsAborted', 'AWS/States ExecutionsFailed', 'AWS/States ExecutionsTimedOut',
  ]);
  return nonZeroDatapoints(inputs, serviceMetrics(source));
}

function runSkippedValues() {
  return sim.metrics(SOURCE_ACCOUNT, RUN_SKIPPED_METRIC.runSkipped);
}

/** What a run leaves behind that tells it failed, or that it was skipped. */
function expectOneRunAndOneSkip(detectedBy: 'Starter' | 'Prepare') {
  const shared = source.executions.filter((e) => e.input.runId === runIdFromTime(FIRST));
  expect(shared.map((e) => [e.name, e.status])).toEqual([[`${CLUSTER}-${runIdFromTime(FIRST)}`, 'SUCCEEDED']]);
  expect(source.executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
  expect(sim.buses.to(SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.shared)).toHaveLength(1);
  expect(sim.buses.to(SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.failed)).toEqual([]);
  expect(failureAlarmDatapoints()).toEqual([]);
  expect(source.starterRuns.map((r) => r.error)).toEqual([undefined, undefined]);
  const values = runSkippedValues();
  expect(values.map((m) => [m.namespace, m.value, m.dimensions])).toEqual([
    [RUN_SKIPPED_METRIC.namespace, 1, { [RUN_SKIPPED_METRIC.ownerDimension]: freshnessOwnerDimension(source.instances[0].ownerId) }],
  ]);
  const line = sim.logs.lines.find((l) => l.line.includes(`"${RUN_SKIPPED_METRIC.runSkipped}":1`))!;
  expect(JSON.parse(line.line)).toMatchObject({ clusterIdentifier: CLUSTER, runId: runIdFromTime(SECOND), detectedBy });
  // One snapshot was taken, and it is shared.
  expect(source.rds.calls.filter((c) => c.api === 'CreateDBClusterSnapshot' && !c.error)).toHaveLength(1);
}

test('the starter fired again while the run is in progress skips the cluster: one run, one skip, no Failed event, no alarm datapoint', async () => {
  const first = await sim.fireSchedule(SOURCE_ACCOUNT, FIRST);
  const second = await sim.fireSchedule(SOURCE_ACCOUNT, SECOND);
  expect(source.executions.map((e) => e.status)).toEqual(['RUNNING']);
  await sim.runUntilIdle();

  expect(first.result).toMatchObject({ started: [CLUSTER], alreadyStarted: [], failed: [] });
  expect(first.result.skipped).toBeUndefined();
  expect(second.result).toMatchObject({ runId: runIdFromTime(SECOND), started: [], alreadyStarted: [], failed: [], skipped: [CLUSTER] });
  expect(source.executions).toHaveLength(1);
  expectOneRunAndOneSkip('Starter');
});

test('when the starter\'s look races the first start (it saw nothing running), Prepare skips the run: it succeeds as skipped, with no Failed event', async () => {
  await sim.fireSchedule(SOURCE_ACCOUNT, FIRST);
  // The second starter's ListExecutions answers as if it ran before the first StartExecution.
  const listExecutions = source.sfn.routes.get(ListExecutionsCommand)!;
  source.sfn.routes.set(ListExecutionsCommand, async () => ({ executions: [], $metadata: {} }));
  const second = await sim.fireSchedule(SOURCE_ACCOUNT, SECOND);
  source.sfn.routes.set(ListExecutionsCommand, listExecutions);
  await sim.runUntilIdle();

  expect(second.result).toMatchObject({ started: [CLUSTER], failed: [] });
  const skipped = source.executions.find((e) => e.name === `${CLUSTER}-${runIdFromTime(SECOND)}`)!;
  expect(skipped.status).toBe('SUCCEEDED');
  expect(skipped.output).toMatchObject({ skipped: true, clusterIdentifier: CLUSTER, error: 'RunInProgress' });
  expect(skipped.events.filter((e) => e.type === 'StateEntered').map((e) => e.state))
    .toEqual([STATE.startDelayed, STATE.prepare, STATE.runSkipped, STATE.skipped]);
  expect(skipped.invocations).toEqual({ [STATE.prepare]: 1 });
  expectOneRunAndOneSkip('Prepare');
});

test('a manual start while the run is in progress is skipped the same way', async () => {
  await sim.fireSchedule(SOURCE_ACCOUNT, FIRST);
  await sim.advance(30 * MINUTE);
  const manual = source.startExecution({ clusterIdentifier: CLUSTER });
  await sim.runUntilIdle();

  expect(manual.status).toBe('SUCCEEDED');
  expect(manual.output).toMatchObject({ skipped: true, clusterIdentifier: CLUSTER, error: 'RunInProgress' });
  expect(JSON.parse(manual.output.cause).errorMessage).toMatch(new RegExp(`of run ${runIdFromTime(FIRST)} is still 'creating'; not starting run ${runIdFromTime(SECOND)} beside it`));
  expect(runSkippedValues().map((m) => m.value)).toEqual([1]);
  expect(sim.buses.to(SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.failed)).toEqual([]);
  expect(failureAlarmDatapoints()).toEqual([]);
});

test('the failure alarm\'s inputs do see a failed run (the check above is not vacuous)', async () => {
  source.rds.updateCluster(CLUSTER, { snapshotOutcome: 'failed' });
  await sim.fireSchedule(SOURCE_ACCOUNT, FIRST);
  await sim.runUntilIdle();
  expect(failureAlarmDatapoints().map((d) => [d.input, d.value])).toEqual([['failed', 1]]);
  expect(sim.buses.to(SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.failed)).toHaveLength(1);
  expect(runSkippedValues()).toEqual([]);
});

test('once the first run has ended, the next firing runs normally', async () => {
  await sim.fireSchedule(SOURCE_ACCOUNT, FIRST);
  await sim.runUntilIdle();
  const next = await sim.fireSchedule(SOURCE_ACCOUNT, new Date(FIRST.getTime() + 3 * 60 * MINUTE));
  await sim.runUntilIdle();
  expect(next.result).toMatchObject({ started: [CLUSTER] });
  expect(next.result.skipped).toBeUndefined();
  expect(source.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  expect(runSkippedValues()).toEqual([]);
});
