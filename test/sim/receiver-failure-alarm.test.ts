import { DeleteDBClusterSnapshotCommand, RDSClient } from '@aws-sdk/client-rds';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  catchUpScan, HOUR, handoff, MINUTE, putSharedEvent, runDay, sourceRun, sourceShared, SOURCE_ACCOUNT, TARGET_ACCOUNT,
} from './handoff-harness';
import type { TemplateAlarm } from '../../sim/alarms';
import { callContext, REGION } from '../../sim/aws-env';
import { HandoffSimulation } from '../../sim/handoff';
import { ReceivedClusterSnapshots } from '../../src';

// The receiver's failure alarm, evaluated as CloudWatch would over the metrics AWS publishes for
// the simulated executions and function errors (sim/service-metrics.ts, sim/alarms.ts): it must
// fire on a failed copy and on an error of the receive-event or scan function, and only then.

const PERIOD = 5 * MINUTE;
/** Just after the end of the 5-minute period that holds `at`: when CloudWatch first evaluates it. */
const afterPeriodOf = (at: number) => Math.floor(at / PERIOD) * PERIOD + PERIOD + 1;

let sim: HandoffSimulation;
afterEach(() => sim?.dispose());

function failureAlarmOf(s: HandoffSimulation): TemplateAlarm {
  const alarms = s.alarms(TARGET_ACCOUNT).filter((a) => a.logicalId.includes('FailureAlarm'));
  expect(alarms).toHaveLength(1);
  return alarms[0];
}

/** The alarm's state at each 5-minute boundary from `from` to `to`. */
function statesBetween(s: HandoffSimulation, alarm: TemplateAlarm, from: number, to: number): string[] {
  const states: string[] = [];
  for (let at = Math.ceil(from / PERIOD) * PERIOD; at <= to; at += PERIOD) states.push(s.alarmState(TARGET_ACCOUNT, alarm, at));
  return states;
}

describe('the receiver\'s failure alarm in the simulator', () => {
  test('reads the state machine\'s failed, timed-out and aborted executions and the receive-event and scan errors', () => {
    sim = handoff();
    const alarm = failureAlarmOf(sim);
    expect(alarm.expression).toBe('failed + timedOut + aborted + receiveEventErrors + scanErrors');
    const target = sim.account(TARGET_ACCOUNT);
    const machine = target.instances[0].stateMachineArn;
    const fn = (source: string) => target.findFunction(source).logicalId;
    expect(Object.fromEntries(Object.entries(alarm.metrics!).map(([id, m]) => [id, `${m.namespace} ${m.metricName} ${JSON.stringify(m.dimensions)} ${m.statistic}`])))
      .toEqual({
        failed: `AWS/States ExecutionsFailed {"StateMachineArn":"${machine}"} Sum`,
        timedOut: `AWS/States ExecutionsTimedOut {"StateMachineArn":"${machine}"} Sum`,
        aborted: `AWS/States ExecutionsAborted {"StateMachineArn":"${machine}"} Sum`,
        receiveEventErrors: `AWS/Lambda Errors {"FunctionName":"${fn('receive-event.lambda.ts')}"} Sum`,
        scanErrors: `AWS/Lambda Errors {"FunctionName":"${fn('scan-shared-snapshots.lambda.ts')}"} Sum`,
      });
  });

  test('stays OK through days of copies, catch-up scans and retention', async () => {
    sim = handoff({ receiver: { retainCopies: 2 } });
    const alarm = failureAlarmOf(sim);
    const start = Date.now();
    for (let day = 0; day < 3; day++) {
      await sourceRun(sim, day);
      await catchUpScan(sim, new Date(runDay(day).getTime() + 6 * HOUR));
    }
    expect(sim.account(TARGET_ACCOUNT).executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const states = statesBetween(sim, alarm, start, Date.now() + PERIOD);
    expect(states.length).toBeGreaterThan(500);
    expect(new Set(states)).toEqual(new Set(['OK']));
  });

  test('fires on a failed copy, in the period after it ends, and clears without new failures', async () => {
    sim = handoff({ targetFaults: { sharedCopyOutcome: 'failed' } });
    const alarm = failureAlarmOf(sim);
    await sourceRun(sim, 0);
    const [copy] = sim.account(TARGET_ACCOUNT).executions;
    expect([copy.status, copy.error]).toEqual(['FAILED', 'CopyFailed']);
    const endedAt = copy.stoppedAt!;
    expect(sim.alarmState(TARGET_ACCOUNT, alarm, endedAt)).toBe('OK'); // its period has not ended yet
    expect(sim.alarmState(TARGET_ACCOUNT, alarm, afterPeriodOf(endedAt))).toBe('ALARM');
    expect(sim.alarmState(TARGET_ACCOUNT, alarm, afterPeriodOf(endedAt) + PERIOD)).toBe('OK');
  });

  test('fires when the receive-event function fails: the shared snapshot deleted before its copy (SharedSnapshotNotFound)', async () => {
    sim = handoff({ source: { notifyTargetAccounts: false } });
    const alarm = failureAlarmOf(sim);
    await sourceRun(sim, 0);
    const [shared] = sourceShared(sim);
    await callContext.run({ caller: 'user', account: SOURCE_ACCOUNT }, () =>
      new RDSClient({ region: REGION }).send(new DeleteDBClusterSnapshotCommand({
        DBClusterSnapshotIdentifier: shared.DBClusterSnapshotIdentifier,
      })));
    const before = Date.now();
    expect(statesBetween(sim, alarm, before - HOUR, before)).not.toContain('ALARM');
    putSharedEvent(sim, shared);
    await sim.runUntilIdle();

    // Lambda retries the asynchronous invocation twice: three function errors, no execution.
    const failures = sim.targetRuns.filter((r) => r.error);
    expect(failures.map((r) => r.error)).toEqual(['SharedSnapshotNotFound', 'SharedSnapshotNotFound', 'SharedSnapshotNotFound']);
    expect(sim.account(TARGET_ACCOUNT).executions).toEqual([]);
    expect(sim.alarmState(TARGET_ACCOUNT, alarm, afterPeriodOf(failures[0].at))).toBe('ALARM');
    expect(sim.alarmState(TARGET_ACCOUNT, alarm, afterPeriodOf(failures[2].at) + PERIOD)).toBe('OK');
  });

  test('does not fire for a shared snapshot of a cluster the receiver does not select: skipped, not an error', async () => {
    sim = handoff({ receiver: { clusterIdentifiers: ['billing-db'] } });
    const alarm = failureAlarmOf(sim);
    const start = Date.now();
    await sourceRun(sim, 0);
    expect(sourceShared(sim)).toHaveLength(1);
    expect(sim.targetRuns.map((r) => [r.error, (r.result as { outcome?: string } | undefined)?.outcome])).toEqual([[undefined, 'notSelected']]);
    expect(sim.account(TARGET_ACCOUNT).executions).toEqual([]);
    expect(statesBetween(sim, alarm, start, Date.now() + 2 * PERIOD)).not.toContain('ALARM');
  });

  test('fires when the scan finds its own account among the sources (an environment-agnostic stack): SourceIsOwnAccount', async () => {
    // Synth cannot check the account of a stack without env; the simulator deploys it to TARGET_ACCOUNT.
    const stack = new Stack(new App(), 'ReceivedSnapshotsExample');
    new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: [SOURCE_ACCOUNT, TARGET_ACCOUNT] });
    const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, any> };
    sim = new HandoffSimulation({ accounts: [{ account: TARGET_ACCOUNT, templates: [template] }], start: runDay(0) });
    const alarm = failureAlarmOf(sim);
    const scan = await sim.fireSchedule(TARGET_ACCOUNT, new Date(runDay(0).getTime() + HOUR));
    expect(scan.error).toBe('SourceIsOwnAccount');
    const errors = sim.account(TARGET_ACCOUNT).invocations.filter((i) => i.error === 'SourceIsOwnAccount');
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(sim.account(TARGET_ACCOUNT).rds.calls).toEqual([]);
    expect(sim.alarmState(TARGET_ACCOUNT, alarm, afterPeriodOf(errors[0].at))).toBe('ALARM');
  });
});
