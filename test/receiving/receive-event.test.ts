import { DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError, COPY_ID, DB_COPY_ID, DB_SHARED_ARN, DB_SHARED_ID, INSTANCE, OTHER_SOURCE, SHARED_ARN, SHARED_ID, SOURCE, STATE_MACHINE_ARN, STRANGER,
  sharedArn,
  sharedDbSnapshot, sharedSnapshot, TARGET, useReceiverEnvironment,
} from './helpers';
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

describe('receive-event, a DB instance\'s snapshot', () => {
  useReceiverEnvironment();
  /** A Shared event of a DB instance, as the source puts it (databaseKind, databaseIdentifier; for Oracle Timezone/OLS the options). */
  const instanceEvent = (detail: Record<string, unknown> = {}) => event({}, {
    clusterIdentifier: INSTANCE, databaseKind: 'instance', databaseIdentifier: INSTANCE, snapshotIdentifier: DB_SHARED_ID, snapshotArn: DB_SHARED_ARN, ...detail,
  });
  beforeEach(() => {
    rdsMock.reset();
    sfnMock.reset();
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [sharedDbSnapshot()] });
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
  });

  test('re-reads it with DescribeDBSnapshots as shared and starts its copy, named for the DB snapshot', async () => {
    await expect(handler(instanceEvent())).resolves.toEqual({ executionName: DB_COPY_ID, outcome: 'started' });
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand).map((c) => c.args[0].input)).toEqual([
      { DBSnapshotIdentifier: DB_SHARED_ARN, SnapshotType: 'shared', IncludeShared: true },
    ]);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(0);
    const [start] = sfnMock.commandCalls(StartExecutionCommand);
    expect(start.args[0].input.input).toBe(JSON.stringify({ sourceAccount: SOURCE, snapshotArn: DB_SHARED_ARN }));
  });

  test('the options an Oracle Timezone/OLS copy needs go into the execution input', async () => {
    await handler(instanceEvent({ optionGroupName: 'oracle-tz', requiredOptions: ['Timezone', 'OLS'] }));
    expect(JSON.parse(sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input.input!)).toEqual({
      sourceAccount: SOURCE, snapshotArn: DB_SHARED_ARN, requiredOptions: ['Timezone', 'OLS'],
    });
  });

  test('an event without databaseKind is as before DB instances: its ARN tells the kind', async () => {
    await expect(handler(event({}, { snapshotArn: DB_SHARED_ARN }))).resolves.toMatchObject({ executionName: DB_COPY_ID });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['an unknown kind', { databaseKind: 'multi-az-cluster' }, /databaseKind "multi-az-cluster" is not a kind this receiver copies \(cluster, instance\); nothing was copied/],
    ['a kind that is not a string', { databaseKind: 7 }, /databaseKind 7 is not a kind this receiver copies/],
    ['a kind its ARN contradicts', { databaseKind: 'cluster' }, /databaseKind 'cluster' does not match its snapshot ARN .* a DB snapshot/],
    ['odd requiredOptions', { requiredOptions: 'Timezone' }, /requiredOptions must be a list of at most 20 option names/],
  ])('refuses %s by name (InvalidInput) before any AWS call', async (_name, detail, message) => {
    await expect(handler(instanceEvent(detail))).rejects.toMatchObject({ name: 'InvalidInput', message: expect.stringMatching(message) });
    expect(rdsMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('databaseKind instance with a cluster snapshot ARN is refused too', async () => {
    await expect(handler(event({}, { databaseKind: 'instance' }))).rejects.toMatchObject({ name: 'InvalidInput', message: expect.stringContaining('a DB cluster snapshot') });
  });

  test('an unselected DB instance is skipped as notSelected, as for clusters: with instanceIdentifiers, or with clusterIdentifiers only', async () => {
    process.env.SOURCE_INSTANCE_IDENTIFIERS = 'payments-pg';
    await expect(handler(instanceEvent())).resolves.toEqual({
      outcome: 'notSelected', reason: expect.stringContaining("is of DB instance 'ledger-pg', which is not one of instanceIdentifiers (payments-pg)"),
    });
    process.env.SOURCE_INSTANCE_IDENTIFIERS = '';
    process.env.SOURCE_CLUSTER_IDENTIFIERS = 'orders-db';
    rdsMock.resetHistory();
    // A receiver of clusters only may not read DB snapshots: skipped before RDS is asked.
    await expect(handler(instanceEvent())).resolves.toEqual({
      outcome: 'notSelected', reason: expect.stringContaining("is a DB instance's, and instanceIdentifiers lists none"),
    });
    expect(rdsMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('a DB snapshot RDS does not show as shared: SharedSnapshotNotFound', async () => {
    rdsMock.on(DescribeDBSnapshotsCommand).rejects(awsError('DBSnapshotNotFoundFault'));
    await expect(handler(instanceEvent())).rejects.toMatchObject({ name: 'SharedSnapshotNotFound' });
  });
});
