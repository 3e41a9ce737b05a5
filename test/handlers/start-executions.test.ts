import { DBCluster, DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, freezeTime, handlerEnv, STATE_MACHINE_ARN } from './helpers';
import { ENV } from '../../src/handlers/config.lambda-shared';
import { handler, resolveClusters, StartEvent } from '../../src/handlers/start-executions.lambda';

const rdsMock = mockClient(RDSClient);
const sfnMock = mockClient(SFNClient);
const ORIGINAL_ENV = process.env;

const EVENT: StartEvent = { scheduledTime: '2026-11-27T03:00:00Z' };
const TAG = { Key: 'share-snapshots', Value: 'true' };

function tagged(id: string, tags = [TAG]): DBCluster {
  return { DBClusterIdentifier: id, TagList: tags };
}

/** StartExecution inputs, sorted by execution name (calls run concurrently). */
function startInputs() {
  return sfnMock.commandCalls(StartExecutionCommand)
    .map((c) => c.args[0].input)
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

beforeEach(() => {
  rdsMock.reset();
  sfnMock.reset();
  process.env = { ...ORIGINAL_ENV, ...handlerEnv({ [ENV.CLUSTER_IDENTIFIERS]: 'orders-db,billing-db' }) };
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:eu-west-1:111111111111:execution:x:y', startDate: new Date() });
});

afterEach(() => {
  jest.useRealTimers();
  process.env = ORIGINAL_ENV;
});

describe('starting executions', () => {
  test('one per configured cluster, named <cluster>-<runId>, with the scheduled minute as runId', async () => {
    await expect(handler(EVENT)).resolves.toEqual({
      runId: '202611270300',
      started: expect.arrayContaining(['billing-db', 'orders-db']),
      alreadyStarted: [],
      failed: [],
    });
    expect(startInputs()).toEqual([
      {
        stateMachineArn: STATE_MACHINE_ARN,
        name: 'billing-db-202611270300',
        input: '{"clusterIdentifier":"billing-db","runId":"202611270300"}',
      },
      {
        stateMachineArn: STATE_MACHINE_ARN,
        name: 'orders-db-202611270300',
        input: '{"clusterIdentifier":"orders-db","runId":"202611270300"}',
      },
    ]);
    // No tag selection: the clusters are not listed.
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('seconds in the scheduled time are dropped', async () => {
    const result = await handler({ scheduledTime: '2026-11-27T03:00:59.999Z' });
    expect(result.runId).toBe('202611270300');
  });

  test('a manual run without scheduledTime uses the current minute', async () => {
    freezeTime(new Date('2026-11-27T14:07:33Z'));
    await expect(handler({})).resolves.toMatchObject({ runId: '202611271407' });
    expect(startInputs()[0].name).toBe('billing-db-202611271407');
  });

  test('an invocation without any event uses the current minute', async () => {
    freezeTime(new Date('2026-11-27T14:07:33Z'));
    await expect(handler()).resolves.toMatchObject({ runId: '202611271407' });
  });

  test('a null event is treated as empty', async () => {
    freezeTime(new Date('2026-11-27T14:07:33Z'));
    await expect(handler(null as unknown as StartEvent)).resolves.toMatchObject({ runId: '202611271407' });
  });

  test('no clusters: nothing started, no error', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = '';
    await expect(handler(EVENT)).resolves.toEqual({ runId: '202611270300', started: [], alreadyStarted: [], failed: [] });
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('an execution that already exists (a repeated firing) is counted, not an error', async () => {
    sfnMock
      .on(StartExecutionCommand, { name: 'orders-db-202611270300' })
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(handler(EVENT)).resolves.toEqual({
      runId: '202611270300',
      started: ['billing-db'],
      alreadyStarted: ['orders-db'],
      failed: [],
    });
  });

  test('a failure for one cluster still starts the others, then throws StartExecutionsFailed', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'a-db,b-db,c-db';
    sfnMock.on(StartExecutionCommand, { name: 'b-db-202611270300' }).rejects(awsError('StateMachineDoesNotExist'));
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'StartExecutionsFailed', message: expect.stringContaining('b-db') });
    expect(startInputs().map((i) => i.name)).toEqual(['a-db-202611270300', 'b-db-202611270300', 'c-db-202611270300']);
  });

  test('throttling that outlasts the SDK retries counts as a failure too', async () => {
    sfnMock.on(StartExecutionCommand).rejects(awsError('ThrottlingException'));
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'StartExecutionsFailed' });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(2);
  });
});

describe('bounded concurrency', () => {
  /** Makes StartExecution take a while and records the most calls in flight at once. */
  function measureInFlight(): { max: () => number } {
    let inFlight = 0;
    let max = 0;
    sfnMock.on(StartExecutionCommand).callsFake(async () => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return { executionArn: 'arn', startDate: new Date() };
    });
    return { max: () => max };
  }

  test('START_CONCURRENCY=2: at most 2 StartExecution calls in flight, and all clusters started', async () => {
    process.env[ENV.START_CONCURRENCY] = '2';
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'a-db,b-db,c-db,d-db,e-db';
    const measured = measureInFlight();
    const result = await handler(EVENT);
    expect(measured.max()).toBe(2);
    expect([...result.started].sort()).toEqual(['a-db', 'b-db', 'c-db', 'd-db', 'e-db']);
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(5);
  });

  test('defaults to 10 in flight', async () => {
    delete process.env[ENV.START_CONCURRENCY];
    process.env[ENV.CLUSTER_IDENTIFIERS] = Array.from({ length: 15 }, (_, i) => `db-${i}`).join(',');
    const measured = measureInFlight();
    const result = await handler(EVENT);
    expect(measured.max()).toBe(10);
    expect(result.started).toHaveLength(15);
  });

  test('START_CONCURRENCY=0 is raised to 1', async () => {
    process.env[ENV.START_CONCURRENCY] = '0';
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'a-db,b-db,c-db';
    const measured = measureInFlight();
    await handler(EVENT);
    expect(measured.max()).toBe(1);
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(3);
  });

  test('a non-integer START_CONCURRENCY is a configuration error', async () => {
    process.env[ENV.START_CONCURRENCY] = 'many';
    await expect(handler(EVENT)).rejects.toThrow(/START_CONCURRENCY/);
    expect(sfnMock.calls()).toHaveLength(0);
  });
});

describe('cluster discovery', () => {
  beforeEach(() => {
    process.env[ENV.CLUSTER_TAG_KEY] = TAG.Key;
    process.env[ENV.CLUSTER_TAG_VALUE] = TAG.Value;
  });

  test('adds tagged clusters from every page, deduplicated, lowercased and sorted', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'orders-db,Zeta-DB';
    rdsMock
      .on(DescribeDBClustersCommand, { Marker: undefined })
      .resolves({
        DBClusters: [tagged('orders-db'), tagged('untagged-db', []), tagged('Analytics-DB'), tagged('wrong-value-db', [{ Key: TAG.Key, Value: 'false' }])],
        Marker: 'page-2',
      })
      .on(DescribeDBClustersCommand, { Marker: 'page-2' })
      .resolves({ DBClusters: [tagged('billing-db'), tagged('analytics-db'), { TagList: [TAG] }, tagged('bad_name', [TAG])] });

    const result = await handler(EVENT);
    expect([...result.started].sort()).toEqual(['analytics-db', 'billing-db', 'orders-db', 'zeta-db']);
    expect(rdsMock.commandCalls(DescribeDBClustersCommand).map((c) => c.args[0].input)).toEqual([
      { MaxRecords: 100, Marker: undefined },
      { MaxRecords: 100, Marker: 'page-2' },
    ]);
    expect(startInputs()).toEqual(['analytics-db', 'billing-db', 'orders-db', 'zeta-db'].map((id) => ({
      stateMachineArn: STATE_MACHINE_ARN,
      name: `${id}-202611270300`,
      input: JSON.stringify({ clusterIdentifier: id, runId: '202611270300' }),
    })));
  });

  test('resolveClusters returns the sorted, deduplicated set', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'orders-db, billing-db ,orders-db';
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [tagged('billing-db'), tagged('analytics-db')] });
    await expect(resolveClusters()).resolves.toEqual(['analytics-db', 'billing-db', 'orders-db']);
  });

  test('tag discovery alone, without CLUSTER_IDENTIFIERS', async () => {
    delete process.env[ENV.CLUSTER_IDENTIFIERS];
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [tagged('orders-db'), tagged('billing-db', [])] });
    await expect(resolveClusters()).resolves.toEqual(['orders-db']);
  });

  test('a tag key with no value matches an empty tag value', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = '';
    delete process.env[ENV.CLUSTER_TAG_VALUE];
    rdsMock.on(DescribeDBClustersCommand).resolves({
      DBClusters: [tagged('empty-db', [{ Key: TAG.Key, Value: '' }]), tagged('true-db', [TAG])],
    });
    await expect(resolveClusters()).resolves.toEqual(['empty-db']);
  });

  test('a page without clusters ends the listing', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = '';
    rdsMock.on(DescribeDBClustersCommand).resolves({});
    await expect(handler(EVENT)).resolves.toEqual({ runId: '202611270300', started: [], alreadyStarted: [], failed: [] });
  });

  test('a listing error fails the invocation before anything starts', async () => {
    rdsMock.on(DescribeDBClustersCommand).rejects(awsError('Throttling'));
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'Throttling' });
    expect(sfnMock.calls()).toHaveLength(0);
  });
});

describe('logging', () => {
  test('one JSON line per event on stdout/stderr when not silenced', async () => {
    delete process.env.SHARED_CLUSTER_SNAPSHOTS_SILENT;
    const info = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      sfnMock.on(StartExecutionCommand, { name: 'orders-db-202611270300' }).rejects(awsError('AccessDeniedException'));
      await expect(handler(EVENT)).rejects.toMatchObject({ name: 'StartExecutionsFailed' });
      expect(JSON.parse(error.mock.calls[0][0])).toMatchObject({ level: 'error', message: 'Could not start execution', clusterIdentifier: 'orders-db' });
      expect(JSON.parse(info.mock.calls[0][0])).toMatchObject({ level: 'info', message: 'Started executions', runId: '202611270300', failed: ['orders-db'] });
    } finally {
      info.mockRestore();
      error.mockRestore();
    }
  });

  test('nothing is logged when SHARED_CLUSTER_SNAPSHOTS_SILENT=true', async () => {
    const info = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await handler(EVENT);
      expect(info).not.toHaveBeenCalled();
    } finally {
      info.mockRestore();
    }
  });
});

describe('invalid events are refused before any AWS call', () => {
  test.each<[string, unknown]>([
    ['an unknown key', { scheduledTime: '2026-11-27T03:00:00Z', clusterIdentifier: 'orders-db' }],
    ['only an unknown key', { detail: {} }],
    ['a malformed scheduledTime', { scheduledTime: 'tomorrow' }],
    ['a numeric scheduledTime', { scheduledTime: 1795748400000 }],
    ['a null scheduledTime', { scheduledTime: null }],
    ['a string event', '2026-11-27T03:00:00Z'],
    ['an array event', [EVENT]],
    ['a huge event', { scheduledTime: 'x'.repeat(17_000) }],
  ])('%s: InvalidInput', async (_, event) => {
    await expect(handler(event as StartEvent)).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('STATE_MACHINE_ARN is required', async () => {
    delete process.env[ENV.STATE_MACHINE_ARN];
    await expect(handler(EVENT)).rejects.toThrow(/STATE_MACHINE_ARN/);
    expect(sfnMock.calls()).toHaveLength(0);
  });
});
