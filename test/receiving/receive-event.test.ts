import { DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, COPY_ID, OTHER_SOURCE, SHARED_ARN, SHARED_ID, SOURCE, STATE_MACHINE_ARN, STRANGER, sharedArn, sharedSnapshot, useReceiverEnvironment } from './helpers';
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

  test('trusts RDS, not the event, for the cluster: a snapshot of an unselected cluster is refused', async () => {
    process.env.SOURCE_CLUSTER_IDENTIFIERS = 'orders-db';
    rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [sharedSnapshot({ DBClusterIdentifier: 'hr-db' })] });
    await expect(handler(event())).rejects.toMatchObject({ name: 'SnapshotNotFromSource', message: expect.stringContaining("cluster 'hr-db'") });
    expect(sfnMock.calls()).toHaveLength(0);
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
