import { DescribeAccountAttributesCommand, DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { ExecutionListItem, ExecutionStatus, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, CLUSTER, mockSnapshots, NOW, OTHER_KEY_ARN, ownedSnapshot, OWNER_ID, RUN_ID, STATE_MACHINE_ARN, useHandlerEnvironment, useMetricLineCapture } from './helpers';
import { ENV, SILENT_LOGS_VARIABLE } from '../../../src/shared/constants';
import { executionName } from '../../../src/shared/naming.lambda-shared';
import { handler as prepare } from '../../../src/sharing/handlers/prepare.lambda';
import { handler as startExecutions } from '../../../src/sharing/handlers/start-executions.lambda';

// An overlapping firing is skipped, not failed: the starter leaves out a cluster whose earlier run
// is still RUNNING (ListExecutions, once per invocation), and Prepare throws RunInProgress for what
// the starter could not see (the state machine ends that run as skipped). Both count it: one
// `RunSkipped` line in embedded metric format (CloudWatch User Guide, "Specification: Embedded
// metric format").

const rdsMock = mockClient(RDSClient);
const sfnMock = mockClient(SFNClient);
const EARLIER_RUN = '202611270200';
const EVENT = { scheduledTime: NOW.toISOString() };
useHandlerEnvironment(NOW, { [SILENT_LOGS_VARIABLE]: 'false', [ENV.CLUSTER_IDENTIFIERS]: `${CLUSTER},billing-db` });
const metricLines = useMetricLineCapture();

beforeEach(() => {
  rdsMock.reset();
  sfnMock.reset();
  rdsMock.on(DescribeAccountAttributesCommand).resolves({ AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: 0, Max: 100 }] });
  sfnMock.on(StartExecutionCommand).callsFake((input) => ({ executionArn: `${STATE_MACHINE_ARN}:${input.name}`, startDate: new Date() }));
});

/** A RUNNING execution as ListExecutions lists it (SDK model ExecutionListItem). */
function running(name: string): ExecutionListItem {
  return { executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`, stateMachineArn: STATE_MACHINE_ARN, name, status: 'RUNNING', startDate: new Date(NOW.getTime() - 3600_000) };
}

/** The RunSkipped lines written, parsed. */
function runSkippedLines(): Array<Record<string, any>> {
  return metricLines().filter((line) => 'RunSkipped' in line);
}

function runSkippedLine(fields: Record<string, string>) {
  return {
    _aws: {
      Timestamp: NOW.getTime(),
      CloudWatchMetrics: [{ Namespace: 'SharedClusterSnapshots', Dimensions: [['OwnerId']], Metrics: [{ Name: 'RunSkipped', Unit: 'Count' }] }],
    },
    OwnerId: OWNER_ID,
    RunSkipped: 1,
    ...fields,
  };
}

const startedNames = () => sfnMock.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name).sort();

describe('the starter', () => {
  test('lists the RUNNING executions once, with exactly this input, and skips a cluster whose earlier run is still running', async () => {
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [running(`${CLUSTER}-${EARLIER_RUN}`)] });
    const result = await startExecutions(EVENT);

    expect(sfnMock.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: STATE_MACHINE_ARN, statusFilter: ExecutionStatus.RUNNING, maxResults: 1000, nextToken: undefined },
    ]);
    expect(result).toMatchObject({ runId: RUN_ID, started: ['billing-db'], alreadyStarted: [], failed: [], skipped: [CLUSTER] });
    expect(startedNames()).toEqual([`billing-db-${RUN_ID}`]);
    expect(runSkippedLines()).toEqual([runSkippedLine({
      clusterIdentifier: CLUSTER, runId: RUN_ID, detectedBy: 'Starter', inProgress: `execution ${CLUSTER}-${EARLIER_RUN}`,
    })]);
  });

  test('reads every page of the listing', async () => {
    sfnMock.on(ListExecutionsCommand, { nextToken: undefined }).resolves({ executions: [running('other-db-202611270100')], nextToken: 'page-2' })
      .on(ListExecutionsCommand, { nextToken: 'page-2' }).resolves({ executions: [running(`billing-db-${EARLIER_RUN}`)] });
    await expect(startExecutions(EVENT)).resolves.toMatchObject({ started: [CLUSTER], skipped: ['billing-db'] });
    expect(sfnMock.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'page-2']);
  });

  test('an execution of this same run is not a reason to skip: StartExecution answers it (alreadyStarted)', async () => {
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [running(`${CLUSTER}-${RUN_ID}`)] });
    sfnMock.on(StartExecutionCommand, { name: `${CLUSTER}-${RUN_ID}` }).resolves({ executionArn: 'x', startDate: new Date(NOW.getTime() - 60_000) });
    const result = await startExecutions(EVENT);
    expect(result).toMatchObject({ started: ['billing-db'], alreadyStarted: [CLUSTER], failed: [] });
    expect(result.skipped).toBeUndefined();
    expect(runSkippedLines()).toEqual([]);
  });

  test('a manual execution under another name, or another cluster\'s, does not skip a cluster (Prepare still checks)', async () => {
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [running('manual-run'), running(`${CLUSTER}x-${EARLIER_RUN}`), running(`orders-${EARLIER_RUN}`)] });
    const result = await startExecutions(EVENT);
    expect(result.skipped).toBeUndefined();
    expect(startedNames()).toEqual([`billing-db-${RUN_ID}`, `${CLUSTER}-${RUN_ID}`]);
  });

  test('the longest cluster id (63 characters) is recognised by its execution name', async () => {
    const longest = `a${'b'.repeat(61)}c`;
    process.env[ENV.CLUSTER_IDENTIFIERS] = longest;
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [running(executionName(longest, EARLIER_RUN))] });
    await expect(startExecutions(EVENT)).resolves.toMatchObject({ started: [], skipped: [longest] });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('a listing that is throttled is retried; one that is denied lets the run start every cluster (logged), Prepare still guards', async () => {
    // The retry's backoff waits on a timer: real timers, with no jitter, so it waits 0 ms.
    jest.useRealTimers();
    jest.spyOn(Math, 'random').mockReturnValue(0);
    sfnMock.on(ListExecutionsCommand).rejectsOnce(awsError('ThrottlingException')).resolves({ executions: [running(`${CLUSTER}-${EARLIER_RUN}`)] });
    await expect(startExecutions(EVENT)).resolves.toMatchObject({ skipped: [CLUSTER] });
    expect(sfnMock.commandCalls(ListExecutionsCommand)).toHaveLength(2);

    sfnMock.reset();
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });
    sfnMock.on(ListExecutionsCommand).rejects(awsError('AccessDeniedException'));
    const result = await startExecutions(EVENT);
    expect(result).toMatchObject({ started: expect.arrayContaining([CLUSTER, 'billing-db']), failed: [] });
    expect(result.skipped).toBeUndefined();
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining('Could not list the running executions'));
  });

  test('with no cluster to start, nothing is listed', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = '';
    process.env[ENV.CLUSTER_TAG_KEY] = 'share-snapshots';
    process.env[ENV.CLUSTER_TAG_VALUE] = 'true';
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    await expect(startExecutions(EVENT)).resolves.toMatchObject({ started: [] });
    expect(sfnMock.calls()).toHaveLength(0);
  });
});

/** The cluster as DescribeDBClusters returns it: available, on another key than the sharing key. */
function givenAvailableCluster(): void {
  rdsMock.on(DescribeDBClustersCommand).resolves({
    DBClusters: [{ DBClusterIdentifier: CLUSTER, Status: 'available', StorageEncrypted: true, KmsKeyId: OTHER_KEY_ARN }],
  });
}

const PREPARE_EVENT = { input: { clusterIdentifier: CLUSTER, runId: RUN_ID }, executionStartTime: NOW.toISOString() };

describe('Prepare', () => {
  test('counts the skip once, then throws RunInProgress (which the state machine ends as skipped)', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = CLUSTER;
    givenAvailableCluster();
    mockSnapshots(rdsMock, [ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'creating', created: new Date(NOW.getTime() - 3600_000) })]);

    await expect(prepare(PREPARE_EVENT)).rejects.toMatchObject({ name: 'RunInProgress' });
    expect(runSkippedLines()).toEqual([runSkippedLine({
      clusterIdentifier: CLUSTER,
      runId: RUN_ID,
      detectedBy: 'Prepare',
      inProgress: `snapshot ${ownedSnapshot(EARLIER_RUN, 'temporary').DBClusterSnapshotIdentifier} of run ${EARLIER_RUN} is 'creating'`,
    })]);
  });

  test('a run without an earlier one in progress counts no skip', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = CLUSTER;
    givenAvailableCluster();
    mockSnapshots(rdsMock, [ownedSnapshot(EARLIER_RUN, 'shared')]);
    await expect(prepare(PREPARE_EVENT)).resolves.toMatchObject({ runId: RUN_ID });
    expect(runSkippedLines()).toEqual([]);
  });
});

test('silenced logs write no metric line', async () => {
  process.env[SILENT_LOGS_VARIABLE] = 'true';
  sfnMock.on(ListExecutionsCommand).resolves({ executions: [running(`${CLUSTER}-${EARLIER_RUN}`)] });
  await expect(startExecutions(EVENT)).resolves.toMatchObject({ skipped: [CLUSTER] });
  expect(runSkippedLines()).toEqual([]);
});
