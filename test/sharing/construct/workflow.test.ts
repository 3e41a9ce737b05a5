import { Duration } from 'aws-cdk-lib';
import { build, definitionOf, Json, stateJson, tasksOf } from './helpers';
import { LAMBDA_SERVICE_ERRORS, MAX_START_DELAY_SECONDS } from '../../../src/shared/constants';
import {
  CLEAN_UP_TRANSIENT_RETRY_POLICY,
  clusterNotAvailableRetry,
  copyLimitRetry,
  longWaitTransientRetry,
  notReadyRetry,
  STATE,
  TRANSIENT_RETRY_POLICY,
} from '../../../src/sharing/workflow';

const retriesOf = (state: Json, error: string): Json[] => (state.Retry as Json[]).filter((retry) => retry.ErrorEquals.includes(error));

/** The seconds a Retry may wait in all: the sum of its delays, capped by MaxDelaySeconds, without jitter. */
function totalWaitSeconds(retry: { interval?: Duration; backoffRate?: number; maxAttempts?: number; maxDelay?: Duration }): number {
  const interval = retry.interval!.toSeconds();
  const cap = retry.maxDelay?.toSeconds() ?? Infinity;
  let total = 0;
  for (let attempt = 0; attempt < retry.maxAttempts!; attempt++) total += Math.min(interval * (retry.backoffRate ?? 2) ** attempt, cap);
  return total;
}

describe('Lambda service errors', () => {
  test('every task retries each of them, Lambda.ClientExecutionTimeoutException included', () => {
    // AWS's list of Lambda service errors to retry (Step Functions Developer Guide), which CDK retries by default.
    expect(LAMBDA_SERVICE_ERRORS).toEqual(expect.arrayContaining([
      'Lambda.ClientExecutionTimeoutException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException',
    ]));
    // The Lambda tasks; the PutEvents tasks retry any error (test/sharing/construct/events.test.ts).
    const tasks = tasksOf(definitionOf(build().template)).filter(([, task]) => String(task.Resource).includes(':lambda:'));
    expect(tasks).toHaveLength(8);
    for (const [, task] of tasks) {
      const transient = retriesOf(task, 'Lambda.ClientExecutionTimeoutException');
      expect(transient).toHaveLength(1);
      expect(transient[0].ErrorEquals).toEqual(expect.arrayContaining([...LAMBDA_SERVICE_ERRORS]));
    }
  });
});

describe('named retry policies', () => {
  test('each step gets the transient policy its wait calls for', () => {
    const waitInterval = Duration.seconds(30);
    const snapshotTimeout = Duration.hours(4);
    const { construct } = build({ waitInterval, snapshotTimeout });
    const transientOf = (name: string) => retriesOf(stateJson(construct, name), 'Throttling')[0];
    const maxAttempts = (policy: { maxAttempts?: number }) => policy.maxAttempts;

    for (const name of [STATE.prepare, STATE.createSnapshot, STATE.shareSnapshot, STATE.cleanUp]) {
      expect(transientOf(name).MaxAttempts).toBe(maxAttempts(TRANSIENT_RETRY_POLICY));
    }
    // 480 checks: a budget of 48 transient faults over the whole wait, more than the default 6.
    expect(maxAttempts(longWaitTransientRetry(waitInterval, snapshotTimeout))).toBe(48);
    for (const name of [STATE.checkSnapshot, STATE.checkCopy, STATE.copySnapshot]) {
      expect(transientOf(name).MaxAttempts).toBe(48);
    }
    expect(transientOf(STATE.cleanUpFailedRun).MaxAttempts).toBe(maxAttempts(CLEAN_UP_TRANSIENT_RETRY_POLICY));
    expect(maxAttempts(CLEAN_UP_TRANSIENT_RETRY_POLICY)).toBeGreaterThan(maxAttempts(TRANSIENT_RETRY_POLICY)!);
  });

  test('the transient retry comes before the step\'s own "not yet" retry', () => {
    const { construct } = build();
    for (const [name, error] of [[STATE.prepare, 'ClusterNotAvailable'], [STATE.checkSnapshot, 'SnapshotNotReady'], [STATE.copySnapshot, 'CopyLimitReached']]) {
      expect((stateJson(construct, name).Retry as Json[]).map((retry) => retry.ErrorEquals.includes('Throttling') ? 'transient' : retry.ErrorEquals))
        .toEqual(['transient', [error]]);
    }
  });
});

describe('CopySnapshot waits for a copy slot (CopyLimitReached)', () => {
  test.each([
    [Duration.seconds(60), undefined, 60, 21600],
    [Duration.seconds(30), Duration.hours(2), 30, 7200],
    [Duration.seconds(7), Duration.seconds(100), 7, 100],
    [Duration.minutes(5), Duration.minutes(5), 300, 300],
  ])('waitInterval %s, snapshotTimeout %s: every waitInterval, within snapshotTimeout', (waitInterval, snapshotTimeout, interval, timeout) => {
    const copy = stateJson(build({ waitInterval, snapshotTimeout }).construct, STATE.copySnapshot);
    const retries = retriesOf(copy, 'CopyLimitReached');
    expect(retries).toEqual([{
      ErrorEquals: ['CopyLimitReached'],
      IntervalSeconds: interval,
      BackoffRate: 1,
      MaxAttempts: Math.floor(timeout / interval),
    }]);
    // The whole wait fits snapshotTimeout, and one more attempt would not.
    expect(retries[0].MaxAttempts * interval).toBeLessThanOrEqual(timeout);
    expect((retries[0].MaxAttempts + 1) * interval).toBeGreaterThan(timeout);
    // Once the wait is over, the run fails into the clean-up like any other error.
    expect(copy.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: STATE.cleanUpFailedRun }]);
  });

  test('only CopySnapshot retries CopyLimitReached', () => {
    const definition = definitionOf(build().template);
    const retrying = tasksOf(definition).filter(([, task]) => retriesOf(task, 'CopyLimitReached').length > 0).map(([name]) => name);
    expect(retrying).toEqual([STATE.copySnapshot]);
  });

  test('the execution timeout leaves room for every wait, the copy slot\'s included', () => {
    const waitInterval = Duration.minutes(1);
    const snapshotTimeout = Duration.hours(2);
    const definition = definitionOf(build({ waitInterval, snapshotTimeout }).template);
    const longestWaits = [
      totalWaitSeconds(clusterNotAvailableRetry(waitInterval, snapshotTimeout)), // Prepare
      totalWaitSeconds(clusterNotAvailableRetry(waitInterval, snapshotTimeout)), // CreateSnapshot
      totalWaitSeconds(notReadyRetry(waitInterval, snapshotTimeout)), // CheckSnapshot
      totalWaitSeconds(copyLimitRetry(waitInterval, snapshotTimeout)), // CopySnapshot
      totalWaitSeconds(notReadyRetry(waitInterval, snapshotTimeout)), // CheckCopy
    ];
    expect(totalWaitSeconds(copyLimitRetry(waitInterval, snapshotTimeout))).toBe(7200);
    const sum = longestWaits.reduce((a, b) => a + b, 0) + MAX_START_DELAY_SECONDS;
    expect(definition.TimeoutSeconds).toBeGreaterThan(sum);
    expect(definition.TimeoutSeconds).toBe(5 * 7200 + 3600 + MAX_START_DELAY_SECONDS);
  });
});
