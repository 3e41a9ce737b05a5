import { DeleteDBClusterSnapshotCommand, DescribeDBClusterSnapshotAttributesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { mockSnapshots, NOW, preparedPlan, RUN_ID, SHARED_ID, snapshotArn, TARGET_ACCOUNT_IDS, useHandlerEnvironment } from './helpers';
import { FailedRunEvent, handler } from '../../../src/sharing/handlers/clean-up-failed-run.lambda';

const rdsMock = mockClient(RDSClient);
const ERROR = { Error: 'SnapshotTimeout', Cause: '{"errorType":"SnapshotTimeout","errorMessage":"still copying"}' };

useHandlerEnvironment(NOW);

beforeEach(() => {
  rdsMock.reset();
  mockSnapshots(rdsMock, []);
  rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).resolves({ DBClusterSnapshotAttributesResult: { DBClusterSnapshotAttributes: [] } });
  rdsMock.on(DeleteDBClusterSnapshotCommand).resolves({});
});

describe('the Cluster Snapshot Failed detail (SnapshotFailedDetail)', () => {
  test('a run with a plan: its cluster, run, error and cause', async () => {
    const event: FailedRunEvent = { ...preparedPlan(true), error: ERROR };
    const result = await handler(event);
    expect(result.failedEvent).toStrictEqual({
      clusterIdentifier: 'orders-db', databaseKind: 'cluster', databaseIdentifier: 'orders-db', runId: RUN_ID, error: 'SnapshotTimeout', cause: ERROR.Cause,
    });
  });

  test('a run of a DB instance: its kind and identifier, from the plan or (a failed Prepare) the input', async () => {
    const plan = await handler({ ...preparedPlan(true), databaseKind: 'instance', clusterIdentifier: 'orders-pg', error: ERROR } as FailedRunEvent)
      .catch((e: Error) => e);
    // The plan names the cluster's snapshots, so it is refused as a plan for the instance: named, not silently cleaned.
    expect(plan).toMatchObject({ name: 'InvalidInput' });
    const executionInput = { instanceIdentifier: 'orders-pg', runId: RUN_ID };
    const result = await handler({ error: ERROR, executionInput } as unknown as FailedRunEvent);
    expect(result.failedEvent).toStrictEqual({
      clusterIdentifier: 'orders-pg', databaseKind: 'instance', databaseIdentifier: 'orders-pg', runId: RUN_ID, error: 'SnapshotTimeout', cause: ERROR.Cause,
    });
  });

  test('a failed Prepare (PrepareFailed nests the input): names from the input, which is never read as a plan', async () => {
    const executionInput = { clusterIdentifier: 'orders-db', runId: RUN_ID, sharedSnapshotIdentifier: SHARED_ID, error: ERROR };
    const result = await handler({ error: ERROR, executionInput } as unknown as FailedRunEvent);
    expect(result).toStrictEqual({
      error: ERROR,
      cleanedUp: {},
      failedEvent: {
        clusterIdentifier: 'orders-db', databaseKind: 'cluster', databaseIdentifier: 'orders-db', runId: RUN_ID, error: 'SnapshotTimeout', cause: ERROR.Cause,
      },
    });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('a failure after CleanUp (an event not delivered): the run result names no plan, so nothing is deleted', async () => {
    const runResult = {
      clusterIdentifier: 'orders-db',
      snapshotIdentifier: SHARED_ID,
      snapshotArn: snapshotArn(SHARED_ID),
      sharedWith: TARGET_ACCOUNT_IDS,
      runId: RUN_ID,
      snapshotCreateTime: NOW.toISOString(),
    };
    const error = { Error: 'EventBridge.FailedEntry', Cause: 'AccessDeniedException' };
    const result = await handler({ ...runResult, error } as unknown as FailedRunEvent);
    expect(result).toStrictEqual({
      error,
      cleanedUp: {},
      failedEvent: { clusterIdentifier: 'orders-db', runId: RUN_ID, error: 'EventBridge.FailedEntry', cause: 'AccessDeniedException' },
    });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test.each<[string, unknown]>([
    ['no input at all', { error: ERROR }],
    ['a non-object input', { error: ERROR, executionInput: 'orders-db' }],
    ['a null input', { error: ERROR, executionInput: null }],
    ['names that are not strings', { error: ERROR, executionInput: { clusterIdentifier: 42, runId: { x: 1 } } }],
    ['empty names', { error: ERROR, executionInput: { clusterIdentifier: '', runId: '' } }],
  ])('a hostile or empty input (%s): cluster "unknown", no run', async (_, event) => {
    const result = await handler(event as FailedRunEvent);
    expect(result.failedEvent).toStrictEqual({ clusterIdentifier: 'unknown', error: 'SnapshotTimeout', cause: ERROR.Cause });
  });

  test('long names and causes are cut short', async () => {
    const result = await handler({ error: { Error: 'X', Cause: 'c'.repeat(10_000) }, executionInput: { clusterIdentifier: 'a'.repeat(500) } } as FailedRunEvent);
    expect(result.failedEvent.clusterIdentifier).toHaveLength(100);
    expect(result.failedEvent.cause).toHaveLength(4000);
  });

  test('an error without a cause has none in the detail; no error at all is UnknownError', async () => {
    await expect(handler({ error: { Error: 'InvalidInput' } } as FailedRunEvent)).resolves.toMatchObject({
      failedEvent: { clusterIdentifier: 'unknown', error: 'InvalidInput' },
    });
    const result = await handler({} as FailedRunEvent);
    expect(result.failedEvent).toStrictEqual({ clusterIdentifier: 'unknown', error: 'UnknownError' });
  });
});
