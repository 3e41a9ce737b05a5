import fc from 'fast-check';
import { CLUSTER, preparedPlan } from './helpers';
import { MAX_POLL_STRIDE } from '../../../src/shared/constants';
import { CALLS_PER_EXECUTION, fleetPacing, shouldPoll } from '../../../src/sharing/handlers/pacing.lambda-shared';
import type { RunPlan } from '../../../src/sharing/handlers/workflow-state.lambda-shared';
import { clusterIdentifier } from '../../properties/arbitraries';

const SEED = 20261127;
const MINUTE = 60;

describe('fleetPacing', () => {
  // Expected values worked out by hand from the documented rule: half of `rps` × 60 requests a
  // minute for the ~10 fixed calls per execution (clustersPerMinute = floor(3 × rps), at least 1),
  // half for status checks (pollStride = ceil(2 × clusters / (interval × rps)), 1 to 60).
  test.each<[clusters: number, rps: number, interval: number, clustersPerMinute: number, pollStride: number]>([
    // The default budget (8 per second) and interval (60 s).
    [0, 8, 60, 24, 1],
    [1, 8, 60, 24, 1],
    [24, 8, 60, 24, 1],
    [25, 8, 60, 24, 1],
    [240, 8, 60, 24, 1],
    [241, 8, 60, 24, 2],
    [1000, 8, 60, 24, 5],
    [5000, 8, 60, 24, 21],
    // The smallest budget.
    [1, 1, 60, 3, 1],
    [24, 1, 60, 3, 1],
    [30, 1, 60, 3, 1],
    [31, 1, 60, 3, 2],
    [240, 1, 60, 3, 8],
    [1000, 1, 60, 3, 34],
    [5000, 1, 60, 4, 60], // 3 a minute would need more than a day: the day cap widens the waves
    // The largest budget.
    [1, 100, 60, 300, 1],
    [1000, 100, 60, 300, 1],
    [5000, 100, 60, 300, 2],
    // A 1 s interval polls 60 times as often.
    [1, 8, 1, 24, 1],
    [24, 8, 1, 24, 6],
    [25, 8, 1, 24, 7],
    [240, 8, 1, 24, 60],
    [1000, 8, 1, 24, 60],
    [1, 1, 1, 3, 2],
    [240, 100, 1, 300, 5],
    [5000, 100, 1, 300, 60],
    // An hourly interval hardly polls at all.
    [5000, 8, 3600, 24, 1],
    [1000, 1, 3600, 3, 1],
    [5000, 1, 3600, 4, 3],
  ])('%i clusters, %i requests/s, %i s interval: %i clusters a minute, pollStride %i', (clusters, rps, interval, clustersPerMinute, pollStride) => {
    expect(fleetPacing(clusters, rps, interval)).toEqual({ clustersPerMinute, pollStride });
  });

  test('the stride is capped at MAX_POLL_STRIDE (60)', () => {
    expect(MAX_POLL_STRIDE).toBe(60);
    expect(fleetPacing(1_000_000, 1, 1).pollStride).toBe(60);
  });

  test('stays within the budget: starts use at most half of it, polls at most the other half unless the stride is capped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 3600 }),
        (clusters, rps, interval) => {
          const { clustersPerMinute, pollStride } = fleetPacing(clusters, rps, interval);
          const halfBudgetPerMinute = (rps * MINUTE) / 2;
          expect(Number.isInteger(clustersPerMinute) && clustersPerMinute >= 1).toBe(true);
          expect(Number.isInteger(pollStride) && pollStride >= 1 && pollStride <= MAX_POLL_STRIDE).toBe(true);
          // Every start fits within a day (1,441 minute waves); within that, the waves are as wide as the half budget allows.
          expect(Math.ceil(clusters / clustersPerMinute) - 1).toBeLessThanOrEqual(1440);
          const dayCap = Math.ceil(clusters / 1441);
          if (clustersPerMinute > dayCap) {
            expect(clustersPerMinute * CALLS_PER_EXECUTION).toBeLessThanOrEqual(halfBudgetPerMinute);
            expect((clustersPerMinute + 1) * CALLS_PER_EXECUTION).toBeGreaterThan(halfBudgetPerMinute);
          }
          const pollsPerMinute = (stride: number) => (clusters * MINUTE) / interval / stride;
          if (pollStride < MAX_POLL_STRIDE) {
            expect(pollsPerMinute(pollStride)).toBeLessThanOrEqual(halfBudgetPerMinute + 1e-9);
          }
          // The stride is the smallest that fits: one less would poll too fast.
          if (pollStride > 1) {
            expect(pollsPerMinute(pollStride - 1)).toBeGreaterThan(halfBudgetPerMinute);
          }
        },
      ),
      { seed: SEED },
    );
  });
});

describe('shouldPoll', () => {
  const INTERVAL = 60;
  const TIMEOUT = 7200;
  const DEADLINE = Date.parse('2026-11-27T05:00:00.000Z');
  const PHASE_START = DEADLINE - TIMEOUT * 1000;

  function plan(pollStride?: number, overrides: Partial<RunPlan> = {}): RunPlan {
    return { ...preparedPlan(true), deadline: new Date(DEADLINE).toISOString(), ...(pollStride === undefined ? {} : { pollStride }), ...overrides };
  }

  /** The checks of one phase (k = 1, 2, ... intervals after its start) that call RDS. */
  function polledChecks(p: RunPlan, checks: number): number[] {
    return Array.from({ length: checks }, (_, i) => i + 1).filter((k) => shouldPoll(p, PHASE_START + k * INTERVAL * 1000, INTERVAL, TIMEOUT));
  }

  test('without a stride, or a stride of 1, every check polls', () => {
    expect(polledChecks(plan(), 120)).toHaveLength(120);
    expect(polledChecks(plan(1), 120)).toHaveLength(120);
  });

  test('a stride of 5 polls every 5th check, then every check in the last interval', () => {
    const polled = polledChecks(plan(5), 120);
    const strided = polled.filter((k) => k < 119);
    expect(strided.length).toBeGreaterThanOrEqual(23);
    expect(strided.slice(1).map((k, i) => k - strided[i])).toEqual(Array(strided.length - 1).fill(5));
    expect(strided[0]).toBeLessThanOrEqual(5);
    // Check 119 is the last interval before the deadline, check 120 the deadline itself.
    expect(polled).toEqual(expect.arrayContaining([119, 120]));
  });

  test('the offset depends on the cluster, so a fleet\'s polls spread over the stride', () => {
    const stride = 5;
    const firstPolls = Array.from({ length: 1000 }, (_, i) => polledChecks(plan(stride, { clusterIdentifier: `db-${i}` }), stride)[0]);
    for (let k = 1; k <= stride; k++) {
      const share = firstPolls.filter((first) => first === k).length;
      expect(share).toBeGreaterThan(150);
      expect(share).toBeLessThan(250);
    }
  });

  test('the offset is the same on every invocation for one cluster', () => {
    expect(polledChecks(plan(7), 100)).toEqual(polledChecks(plan(7), 100));
    expect(polledChecks(plan(7, { clusterIdentifier: CLUSTER }), 100)).toEqual(polledChecks(plan(7), 100));
  });

  test('every check at or after the last interval before the deadline polls, whatever the stride', () => {
    for (const now of [DEADLINE - INTERVAL * 1000, DEADLINE - 1, DEADLINE, DEADLINE + 3600_000]) {
      expect(shouldPoll(plan(MAX_POLL_STRIDE), now, INTERVAL, TIMEOUT)).toBe(true);
    }
  });

  test('a plan without a usable deadline always polls', () => {
    expect(shouldPoll(plan(5, { deadline: undefined }), PHASE_START + 60_000, INTERVAL, TIMEOUT)).toBe(true);
    expect(shouldPoll(plan(5, { deadline: 'soon' }), PHASE_START + 60_000, INTERVAL, TIMEOUT)).toBe(true);
  });

  test('a check a little early or late counts as the check it was meant to be', () => {
    const p = plan(5);
    const polled = polledChecks(p, 20);
    for (const k of Array.from({ length: 20 }, (_, i) => i + 1)) {
      const expected = polled.includes(k);
      // Checks only ever drift late (Lambda time adds up); early by more than a few seconds does not happen.
      for (const drift of [-2_000, -1, 1, 29_000]) {
        expect(shouldPoll(p, PHASE_START + k * INTERVAL * 1000 + drift, INTERVAL, TIMEOUT)).toBe(expected);
      }
    }
  });
});

/** A small deterministic generator (Park-Miller) for the drift of each check: numbers in [0, 1). */
function random(seed: number): () => number {
  let state = (Math.abs(Math.trunc(seed)) % 2_147_483_646) + 1;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return (state - 1) / 2_147_483_646;
  };
}

describe('shouldPoll over a simulated phase', () => {
  // A phase starts when CreateSnapshot (or CopySnapshot) sets the deadline to start + timeout; the
  // state machine then checks every interval, each check a little late (Lambda and Step Functions
  // overhead, here up to 10% of the interval, not accumulating), until the check at or after the
  // deadline, which decides the timeout.
  interface Phase {
    readonly cluster: string;
    readonly stride: number;
    readonly intervalSeconds: number;
    /** Whole intervals in the timeout... */
    readonly intervals: number;
    /** ...plus this fraction of one more. */
    readonly extraFraction: number;
    readonly start: number;
    readonly driftSeed: number;
  }

  const phase: fc.Arbitrary<Phase> = fc.record({
    cluster: clusterIdentifier.map((id) => id.toLowerCase()),
    stride: fc.integer({ min: 1, max: MAX_POLL_STRIDE }),
    intervalSeconds: fc.oneof(fc.constantFrom(1, 60, 3600), fc.integer({ min: 1, max: 3600 })),
    intervals: fc.integer({ min: 2, max: 2000 }),
    extraFraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    start: fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }),
    driftSeed: fc.integer(),
  });

  function simulate(p: Phase) {
    const interval = p.intervalSeconds * 1000;
    const timeoutSeconds = p.intervals * p.intervalSeconds + Math.floor(p.extraFraction * p.intervalSeconds);
    const deadline = p.start + timeoutSeconds * 1000;
    const plan: RunPlan = { ...preparedPlan(true), clusterIdentifier: p.cluster, deadline: new Date(deadline).toISOString(), pollStride: p.stride };
    const drift = random(p.driftSeed);
    const checks: { time: number; polled: boolean }[] = [];
    for (let k = 1; ; k++) {
      const time = p.start + k * interval + Math.floor(drift() * 0.1 * interval);
      checks.push({ time, polled: shouldPoll(plan, time, p.intervalSeconds, timeoutSeconds) });
      if (time >= deadline) break;
    }
    return { interval, deadline, beforeDeadline: checks.slice(0, -1), atDeadline: checks[checks.length - 1] };
  }

  test('polls about once per stride, never more than stride + 1 intervals apart, and always in the last interval', () => {
    fc.assert(
      fc.property(phase, (p) => {
        const { interval, deadline, beforeDeadline, atDeadline } = simulate(p);
        const n = beforeDeadline.length;
        const polls = beforeDeadline.filter((c) => c.polled);

        expect(polls.length).toBeGreaterThanOrEqual(Math.floor(n / p.stride) - 1);
        expect(polls.length).toBeLessThanOrEqual(Math.ceil(n / p.stride) + 2);

        // From the phase's start, through every poll, to the deciding check at the deadline.
        const times = [p.start, ...polls.map((c) => c.time), atDeadline.time];
        for (let i = 1; i < times.length; i++) {
          expect(times[i] - times[i - 1]).toBeLessThanOrEqual((p.stride + 1) * interval);
        }

        for (const check of beforeDeadline) {
          if (check.time >= deadline - interval) expect(check.polled).toBe(true);
        }
        expect(atDeadline.polled).toBe(true);
      }),
      { seed: SEED },
    );
  });

  test('a stride of 1 polls on every check', () => {
    fc.assert(
      fc.property(phase, (p) => {
        const { beforeDeadline, atDeadline } = simulate({ ...p, stride: 1 });
        expect(beforeDeadline.every((c) => c.polled)).toBe(true);
        expect(atDeadline.polled).toBe(true);
      }),
      { seed: SEED, numRuns: 50 },
    );
  });
});
