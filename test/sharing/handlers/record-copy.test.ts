import { AddTagsToResourceCommand, DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { ACCOUNT, awsError, mockSnapshots, NOW, ownedSnapshot, RUN_ID, SHARED_ID, snapshot, snapshotArn, TARGET_ACCOUNT_IDS, useHandlerEnvironment } from './helpers';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE, SOURCE_EVENTS_ENV, TAG_COPIED_PREFIX } from '../../../src/shared/constants';
import type { SnapshotCopiedDetail } from '../../../src/shared/events';
import { CopiedSnapshotEvent, handler } from '../../../src/sharing/handlers/record-copy.lambda';

const rdsMock = mockClient(RDSClient);
const [T1] = TARGET_ACCOUNT_IDS;
const ARN = snapshotArn(SHARED_ID);

/** A `Cluster Snapshot Copied` event as the rule delivers it (EventBridge envelope; detail from the receiver's RetainCopies). */
type EventOverrides = Partial<Record<keyof CopiedSnapshotEvent, unknown>>;
function copiedEvent(overrides: EventOverrides = {}, detail: Partial<SnapshotCopiedDetail> = {}): CopiedSnapshotEvent {
  return {
    'source': EVENT_SOURCE,
    'detail-type': EVENT_DETAIL_TYPE.copied,
    'account': T1,
    'detail': {
      sourceAccount: ACCOUNT,
      sourceSnapshotArn: ARN,
      clusterIdentifier: 'orders-db',
      copyArn: `arn:aws:rds:eu-west-1:${T1}:cluster-snapshot:received-x-0123456789ab`,
      targetAccount: T1,
      ...detail,
    },
    ...overrides,
  } as CopiedSnapshotEvent;
}

useHandlerEnvironment(NOW, { [SOURCE_EVENTS_ENV.ACCOUNT_ID]: ACCOUNT, AWS_REGION: 'eu-west-1' });

beforeEach(() => {
  rdsMock.reset();
  mockSnapshots(rdsMock, [ownedSnapshot(RUN_ID, 'shared')]);
  rdsMock.on(AddTagsToResourceCommand).resolves({});
});

describe('a valid confirmation', () => {
  test('re-reads the snapshot by identifier and tags it with the confirming account and the time', async () => {
    await expect(handler(copiedEvent())).resolves.toStrictEqual({ snapshotIdentifier: SHARED_ID, targetAccount: T1, outcome: 'recorded' });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input)).toEqual([{ DBClusterSnapshotIdentifier: SHARED_ID }]);
    expect(rdsMock.commandCalls(AddTagsToResourceCommand).map((c) => c.args[0].input)).toEqual([{
      ResourceName: ARN,
      Tags: [{ Key: `shared-cluster-snapshots:copied-${T1}`, Value: NOW.toISOString() }],
    }]);
  });

  test('a duplicate confirmation keeps the first time and makes no call', async () => {
    mockSnapshots(rdsMock, [ownedSnapshot(RUN_ID, 'shared', { extraTags: [{ Key: `${TAG_COPIED_PREFIX}${T1}`, Value: '2026-11-27T02:00:00.000Z' }] })]);
    await expect(handler(copiedEvent())).resolves.toMatchObject({ outcome: 'already-recorded' });
    expect(rdsMock.commandCalls(AddTagsToResourceCommand)).toHaveLength(0);
  });

  test('a snapshot CleanUp marked as awaited (pending) gets the confirmation time', async () => {
    mockSnapshots(rdsMock, [ownedSnapshot(RUN_ID, 'shared', { extraTags: [{ Key: `${TAG_COPIED_PREFIX}${T1}`, Value: 'pending' }] })]);
    await expect(handler(copiedEvent())).resolves.toMatchObject({ outcome: 'recorded' });
    expect(rdsMock.commandCalls(AddTagsToResourceCommand)[0].args[0].input.Tags).toEqual([{ Key: `${TAG_COPIED_PREFIX}${T1}`, Value: NOW.toISOString() }]);
  });

  test('a snapshot pruned meanwhile: nothing to record, no error', async () => {
    mockSnapshots(rdsMock, []);
    await expect(handler(copiedEvent())).resolves.toMatchObject({ outcome: 'absent' });
    expect(rdsMock.commandCalls(AddTagsToResourceCommand)).toHaveLength(0);
  });

  test('the account comes from the envelope, never from the detail', async () => {
    await handler(copiedEvent({}, { targetAccount: '333333333333', sourceAccount: '999999999999' }));
    expect(rdsMock.commandCalls(AddTagsToResourceCommand)[0].args[0].input.Tags).toEqual([{ Key: `${TAG_COPIED_PREFIX}${T1}`, Value: NOW.toISOString() }]);
  });

  test('RDS errors other than not-found pass through by name (Lambda retries the event)', async () => {
    rdsMock.on(AddTagsToResourceCommand).rejects(awsError('Throttling'));
    await expect(handler(copiedEvent())).rejects.toMatchObject({ name: 'Throttling' });
  });
});

describe('hostile or mistaken events are refused before any tag is written', () => {
  test.each<[string, unknown, string, RegExp]>([
    ['not an object', 'hello', 'InvalidInput', /must be a JSON object/],
    ['another source', copiedEvent({ source: 'evil.app' }), 'InvalidInput', /Expected a 'Cluster Snapshot Copied' event/],
    ['another detail type', copiedEvent({ 'detail-type': EVENT_DETAIL_TYPE.shared }), 'InvalidInput', /Expected a 'Cluster Snapshot Copied' event/],
    ['an account that is not a target', copiedEvent({ account: '999999999999' }), 'ConfirmationRefused', /account "999999999999", which is not one of the target accounts/],
    ['no account', copiedEvent({ account: undefined }), 'ConfirmationRefused', /not one of the target accounts/],
    ['this account itself', copiedEvent({ account: ACCOUNT }), 'ConfirmationRefused', /not one of the target accounts/],
    ['no detail', copiedEvent({ detail: undefined }), 'InvalidInput', /The event detail must be a JSON object/],
    ['an ARN that is not a snapshot ARN', copiedEvent({}, { sourceSnapshotArn: 'arn:aws:rds:eu-west-1:111111111111:cluster:orders-db' }), 'ConfirmationRefused', /is not a DB cluster snapshot or DB snapshot ARN/],
    ['a non-string ARN', copiedEvent({}, { sourceSnapshotArn: 42 as unknown as string }), 'ConfirmationRefused', /42 is not a DB cluster snapshot or DB snapshot ARN/],
    ['another account\'s snapshot', copiedEvent({}, { sourceSnapshotArn: `arn:aws:rds:eu-west-1:${T1}:cluster-snapshot:${SHARED_ID}` }), 'ConfirmationRefused', /not in this account and Region/],
    ['another Region\'s snapshot', copiedEvent({}, { sourceSnapshotArn: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster-snapshot:${SHARED_ID}` }), 'ConfirmationRefused', /not in this account and Region/],
    ['a snapshot without the prefix', copiedEvent({}, { sourceSnapshotArn: snapshotArn('manual-orders-db') }), 'ConfirmationRefused', /does not start with this instance's snapshotPrefix 'shared-'/],
    ['an oversized event', copiedEvent({}, { clusterIdentifier: 'x'.repeat(20_000) }), 'InvalidInput', /bytes; at most/],
  ])('%s', async (_, event, name, message) => {
    await expect(handler(event as CopiedSnapshotEvent)).rejects.toMatchObject({ name, message: expect.stringMatching(message) });
    expect(rdsMock.commandCalls(AddTagsToResourceCommand)).toHaveLength(0);
  });

  test.each<[string, ReturnType<typeof snapshot>]>([
    ['a user\'s own snapshot with the prefix (no ownership tags)', snapshot({ id: SHARED_ID })],
    ['another instance\'s snapshot', ownedSnapshot(RUN_ID, 'shared', { owner: { ownerId: 'other-stack', role: 'shared', runId: RUN_ID } })],
    ['this instance\'s temporary snapshot', ownedSnapshot(RUN_ID, 'shared', { owner: { role: 'temporary', runId: RUN_ID } })],
  ])('RDS shows %s: refused', async (_, found) => {
    mockSnapshots(rdsMock, [found]);
    await expect(handler(copiedEvent())).rejects.toMatchObject({ name: 'ConfirmationRefused', message: expect.stringMatching(/is not a shared snapshot of this instance/) });
    expect(rdsMock.commandCalls(AddTagsToResourceCommand)).toHaveLength(0);
  });
});
