import {
  CreateDBClusterSnapshotCommand,
  DBClusterNotFoundFault,
  DBClusterSnapshotAlreadyExistsFault,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { mockSnapshots, NOW, ownedSnapshot, OWNER_ID, preparedPlan, RUN_ID, useHandlerEnvironment, useMetricLineCapture } from './helpers';
import { rds } from '../../../src/shared/clients.lambda-shared';
import { ENV, SILENT_LOGS_VARIABLE } from '../../../src/shared/constants';
import { withRdsCallMetrics } from '../../../src/shared/metrics.lambda-shared';
import { handler as createSnapshot } from '../../../src/sharing/handlers/create-snapshot.lambda';

// The handlers' metric lines, in CloudWatch's embedded metric format (User Guide, "Specification:
// Embedded metric format"): one line per invocation on stdout, its RdsCalls the calls it sent.

const rdsMock = mockClient(RDSClient);
useHandlerEnvironment(NOW, { [SILENT_LOGS_VARIABLE]: 'false' });
/** The metric lines written; the handlers' own log lines go through console, which is silenced. */
const metricLines = useMetricLineCapture();

beforeEach(() => {
  rdsMock.reset();
  rdsMock.on(CreateDBClusterSnapshotCommand).resolves({});
});

/** The exact line for `handler` with `rdsCalls` calls in the run and cluster of `preparedPlan`. */
function expectedLine(handler: string, rdsCalls: number, context: Record<string, string> = { runId: RUN_ID, clusterIdentifier: 'orders-db' }) {
  return {
    _aws: {
      Timestamp: NOW.getTime(),
      CloudWatchMetrics: [{
        Namespace: 'SharedClusterSnapshots',
        Dimensions: [['OwnerId'], ['OwnerId', 'Handler']],
        Metrics: [{ Name: 'RdsCalls', Unit: 'Count' }],
      }],
    },
    OwnerId: OWNER_ID,
    Handler: handler,
    RdsCalls: rdsCalls,
    ...context,
  };
}

describe('a handler writes one metric line per invocation', () => {
  test('one RDS call: RdsCalls 1, with the run and cluster as properties', async () => {
    await createSnapshot(preparedPlan(true));
    expect(rdsMock.calls()).toHaveLength(1);
    expect(metricLines()).toEqual([expectedLine('CreateSnapshot', 1)]);
  });

  test('every call is counted: a retried create reads the existing snapshot (2 calls)', async () => {
    rdsMock.on(CreateDBClusterSnapshotCommand).rejects(new DBClusterSnapshotAlreadyExistsFault({ message: 'exists', $metadata: {} }));
    mockSnapshots(rdsMock, [ownedSnapshot(RUN_ID, 'temporary', { status: 'creating' })]);
    await createSnapshot(preparedPlan(true));
    expect(rdsMock.calls()).toHaveLength(2);
    expect(metricLines()).toEqual([expectedLine('CreateSnapshot', 2)]);
  });

  test('a failed invocation still writes its line, and the error passes unchanged', async () => {
    rdsMock.on(CreateDBClusterSnapshotCommand).rejects(new DBClusterNotFoundFault({ message: 'gone', $metadata: {} }));
    await expect(createSnapshot(preparedPlan(true))).rejects.toMatchObject({ name: 'ClusterNotFound' });
    expect(metricLines()).toEqual([expectedLine('CreateSnapshot', 1)]);
  });

  test('a refused plan, before any call: RdsCalls 0', async () => {
    await expect(createSnapshot({ ...preparedPlan(true), temporarySnapshotIdentifier: 'someone-elses' })).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
    expect(metricLines()).toEqual([expectedLine('CreateSnapshot', 0)]);
  });

  test('two invocations: one line each, counted separately', async () => {
    await createSnapshot(preparedPlan(true));
    await createSnapshot(preparedPlan(false));
    expect(metricLines()).toEqual([expectedLine('CreateSnapshot', 1), expectedLine('CreateSnapshot', 1)]);
  });

  test('with silent logs (tests, simulator): no line', async () => {
    process.env[SILENT_LOGS_VARIABLE] = 'true';
    await createSnapshot(preparedPlan(true));
    expect(metricLines()).toEqual([]);
  });
});

describe('withRdsCallMetrics', () => {
  const calls = (n: number) => Promise.all(Array.from({ length: n }, () => rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'x', DBClusterSnapshotIdentifier: 'y' }))));

  test('concurrent invocations in one process count only their own calls', async () => {
    const run = withRdsCallMetrics('prepare', async (n: number) => {
      await calls(n);
      await new Promise((resolve) => setImmediate(resolve));
      await calls(n);
    });
    await Promise.all([run(1), run(3)]);
    expect(metricLines().map((line) => (line as { RdsCalls: number }).RdsCalls).sort()).toEqual([2, 6]);
  });

  test('the run id comes from the result when the event has none (the starter, a manual Prepare)', async () => {
    const run = withRdsCallMetrics('starter', async () => ({ runId: RUN_ID, started: [] }));
    await run();
    expect(metricLines()).toEqual([expectedLine('Starter', 0, { runId: RUN_ID })]);
  });

  test('calls outside an invocation are not counted anywhere', async () => {
    await calls(2);
    const run = withRdsCallMetrics('cleanUp', async () => calls(1));
    await run();
    expect(metricLines()).toEqual([expectedLine('CleanUp', 1, {})]);
  });

  test('without an owner id (not a handler environment): no line', async () => {
    delete process.env[ENV.OWNER_ID];
    const run = withRdsCallMetrics('cleanUp', async () => undefined);
    await run();
    expect(metricLines()).toEqual([]);
  });
});
