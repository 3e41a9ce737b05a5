import { SNAPSHOT_TIMEOUT_SECONDS, NOW, useHandlerEnvironment } from './helpers';
import { ENV } from '../../../src/shared/constants';
import { isOlderThanAnyLiveRun } from '../../../src/sharing/handlers/snapshots.lambda-shared';

useHandlerEnvironment(NOW);

describe('isOlderThanAnyLiveRun: the one "older than twice the snapshot timeout" rule of Prepare and CleanUp', () => {
  const twice = 2 * SNAPSHOT_TIMEOUT_SECONDS * 1000;
  const created = (ageMs: number) => ({ SnapshotCreateTime: new Date(NOW.getTime() - ageMs) });

  test('older than twice the timeout: a dead run\'s', () => {
    expect(isOlderThanAnyLiveRun(created(twice + 1))).toBe(true);
  });

  test('exactly twice the timeout, or younger: may still be a live run\'s', () => {
    expect(isOlderThanAnyLiveRun(created(twice))).toBe(false);
    expect(isOlderThanAnyLiveRun(created(0))).toBe(false);
  });

  test('without a reported creation time: new', () => {
    expect(isOlderThanAnyLiveRun({})).toBe(false);
  });

  test('reads SNAPSHOT_TIMEOUT_SECONDS, which is required', () => {
    process.env[ENV.SNAPSHOT_TIMEOUT_SECONDS] = '60';
    expect(isOlderThanAnyLiveRun(created(120_001))).toBe(true);
    delete process.env[ENV.SNAPSHOT_TIMEOUT_SECONDS];
    expect(() => isOlderThanAnyLiveRun(created(0))).toThrow(/SNAPSHOT_TIMEOUT_SECONDS/);
  });
});
