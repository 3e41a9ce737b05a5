import { AddTagsToResourceCommand, DBClusterSnapshot, DeleteDBClusterSnapshotCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  deletedIds, mockRestoreAttributes, mockSnapshots, NOW, ownedSnapshot, preparedPlan, RUN_ID, SHARED_ID, snapshotArn, TARGET_ACCOUNT_IDS,
  useHandlerEnvironment,
} from './helpers';
import { ENV, SILENT_LOGS_VARIABLE, SOURCE_EVENTS_ENV, TAG_COPIED_PREFIX } from '../../../src/shared/constants';
import { handler } from '../../../src/sharing/handlers/clean-up.lambda';
import { confirmedBy, decideRetention } from '../../../src/sharing/handlers/confirmed-retention.lambda-shared';
import type { RunPlan } from '../../../src/sharing/handlers/workflow-state.lambda-shared';

const rdsMock = mockClient(RDSClient);
const DAY = 24 * 3600 * 1000;
const [T1, T2] = TARGET_ACCOUNT_IDS;
const SEVEN_DAYS = String(7 * 86_400);

const SHARED: RunPlan = {
  ...preparedPlan(false), awaitingSnapshotIdentifier: SHARED_ID, snapshotArn: snapshotArn(SHARED_ID), sharedWith: TARGET_ACCOUNT_IDS,
};
const CURRENT = ownedSnapshot(RUN_ID, 'shared', { created: NOW });

/** A shared snapshot `days` before RUN_ID, confirmed by `confirmedBy` accounts. */
function older(days: number, confirmed: string[] = []): DBClusterSnapshot {
  const created = new Date(NOW.getTime() - days * DAY);
  const runId = created.toISOString().replace(/[-:T]/g, '').slice(0, 12);
  return ownedSnapshot(runId, 'shared', {
    created,
    extraTags: confirmed.map((account) => ({ Key: `${TAG_COPIED_PREFIX}${account}`, Value: '2026-11-20T04:00:00.000Z' })),
  });
}
const idOf = (s: DBClusterSnapshot) => s.DBClusterSnapshotIdentifier!;

useHandlerEnvironment(new Date(NOW.getTime() + 30 * 60_000), {
  [ENV.RETAIN_SNAPSHOTS]: '1',
  [SOURCE_EVENTS_ENV.RETAIN_UNTIL_COPIED]: 'true',
  [SOURCE_EVENTS_ENV.MAX_RETENTION_SECONDS]: SEVEN_DAYS,
});

beforeEach(() => {
  rdsMock.reset();
  rdsMock.on(DeleteDBClusterSnapshotCommand).resolves({});
  rdsMock.on(AddTagsToResourceCommand).resolves({});
  mockRestoreAttributes(rdsMock);
});

/** `copied-<account>` tags of the given values on a snapshot. */
const copyTags = (values: Record<string, string>) => Object.entries(values).map(([account, value]) => ({ Key: `${TAG_COPIED_PREFIX}${account}`, Value: value }));
const tagCalls = () => rdsMock.commandCalls(AddTagsToResourceCommand).map((c) => c.args[0].input);

describe('CleanUp with retainUntilCopied', () => {
  test('an expired snapshot that every receiver confirmed is deleted', async () => {
    const a = older(1, [T1, T2]);
    mockSnapshots(rdsMock, [CURRENT, a]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([idOf(a)]);
  });

  test('an expired snapshot one receiver has not confirmed is kept, while an older one both confirmed goes', async () => {
    const unconfirmed = older(1, [T1]);
    const confirmed = older(2, [T1, T2]);
    mockSnapshots(rdsMock, [CURRENT, unconfirmed, confirmed]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([idOf(confirmed)]);
  });

  test('a target that never confirmed anything runs no receiver and does not keep snapshots', async () => {
    const a = older(1, [T1]);
    const b = older(2, [T1]);
    mockSnapshots(rdsMock, [CURRENT, a, b]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([idOf(a), idOf(b)]);
  });

  test('without any confirmation at all, retention by count applies as before', async () => {
    const a = older(1);
    mockSnapshots(rdsMock, [CURRENT, a]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([idOf(a)]);
  });

  test('an unconfirmed snapshot older than maxRetention is deleted anyway; exactly maxRetention old is kept', async () => {
    const tooOld = older(8, [T1]);
    const onTheLimit = { ...older(7, [T1]), SnapshotCreateTime: new Date(NOW.getTime() + 30 * 60_000 - 7 * DAY) };
    const receiverEvidence = older(9, [T1, T2]);
    mockSnapshots(rdsMock, [CURRENT, onTheLimit, tooOld, receiverEvidence]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([idOf(tooOld), idOf(receiverEvidence)]);
  });

  test('maxRetention comes from MAX_RETENTION_SECONDS', async () => {
    process.env[SOURCE_EVENTS_ENV.MAX_RETENTION_SECONDS] = String(12 * 3600);
    const a = older(1, [T1]);
    const evidence = older(2, [T1, T2]);
    mockSnapshots(rdsMock, [CURRENT, a, evidence]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([idOf(a), idOf(evidence)]);
  });

  test('a confirmation from an account that is no longer a target does not keep snapshots', async () => {
    const a = older(1, [T1]);
    const b = older(2, [T1, '444444444444']);
    mockSnapshots(rdsMock, [CURRENT, a, b]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([idOf(a), idOf(b)]);
  });

  test('the current (newest) snapshot is never deleted, whatever its confirmations', async () => {
    mockSnapshots(rdsMock, [CURRENT, older(1, [T1, T2])]);
    process.env[SOURCE_EVENTS_ENV.MAX_RETENTION_SECONDS] = '1';
    await handler(SHARED);
    expect(deletedIds(rdsMock)).not.toContain(SHARED_ID);
  });

  test('retainSnapshots still keeps the newest ones, confirmed or not', async () => {
    process.env[ENV.RETAIN_SNAPSHOTS] = '2';
    const kept = older(1);
    const a = older(2, [T1, T2]);
    mockSnapshots(rdsMock, [CURRENT, kept, a]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([idOf(a)]);
  });

  test('off (RETAIN_UNTIL_COPIED=false): confirmations do not matter', async () => {
    process.env[SOURCE_EVENTS_ENV.RETAIN_UNTIL_COPIED] = 'false';
    const unconfirmed = older(1, [T1]);
    const confirmed = older(2, [T1, T2]);
    mockSnapshots(rdsMock, [CURRENT, unconfirmed, confirmed]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([idOf(unconfirmed), idOf(confirmed)]);
  });

  test('logs why it keeps a snapshot: the receivers it awaits and its age', async () => {
    const unconfirmed = older(1, [T1]);
    mockSnapshots(rdsMock, [CURRENT, unconfirmed, older(2, [T1, T2])]);
    delete process.env[SILENT_LOGS_VARIABLE];
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
    try {
      await handler(SHARED);
    } finally {
      spy.mockRestore();
    }
    expect(lines.map((line) => JSON.parse(line)).filter((entry) => /^Keeping an expired snapshot/.test(entry.message))).toEqual([
      expect.objectContaining({ snapshotIdentifier: idOf(unconfirmed), awaiting: [T2], ageSeconds: 86_400 + 30 * 60 }),
    ]);
  });

  test('requires MAX_RETENTION_SECONDS to be an integer', async () => {
    process.env[SOURCE_EVENTS_ENV.MAX_RETENTION_SECONDS] = 'a week';
    mockSnapshots(rdsMock, [CURRENT, older(1, [T1])]);
    await expect(handler(SHARED)).rejects.toThrow(/MAX_RETENTION_SECONDS is not an integer/);
  });
});

describe('who runs a receiver outlives the snapshots they confirmed (pending marks)', () => {
  test('CleanUp marks the new snapshot as awaited by every known receiver, before the confirmed one goes', async () => {
    const a = older(1, [T1]);
    mockSnapshots(rdsMock, [CURRENT, a]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([idOf(a)]);
    expect(tagCalls()).toEqual([{ ResourceName: snapshotArn(SHARED_ID), Tags: [{ Key: `${TAG_COPIED_PREFIX}${T1}`, Value: 'pending' }] }]);
  });

  test('a receiver that was down: the snapshot awaiting it (pending) is kept, though no confirmed snapshot remains', async () => {
    const awaiting = { ...older(1), TagList: [...older(1).TagList!, ...copyTags({ [T1]: 'pending' })] };
    mockSnapshots(rdsMock, [CURRENT, awaiting]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([]);
    expect(tagCalls()).toEqual([{ ResourceName: snapshotArn(SHARED_ID), Tags: [{ Key: `${TAG_COPIED_PREFIX}${T1}`, Value: 'pending' }] }]);
  });

  test('a pending snapshot older than maxRetention goes; the mark on the new one stays', async () => {
    const awaiting = { ...older(8), TagList: [...older(8).TagList!, ...copyTags({ [T1]: 'pending' })] };
    mockSnapshots(rdsMock, [CURRENT, awaiting]);
    await handler(SHARED);
    expect(deletedIds(rdsMock)).toEqual([idOf(awaiting)]);
  });

  test('no mark for a receiver already named on the new snapshot, nor for a former target; no call without receivers', async () => {
    const current = { ...CURRENT, TagList: [...CURRENT.TagList!, ...copyTags({ [T1]: '2026-11-27T04:00:00.000Z' })] };
    mockSnapshots(rdsMock, [current, older(1, [T1, T2, '444444444444'])]);
    await handler(SHARED);
    expect(tagCalls()).toEqual([{ ResourceName: snapshotArn(SHARED_ID), Tags: [{ Key: `${TAG_COPIED_PREFIX}${T2}`, Value: 'pending' }] }]);
    rdsMock.resetHistory();
    mockSnapshots(rdsMock, [CURRENT, older(1)]);
    await handler(SHARED);
    expect(tagCalls()).toEqual([]);
  });

  test('without retainUntilCopied nothing is marked', async () => {
    process.env[SOURCE_EVENTS_ENV.RETAIN_UNTIL_COPIED] = 'false';
    mockSnapshots(rdsMock, [CURRENT, older(1, [T1])]);
    await handler(SHARED);
    expect(tagCalls()).toEqual([]);
  });
});

describe('decideRetention and confirmedBy', () => {
  test('confirmedBy reads only the copied- tags with a time, not pending or empty ones', () => {
    expect(confirmedBy({
      TagList: [
        { Key: `${TAG_COPIED_PREFIX}${T1}`, Value: '2026-11-20T04:00:00.000Z' },
        { Key: `${TAG_COPIED_PREFIX}${T2}`, Value: '' },
        { Key: `${TAG_COPIED_PREFIX}444444444444`, Value: 'pending' },
        { Key: 'shared-cluster-snapshots:owner', Value: T1 },
      ],
    })).toEqual([T1]);
  });

  test('says which receivers a kept snapshot awaits, and its age', () => {
    const a = older(1, [T1]);
    const decisions = decideRetention([a], [a, older(2, [T1, T2])], NOW.getTime());
    expect(decisions).toEqual([{ snapshot: a, prune: false, awaiting: [T2], ageSeconds: 86_400 }]);
  });

  test('a snapshot without a create time counts as young', () => {
    const a = { ...older(100, [T1]), SnapshotCreateTime: undefined };
    const [decision] = decideRetention([a], [a, older(2, [T1, T2])], NOW.getTime());
    expect(decision).toMatchObject({ prune: false, ageSeconds: undefined });
  });
});
