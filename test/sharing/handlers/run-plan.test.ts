import { DEADLINE, freezeTime, handlerEnv, NAMING, preparedPlan, SHARED_ID, sharedAvailablePlan, snapshotArn, TARGET_ACCOUNT_IDS, TEMP_ID } from './helpers';
import { MAX_POLL_STRIDE, MAX_START_DELAY_SECONDS } from '../../../src/shared/constants';
import { createdSnapshotIdentifier, deadlineFromNow, isPollStride, parsePlan } from '../../../src/sharing/handlers/run-plan.lambda-shared';
import type { RunPlan } from '../../../src/sharing/handlers/workflow-state.lambda-shared';
// The module holds only types, so nothing loads it at run time: load it here for the coverage report.
import '../../../src/sharing/handlers/workflow-state.lambda-shared';

const ORIGINAL_ENV = process.env;

/** A plan at its last stage: the copy found available and shared. */
const SHARED: RunPlan = { ...sharedAvailablePlan(), deadline: '2026-11-27T05:20:00.000Z', sharedWith: TARGET_ACCOUNT_IDS };

beforeEach(() => {
  process.env = { ...ORIGINAL_ENV, ...handlerEnv() };
});

afterEach(() => {
  jest.useRealTimers();
  process.env = ORIGINAL_ENV;
});

describe('parsePlan accepts the plan at every stage', () => {
  test.each<[string, RunPlan]>([
    ['from Prepare, with a copy', preparedPlan(true)],
    ['from Prepare, without a copy', preparedPlan(false)],
    ['awaiting the temporary snapshot', { ...preparedPlan(true), awaitingSnapshotIdentifier: TEMP_ID, deadline: DEADLINE }],
    ['with the temporary snapshot found available', { ...preparedPlan(true), awaitingSnapshotIdentifier: TEMP_ID, deadline: DEADLINE, snapshotArn: snapshotArn(TEMP_ID) }],
    ['shared', SHARED],
    ['shared with one account', { ...SHARED, sharedWith: ['222222222222'] }],
    ['with an empty sharedWith (handlers that need accounts check for them)', { ...SHARED, sharedWith: [] }],
    ['with pollStride 1', { ...preparedPlan(true), pollStride: 1 }],
    ['with pollStride 2', { ...preparedPlan(true), pollStride: 2 }],
    ['with pollStride 60', { ...SHARED, pollStride: 60 }],
    ['with the copy phase\'s deadline', { ...preparedPlan(true), awaitingSnapshotIdentifier: TEMP_ID, deadline: DEADLINE, snapshotArn: snapshotArn(TEMP_ID), copyDeadline: '2026-11-27T05:20:00.000Z' }],
  ])('%s', (_, plan) => {
    expect(parsePlan(plan, NAMING)).toBe(plan);
  });
});

describe('parsePlan refuses a malformed plan with InvalidInput', () => {
  test.each<[string, unknown]>([
    ['a mixed-case clusterIdentifier, although the names match its lowercase form', { ...SHARED, clusterIdentifier: 'Orders-DB' }],
    ['the names of another owner (an instance with another owner id)', { ...SHARED, sharedSnapshotIdentifier: SHARED_ID.replace('-u66vbj', '-q2krfd') }],
    ['an uppercase clusterIdentifier', { ...preparedPlan(false), clusterIdentifier: 'ORDERS-DB' }],
    ['a numeric deadline', { ...SHARED, deadline: 1795748400000 }],
    ['a null deadline', { ...SHARED, deadline: null }],
    ['a deadline object', { ...SHARED, deadline: { time: '2026-11-27T05:20:00.000Z' } }],
    ['a numeric snapshotArn', { ...SHARED, snapshotArn: 42 }],
    ['a snapshotArn list', { ...SHARED, snapshotArn: [snapshotArn(SHARED_ID)] }],
    ['a null snapshotArn', { ...SHARED, snapshotArn: null }],
    ['sharedWith as one string', { ...SHARED, sharedWith: '222222222222' }],
    ['sharedWith as a comma-separated string', { ...SHARED, sharedWith: TARGET_ACCOUNT_IDS.join(',') }],
    ['sharedWith with a number', { ...SHARED, sharedWith: [222222222222] }],
    ['sharedWith with an 11-digit id', { ...SHARED, sharedWith: ['22222222222'] }],
    ['sharedWith with a 13-digit id', { ...SHARED, sharedWith: ['2222222222222'] }],
    ['sharedWith with "all"', { ...SHARED, sharedWith: ['all'] }],
    ['sharedWith with a padded id', { ...SHARED, sharedWith: [' 222222222222'] }],
    ['sharedWith with a trailing newline', { ...SHARED, sharedWith: ['222222222222\n'] }],
    ['sharedWith with null', { ...SHARED, sharedWith: [null] }],
    ['sharedWith as an object', { ...SHARED, sharedWith: { 0: '222222222222' } }],
    ['a null sharedWith', { ...SHARED, sharedWith: null }],
    ['a pollStride of 0', { ...SHARED, pollStride: 0 }],
    ['a negative pollStride', { ...SHARED, pollStride: -1 }],
    ['a pollStride of 61', { ...SHARED, pollStride: 61 }],
    ['a fractional pollStride', { ...SHARED, pollStride: 1.5 }],
    ['a string pollStride', { ...SHARED, pollStride: '5' }],
    ['a null pollStride', { ...SHARED, pollStride: null }],
    ['a boolean pollStride', { ...SHARED, pollStride: true }],
    ['an infinite pollStride', { ...SHARED, pollStride: Number.POSITIVE_INFINITY }],
    ['a NaN pollStride', { ...SHARED, pollStride: Number.NaN }],
    ['a numeric copyDeadline', { ...SHARED, copyDeadline: 1795748400000 }],
    ['a copyDeadline that is no time', { ...SHARED, copyDeadline: 'soon' }],
    ['a copyDeadline in a plan without a copy', { ...preparedPlan(false), copyDeadline: '2026-11-27T05:20:00.000Z' }],
  ])('%s', (_, plan) => {
    expect(() => parsePlan(plan, NAMING)).toThrow(expect.objectContaining({ name: 'InvalidInput' }));
  });

  test('names the field at fault', () => {
    expect(() => parsePlan({ ...SHARED, deadline: 1 }, NAMING)).toThrow(/deadline must be a string/);
    expect(() => parsePlan({ ...SHARED, snapshotArn: 1 }, NAMING)).toThrow(/snapshotArn must be a string/);
    expect(() => parsePlan({ ...SHARED, sharedWith: ['x'] }, NAMING)).toThrow(/sharedWith must be a list of 12-digit account ids/);
    expect(() => parsePlan({ ...SHARED, clusterIdentifier: 'Orders-DB' }, NAMING)).toThrow(/clusterIdentifier is malformed.*"Orders-DB"/);
    expect(() => parsePlan({ ...SHARED, pollStride: 0 }, NAMING)).toThrow(/pollStride must be a whole number from 1 to 60/);
    expect(() => parsePlan({ ...SHARED, copyDeadline: 1 }, NAMING)).toThrow(/copyDeadline must be a string/);
    expect(() => parsePlan({ ...SHARED, copyDeadline: 'soon' }, NAMING)).toThrow(/copyDeadline must be an ISO-8601 time, and only in a plan with a copy: "soon"/);
  });
});

describe('the fleet pacing bounds', () => {
  test('isPollStride accepts exactly the whole numbers 1 to MAX_POLL_STRIDE (60)', () => {
    expect(MAX_POLL_STRIDE).toBe(60);
    expect([1, 2, 59, 60].every(isPollStride)).toBe(true);
    expect([0, -1, 61, 1.5, Number.NaN, '5', null, undefined, true, [2]].some(isPollStride)).toBe(false);
  });

  test('a start may be delayed by at most a day', () => {
    expect(MAX_START_DELAY_SECONDS).toBe(86_400);
  });
});

describe('createdSnapshotIdentifier / deadlineFromNow', () => {
  test('the first phase creates the temporary snapshot when a copy follows, else the shared one', () => {
    expect(createdSnapshotIdentifier(preparedPlan(true))).toBe(TEMP_ID);
    expect(createdSnapshotIdentifier(preparedPlan(false))).toBe(SHARED_ID);
  });

  test('a deadline is the snapshot timeout from now', () => {
    freezeTime(new Date('2026-11-27T03:20:00Z'));
    expect(deadlineFromNow()).toBe('2026-11-27T05:20:00.000Z');
  });
});
