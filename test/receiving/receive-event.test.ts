import { DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, COPY_ID, OTHER_SOURCE, SHARED_ARN, SHARED_ID, SOURCE, STATE_MACHINE_ARN, STRANGER, sharedArn, sharedSnapshot, TARGET, useReceiverEnvironment } from './helpers';
import { handler, SharedSnapshotEvent } from '../../src/receiving/handlers/receive-event.lambda';

const rdsMock = mockClient(RDSClient);
const sfnMock = mockClient(SFNClient);

function event(overrides: Record<string, unknown> = {}, detail: Record<string, unknown> = {}): SharedSnapshotEvent {
  return {
    'version': '0',
    'id': 'e1',
    'source': 'cdk-shared-cluster-snapshots',
    'detail-type': 'Cluster Snapshot Shared',
    'account': SOURCE,
    'region': 'eu-west-1',
    'time': '2026-11-27T03:10:00Z',
    'resources': [],
    'detail': {
      clusterIdentifier: 'orders-db',
      snapshotIdentifier: SHARED_ID,
      snapshotArn: SHARED_ARN,
      sharedWith: ['222222222222'],
      runId: '202611270300',
      snapshotCreateTime: '2026-11-27T03:05:00Z',
      ...detail,
    },
    ...overrides,
  } as unknown as SharedSnapshotEvent;
}

describe('receive-event', () => {
  useReceiverEnvironment();
  beforeEach(() => {
    rdsMock.reset();
    sfnMock.reset();
    rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [sharedSnapshot()] });
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
  });

  test('re-reads the snapshot by ARN as shared, then starts one execution named for the snapshot', async () => {
    await expect(handler(event())).resolves.toEqual({ executionName: COPY_ID, outcome: 'started' });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input)).toEqual([
      { DBClusterSnapshotIdentifier: SHARED_ARN, SnapshotType: 'shared', IncludeShared: true },
    ]);
    expect(sfnMock.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([{
      stateMachineArn: STATE_MACHINE_ARN,
      name: COPY_ID,
      input: JSON.stringify({ sourceAccount: SOURCE, snapshotArn: SHARED_ARN }),
    }]);
  });

  test('a duplicate event starts nothing twice', async () => {
    sfnMock.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists'));
    await expect(handler(event())).resolves.toEqual({ executionName: COPY_ID, outcome: 'alreadyStarted' });
  });

  test.each<[string, Record<string, unknown>, Record<string, unknown>, string, RegExp]>([
    ['another source', { source: 'someone.else' }, {}, 'InvalidInput', /Expected a 'Cluster Snapshot Shared' event/],
    ['another detail type', { 'detail-type': 'Cluster Snapshot Failed' }, {}, 'InvalidInput', /Expected a 'Cluster Snapshot Shared' event/],
    ['an unknown account', { account: STRANGER }, {}, 'SnapshotNotFromSource', /account "444444444444", which is not one of the source accounts/],
    ['a snapshot of another source', {}, { snapshotArn: sharedArn(SHARED_ID, OTHER_SOURCE) }, 'SnapshotNotFromSource', /but the event came from account 111111111111/],
    ['a snapshot of the unknown account', {}, { snapshotArn: sharedArn(SHARED_ID, STRANGER) }, 'SnapshotNotFromSource', /not one of the source accounts/],
    ['another Region', {}, { snapshotArn: sharedArn(SHARED_ID, SOURCE, 'us-east-1') }, 'SnapshotNotFromSource', /Region us-east-1/],
    ['no detail', { detail: 'x' }, {}, 'InvalidInput', /The event detail must be a JSON object/],
  ])('refuses %s before any AWS call', async (_name, overrides, detail, name, message) => {
    const result = handler(event(overrides, detail));
    await expect(result).rejects.toMatchObject({ name });
    await expect(handler(event(overrides, detail))).rejects.toThrow(message);
    expect(rdsMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  // The source may share more than this receiver copies: such an event is skipped, not an error
  // (an error would count in the failure alarm and be retried by Lambda).
  test('trusts RDS, not the event, for the cluster: a snapshot of an unselected cluster is skipped, nothing started', async () => {
    process.env.SOURCE_CLUSTER_IDENTIFIERS = 'orders-db';
    rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [sharedSnapshot({ DBClusterIdentifier: 'hr-db' })] });
    await expect(handler(event({}, { clusterIdentifier: 'orders-db' }))).resolves.toEqual({
      outcome: 'notSelected',
      reason: expect.stringContaining("is of cluster 'hr-db', which is not one of clusterIdentifiers (orders-db)"),
    });
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('a snapshot outside sourceSnapshotPrefix is skipped before any AWS call', async () => {
    await expect(handler(event({}, { snapshotArn: sharedArn('other-orders-db-1') }))).resolves.toEqual({
      outcome: 'notSelected',
      reason: expect.stringContaining("does not start with sourceSnapshotPrefix 'shared'"),
    });
    expect(rdsMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('this account among the source accounts (found at run time): SourceIsOwnAccount, naming the account and the prop, before any AWS call', async () => {
    process.env.SOURCE_ACCOUNT_IDS = `${SOURCE},${TARGET}`;
    const result = handler(event());
    await expect(result).rejects.toMatchObject({ name: 'SourceIsOwnAccount' });
    await expect(handler(event())).rejects.toThrow(`sourceAccountIds contains '${TARGET}', which is the account this receiver runs in`);
    expect(rdsMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('a state machine ARN without an account is refused as InvalidInput, before any AWS call', async () => {
    process.env.STATE_MACHINE_ARN = 'not-an-arn';
    await expect(handler(event())).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test.each([
    ['not found', () => rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(awsError('DBClusterSnapshotNotFoundFault'))],
    ['answered with another snapshot', () => rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [sharedSnapshot({ id: 'shared-other' })] })],
  ])('a snapshot RDS does not show as shared (%s) is refused with SharedSnapshotNotFound', async (_name, arrange) => {
    arrange();
    await expect(handler(event())).rejects.toMatchObject({ name: 'SharedSnapshotNotFound' });
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('an unexpected RDS error is passed on for the retry', async () => {
    rdsMock.on(DescribeDBClusterSnapshotsCommand).rejects(awsError('Throttling'));
    await expect(handler(event())).rejects.toMatchObject({ name: 'Throttling' });
  });
});
