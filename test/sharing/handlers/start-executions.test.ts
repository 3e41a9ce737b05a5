import { gzipSync } from 'zlib';
import { AccountQuota, DBCluster, DescribeAccountAttributesCommand, DescribeDBClustersCommand, DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand, StartExecutionCommandInput, StartExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, freezeTime, handlerEnv, OWNER_ID, snapshot, STATE_MACHINE_ARN } from './helpers';
import { DEFAULTS, ENV } from '../../../src/shared/constants';
import { handler, resolveClusters, StartEvent } from '../../../src/sharing/handlers/start-executions.lambda';

const rdsMock = mockClient(RDSClient);
const sfnMock = mockClient(SFNClient);
const ORIGINAL_ENV = process.env;

const EVENT: StartEvent = { scheduledTime: '2026-11-27T03:00:00Z' };
const TAG = { Key: 'share-snapshots', Value: 'true' };
/** The pacing of a small fleet at the default budget (8 requests per second) and interval (60 s). */
const SMALL_FLEET = { clustersPerMinute: 24, pollStride: 1 };

/** The account's manual cluster snapshot quota as DescribeAccountAttributes reports it. */
function givenQuota(used: number | undefined, max: number | undefined, others: AccountQuota[] = []): void {
  rdsMock.on(DescribeAccountAttributesCommand).resolves({
    AccountQuotas: [...others, { AccountQuotaName: 'ManualClusterSnapshots', Used: used, Max: max }],
  });
}

function tagged(id: string, tags = [TAG]): DBCluster {
  return { DBClusterIdentifier: id, TagList: tags };
}

/** StartExecution inputs, sorted by execution name (calls run concurrently). */
function startInputs() {
  return sfnMock.commandCalls(StartExecutionCommand)
    .map((c) => c.args[0].input)
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

/** Records the delay of every setTimeout, running each callback at once. */
function recordDelays(): number[] {
  const delays: number[] = [];
  const realSetTimeout = global.setTimeout;
  jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
    delays.push(ms ?? 0);
    return realSetTimeout(fn, 0);
  }) as typeof setTimeout);
  return delays;
}

/** `command` refused with Throttling every time: the invocation fails with it after 6 attempts, before anything starts. */
async function expectThrottledOut(command: typeof DescribeDBClustersCommand | typeof DescribeAccountAttributesCommand): Promise<void> {
  jest.spyOn(Math, 'random').mockReturnValue(0);
  rdsMock.on(command).rejects(awsError('Throttling'));
  await expect(handler(EVENT)).rejects.toMatchObject({ name: 'Throttling' });
  expect(rdsMock.commandCalls(command)).toHaveLength(6);
  expect(sfnMock.calls()).toHaveLength(0);
}

beforeEach(() => {
  rdsMock.reset();
  sfnMock.reset();
  process.env = { ...ORIGINAL_ENV, ...handlerEnv({ [ENV.CLUSTER_IDENTIFIERS]: 'orders-db,billing-db' }) };
  // A new execution starts when it is asked for.
  sfnMock.on(StartExecutionCommand).callsFake(() => ({ executionArn: 'arn:aws:states:eu-west-1:111111111111:execution:x:y', startDate: new Date() }));
  // Ample headroom: 10 of 10,000 manual cluster snapshots used.
  givenQuota(10, 10_000, [{ AccountQuotaName: 'DBClusters', Used: 2, Max: 40 }]);
});

afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
  process.env = ORIGINAL_ENV;
});

describe('starting executions', () => {
  test('one per configured cluster, named <cluster>-<runId>, with the scheduled minute as runId', async () => {
    await expect(handler(EVENT)).resolves.toEqual({
      runId: '202611270300',
      pacing: SMALL_FLEET,
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
    // No tag selection: the clusters are not listed; the only RDS call is the quota pre-check.
    expect(rdsMock.commandCalls(DescribeDBClustersCommand)).toHaveLength(0);
    expect(rdsMock.calls()).toHaveLength(1);
    expect(rdsMock.commandCalls(DescribeAccountAttributesCommand)[0].args[0].input).toEqual({});
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
    await expect(handler(EVENT)).resolves.toEqual({ runId: '202611270300', pacing: SMALL_FLEET, started: [], alreadyStarted: [], failed: [] });
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('an execution that already exists (a repeated firing) is counted, not an error', async () => {
    sfnMock
      .on(StartExecutionCommand, { name: 'orders-db-202611270300' })
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(handler(EVENT)).resolves.toEqual({
      runId: '202611270300',
      pacing: SMALL_FLEET,
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

  test('throttling that outlasts the SDK retries and 5 attempts of its own counts as a failure', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    sfnMock.on(StartExecutionCommand).rejects(awsError('ThrottlingException'));
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'StartExecutionsFailed' });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(2 * 5);
  });

  test.each(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'ServiceUnavailable'])(
    'a StartExecution refused with %s is retried with backoff, and the cluster then starts', async (name) => {
      jest.spyOn(Math, 'random').mockReturnValue(0);
      sfnMock.on(StartExecutionCommand, { name: 'orders-db-202611270300' })
        .rejectsOnce(awsError(name))
        .rejectsOnce(awsError(name))
        .callsFake(() => ({ executionArn: 'arn', startDate: new Date() }));
      await expect(handler(EVENT)).resolves.toMatchObject({ started: expect.arrayContaining(['billing-db', 'orders-db']), failed: [] });
      expect(startInputs().filter((i) => i.name === 'orders-db-202611270300')).toHaveLength(3);
    });

  test('StartExecution backoff is bounded: full jitter under ceilings of 1, 2, 4 and 8 s', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'orders-db';
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const delays = recordDelays();
    sfnMock.on(StartExecutionCommand).rejects(awsError('ThrottlingException'));
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'StartExecutionsFailed' });
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
  });

  test('an error that is not transient is not retried', async () => {
    sfnMock.on(StartExecutionCommand, { name: 'orders-db-202611270300' }).rejects(awsError('StateMachineDoesNotExist'));
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'StartExecutionsFailed' });
    expect(startInputs().filter((i) => i.name === 'orders-db-202611270300')).toHaveLength(1);
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

  test('at most 10 StartExecution calls in flight', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = Array.from({ length: 15 }, (_, i) => `db-${i}`).join(',');
    const measured = measureInFlight();
    const result = await handler(EVENT);
    expect(measured.max()).toBe(10);
    expect(result.started).toHaveLength(15);
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

  test('only Aurora and RDS clusters are discovered: tagged Neptune and DocumentDB clusters are skipped', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = '';
    const withEngine = (id: string, engine?: string): DBCluster => ({ ...tagged(id), Engine: engine });
    rdsMock.on(DescribeDBClustersCommand).resolves({
      DBClusters: [
        withEngine('aurora-legacy-db', 'aurora'),
        withEngine('aurora-mysql-db', 'aurora-mysql'),
        withEngine('aurora-postgres-db', 'aurora-postgresql'),
        withEngine('multi-az-mysql-db', 'mysql'),
        withEngine('multi-az-postgres-db', 'postgres'),
        withEngine('graph-db', 'neptune'),
        withEngine('documents-db', 'docdb'),
        withEngine('unknown-engine-db'),
      ],
    });
    await expect(resolveClusters()).resolves.toEqual([
      'aurora-legacy-db',
      'aurora-mysql-db',
      'aurora-postgres-db',
      'multi-az-mysql-db',
      'multi-az-postgres-db',
      'unknown-engine-db',
    ]);
  });

  test('a page without clusters ends the listing', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = '';
    rdsMock.on(DescribeDBClustersCommand).resolves({});
    await expect(handler(EVENT)).resolves.toEqual({ runId: '202611270300', pacing: SMALL_FLEET, started: [], alreadyStarted: [], failed: [] });
  });

  test('a listing error fails the invocation before anything starts', async () => {
    rdsMock.on(DescribeDBClustersCommand).rejects(awsError('AccessDenied'));
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(rdsMock.commandCalls(DescribeDBClustersCommand)).toHaveLength(1);
    expect(rdsMock.commandCalls(DescribeAccountAttributesCommand)).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('a throttled listing page is retried, and the listing resumes from that page', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    process.env[ENV.CLUSTER_IDENTIFIERS] = '';
    rdsMock
      .on(DescribeDBClustersCommand, { Marker: undefined })
      .resolves({ DBClusters: [tagged('orders-db')], Marker: 'page-2' })
      .on(DescribeDBClustersCommand, { Marker: 'page-2' })
      .rejectsOnce(awsError('ThrottlingException'))
      .rejectsOnce(awsError('InternalFailure'))
      .resolves({ DBClusters: [tagged('billing-db')] });
    await expect(resolveClusters()).resolves.toEqual(['billing-db', 'orders-db']);
    expect(rdsMock.commandCalls(DescribeDBClustersCommand).map((c) => c.args[0].input.Marker)).toEqual([undefined, 'page-2', 'page-2', 'page-2']);
  });

  test('a listing throttled 6 times fails the invocation with the throttling error, before anything starts', async () => {
    await expectThrottledOut(DescribeDBClustersCommand);
  });
});

describe('the manual cluster snapshot quota is checked before anything starts', () => {
  test('too little headroom: SnapshotQuotaExceeded naming used, max and needed; nothing started', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'a-db,b-db,c-db';
    givenQuota(95, 100);
    const error = await handler(EVENT).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'SnapshotQuotaExceeded' });
    // 3 clusters need up to 6 snapshots (a temporary one and its copy each); 5 are left.
    expect((error as Error).message).toMatch(/room for 5 more \(95 of 100 used\); this run of 3 clusters needs up to 6/);
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('headroom of exactly two snapshots per cluster is enough', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'a-db,b-db,c-db';
    givenQuota(94, 100);
    await expect(handler(EVENT)).resolves.toMatchObject({ started: expect.arrayContaining(['a-db', 'b-db', 'c-db']) });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(3);
  });

  test('one snapshot short is refused', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'a-db,b-db,c-db';
    givenQuota(95, 100);
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'SnapshotQuotaExceeded' });
  });

  test('a quota already over its maximum is refused with a negative headroom', async () => {
    givenQuota(120, 100);
    await expect(handler(EVENT)).rejects.toThrow(/room for -20 more \(120 of 100 used\); this run of 2 clusters needs up to 4/);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('the quota of tag-discovered clusters counts them all', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = '';
    process.env[ENV.CLUSTER_TAG_KEY] = TAG.Key;
    process.env[ENV.CLUSTER_TAG_VALUE] = TAG.Value;
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: ['a-db', 'b-db', 'c-db', 'd-db'].map((id) => tagged(id)) });
    givenQuota(0, 7);
    await expect(handler(EVENT)).rejects.toThrow(/this run of 4 clusters needs up to 8/);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test.each<[string, unknown]>([
    ['no answer at all', undefined],
    ['no quota list', {}],
    ['an empty quota list', { AccountQuotas: [] }],
    ['only other quotas', { AccountQuotas: [{ AccountQuotaName: 'DBClusters', Used: 40, Max: 40 }] }],
    ['the quota without Max', { AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: 100 }] }],
    ['the quota without Used', { AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Max: 0 }] }],
  ])('a quota that is not reported (%s): the check is skipped and the run proceeds', async (_, answer) => {
    rdsMock.on(DescribeAccountAttributesCommand).resolves(answer as never);
    await expect(handler(EVENT)).resolves.toMatchObject({ started: expect.arrayContaining(['billing-db', 'orders-db']) });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(2);
  });

  test('a quota look-up that is denied fails the invocation at once, before anything starts', async () => {
    rdsMock.on(DescribeAccountAttributesCommand).rejects(awsError('AccessDenied'));
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(rdsMock.commandCalls(DescribeAccountAttributesCommand)).toHaveLength(1);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('a throttled quota look-up is retried, then the run proceeds', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    rdsMock
      .on(DescribeAccountAttributesCommand)
      .rejectsOnce(awsError('Throttling'))
      .resolves({ AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: 0, Max: 100 }] });
    await expect(handler(EVENT)).resolves.toMatchObject({ started: expect.arrayContaining(['billing-db', 'orders-db']) });
    expect(rdsMock.commandCalls(DescribeAccountAttributesCommand)).toHaveLength(2);
  });

  test('a quota look-up throttled 6 times fails with the throttling error, before anything starts', async () => {
    await expectThrottledOut(DescribeAccountAttributesCommand);
  });

  test.each(['ThrottlingException', 'RequestLimitExceeded', 'InternalFailure', 'ServiceUnavailable'])('%s is retried too', async (name) => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    rdsMock.on(DescribeAccountAttributesCommand).rejectsOnce(awsError(name)).resolves({});
    await expect(handler(EVENT)).resolves.toMatchObject({ failed: [] });
    expect(rdsMock.commandCalls(DescribeAccountAttributesCommand)).toHaveLength(2);
  });

  test('retries back off with full jitter: a random share (here half) of each ceiling, timed by setTimeout', async () => {
    freezeTime();
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
    rdsMock.on(DescribeAccountAttributesCommand).rejects(awsError('Throttling'));
    const outcome = handler(EVENT).catch((e: Error) => e);
    const calls = () => rdsMock.commandCalls(DescribeAccountAttributesCommand).length;
    // Half of each ceiling with Math.random() = 0.5: 500, 1000, 2000, 4000 and 8000 ms.
    await jest.advanceTimersByTimeAsync(0);
    expect(calls()).toBe(1);
    await jest.advanceTimersByTimeAsync(499);
    expect(calls()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls()).toBe(2);
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls()).toBe(3);
    await jest.advanceTimersByTimeAsync(2000 + 4000);
    expect(calls()).toBe(5);
    await jest.advanceTimersByTimeAsync(7999);
    expect(calls()).toBe(5);
    await jest.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toMatchObject({ name: 'Throttling' });
    expect(calls()).toBe(6);
    expect(random).toHaveBeenCalledTimes(5);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('the jitter ceilings double from 1 s to 16 s: 31 s at most before the sixth attempt', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const delays = recordDelays();
    rdsMock.on(DescribeAccountAttributesCommand).rejects(awsError('ServiceUnavailable'));
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'ServiceUnavailable' });
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });
});

describe('fleet pacing', () => {
  /** Cluster ids that sort in numeric order: db-0000, db-0001, ... */
  function fleet(size: number): string[] {
    return Array.from({ length: size }, (_, i) => `db-${String(i).padStart(4, '0')}`);
  }

  /** The StartExecution input of each cluster, by cluster. */
  function inputsByCluster(): Map<string, Record<string, unknown>> {
    return new Map(sfnMock.commandCalls(StartExecutionCommand).map((c) => {
      const input = JSON.parse(String(c.args[0].input.input)) as Record<string, unknown>;
      return [String(input.clusterIdentifier), input];
    }));
  }

  /**
   * fleetPacing's documented formula, written out here: half the budget goes to the ~10 fixed calls
   * of each execution, half to status checks, one per cluster per interval.
   */
  function expectedPacing(clusters: number, requestsPerSecond: number, intervalSeconds: number) {
    const halfBudgetPerMinute = (requestsPerSecond * 60) / 2;
    return {
      clustersPerMinute: Math.max(1, Math.floor(halfBudgetPerMinute / 10)),
      pollStride: Math.min(60, Math.max(1, Math.ceil((clusters * 60) / intervalSeconds / halfBudgetPerMinute))),
    };
  }

  test.each<[number, string | undefined, string | undefined]>([
    [100, '8', undefined],
    [100, undefined, undefined],
    [100, '1', undefined],
    [100, '8', '10'],
    [250, '2', '30'],
    [60, '100', '1'],
  ])('%i clusters, RDS_REQUESTS_PER_SECOND=%s, WAIT_INTERVAL_SECONDS=%s: starts in minute waves, pollStride when > 1', async (size, rate, interval) => {
    const clusters = fleet(size);
    process.env[ENV.CLUSTER_IDENTIFIERS] = clusters.join(',');
    // undefined: the construct's default, which it always sets.
    process.env[ENV.RDS_REQUESTS_PER_SECOND] = rate ?? String(DEFAULTS.rdsRequestsPerSecond);
    process.env[ENV.WAIT_INTERVAL_SECONDS] = interval ?? String(DEFAULTS.waitIntervalSeconds);
    const pacing = expectedPacing(size, Number(rate ?? 8), Number(interval ?? 60));

    const result = await handler(EVENT);
    expect(result.pacing).toEqual(pacing);
    expect(result.started).toHaveLength(size);
    const inputs = inputsByCluster();
    clusters.forEach((clusterIdentifier, index) => {
      const delay = Math.floor(index / pacing.clustersPerMinute) * 60;
      expect(inputs.get(clusterIdentifier)).toEqual({
        clusterIdentifier,
        runId: '202611270300',
        ...(delay > 0 ? { startDelaySeconds: delay } : {}),
        ...(pacing.pollStride > 1 ? { pollStride: pacing.pollStride } : {}),
      });
    });
  });

  test('100 clusters at 8 requests per second: 24 start at once, then a wave of 24 every minute', async () => {
    const clusters = fleet(100);
    process.env[ENV.CLUSTER_IDENTIFIERS] = clusters.join(',');
    process.env[ENV.RDS_REQUESTS_PER_SECOND] = '8';
    const result = await handler(EVENT);
    expect(result.pacing).toEqual({ clustersPerMinute: 24, pollStride: 1 });
    const inputs = inputsByCluster();
    // 100 clusters polled once a minute stay within half of 8 × 60 requests a minute: no stride.
    expect([...inputs.values()].some((input) => 'pollStride' in input)).toBe(false);
    expect(inputs.get('db-0000')).toEqual({ clusterIdentifier: 'db-0000', runId: '202611270300' });
    expect(inputs.get('db-0023')).not.toHaveProperty('startDelaySeconds');
    expect(inputs.get('db-0024')).toMatchObject({ startDelaySeconds: 60 });
    expect(inputs.get('db-0047')).toMatchObject({ startDelaySeconds: 60 });
    expect(inputs.get('db-0048')).toMatchObject({ startDelaySeconds: 120 });
    expect(inputs.get('db-0099')).toMatchObject({ startDelaySeconds: 240 });
    const delays = clusters.map((id) => inputs.get(id)?.startDelaySeconds ?? 0);
    expect([0, 60, 120, 180, 240].map((d) => delays.filter((x) => x === d).length)).toEqual([24, 24, 24, 24, 4]);
  });

  test('1000 clusters at 8 requests per second and a 60 s interval: 24 per minute, every 5th check polls', async () => {
    const clusters = fleet(1000);
    process.env[ENV.CLUSTER_IDENTIFIERS] = clusters.join(',');
    process.env[ENV.RDS_REQUESTS_PER_SECOND] = '8';
    process.env[ENV.WAIT_INTERVAL_SECONDS] = '60';
    const result = await handler(EVENT);
    expect(result.pacing).toEqual({ clustersPerMinute: 24, pollStride: 5 });
    const inputs = inputsByCluster();
    expect(inputs.get('db-0000')).toEqual({ clusterIdentifier: 'db-0000', runId: '202611270300', pollStride: 5 });
    expect(inputs.get('db-0024')).toEqual({ clusterIdentifier: 'db-0024', runId: '202611270300', startDelaySeconds: 60, pollStride: 5 });
    // The last of 1000 starts in wave 41 (999 / 24), 41 minutes after the first.
    expect(inputs.get('db-0999')).toEqual({ clusterIdentifier: 'db-0999', runId: '202611270300', startDelaySeconds: 2460, pollStride: 5 });
  });

  test('waves follow the sorted cluster order, whatever order the ids are configured in', async () => {
    process.env[ENV.RDS_REQUESTS_PER_SECOND] = '1';
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'e-db,d-db,c-db,b-db,a-db';
    await handler(EVENT);
    const inputs = inputsByCluster();
    // 3 clusters per minute at 1 request per second.
    expect(['a-db', 'b-db', 'c-db', 'd-db', 'e-db'].map((id) => inputs.get(id)?.startDelaySeconds)).toEqual([undefined, undefined, undefined, 60, 60]);
  });

  test('the pacing is logged with the result', async () => {
    delete process.env.SHARED_CLUSTER_SNAPSHOTS_SILENT;
    const info = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await handler(EVENT);
    expect(JSON.parse(info.mock.calls[0][0])).toMatchObject({ message: 'Started executions', pacing: SMALL_FLEET });
  });

  test.each([ENV.RDS_REQUESTS_PER_SECOND, ENV.WAIT_INTERVAL_SECONDS])('a non-integer %s is a configuration error; nothing starts', async (name) => {
    process.env[name] = 'fast';
    await expect(handler(EVENT)).rejects.toThrow(name);
    expect(sfnMock.calls()).toHaveLength(0);
  });
});

describe('a compressed cluster list', () => {
  test('CLUSTER_IDENTIFIERS_GZIP is started like a plain list, merged with it, lowercased and deduplicated', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'orders-db,Zeta-DB';
    process.env[ENV.CLUSTER_IDENTIFIERS_GZIP] = gzipSync(Buffer.from('Billing-DB,orders-db,alpha-db')).toString('base64');
    await expect(resolveClusters()).resolves.toEqual(['alpha-db', 'billing-db', 'orders-db', 'zeta-db']);
    const result = await handler(EVENT);
    expect([...result.started].sort()).toEqual(['alpha-db', 'billing-db', 'orders-db', 'zeta-db']);
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

describe('a retried invocation (Scheduler invokes asynchronously: Lambda retries a failed starter)', () => {
  /**
   * Step Functions as the starter sees it, by the StartExecution API reference (and aws-facts.md):
   * a name is unique per state machine; the same name with the same input while the execution runs
   * returns the original execution (its startDate); otherwise ExecutionAlreadyExists.
   */
  function fakeStepFunctions(failFor: string[] = []) {
    const executions = new Map<string, { input?: string; startDate: Date }>();
    sfnMock.on(StartExecutionCommand).callsFake((input: StartExecutionCommandInput): StartExecutionCommandOutput => {
      const name = String(input.name);
      if (failFor.includes(name)) throw awsError('AccessDeniedException');
      const existing = executions.get(name);
      if (existing && existing.input !== input.input) throw new ExecutionAlreadyExists({ message: name, $metadata: {} });
      const execution = existing ?? { input: input.input, startDate: new Date() };
      executions.set(name, execution);
      return { executionArn: `arn:aws:states:eu-west-1:111111111111:execution:x:${name}`, startDate: execution.startDate, $metadata: {} };
    });
    return { executions, heal: () => failFor.splice(0) };
  }

  test('starts only what the first attempt did not; nothing is started twice', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'a-db,b-db,c-db';
    freezeTime(new Date('2026-11-27T03:00:05Z'));
    const sfnFake = fakeStepFunctions(['b-db-202611270300']);
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'StartExecutionsFailed', message: expect.stringContaining('b-db') });
    expect([...sfnFake.executions.keys()].sort()).toEqual(['a-db-202611270300', 'c-db-202611270300']);

    // Lambda's first async retry comes about a minute later.
    sfnFake.heal();
    freezeTime(new Date('2026-11-27T03:01:10Z'));
    await expect(handler(EVENT)).resolves.toMatchObject({ started: ['b-db'], alreadyStarted: expect.arrayContaining(['a-db', 'c-db']), failed: [] });
    expect(sfnFake.executions.size).toBe(3);
  });

  test('a repeated start that Step Functions answers with the running execution counts as already started', async () => {
    freezeTime(new Date('2026-11-27T03:01:00Z'));
    sfnMock.on(StartExecutionCommand, { name: 'orders-db-202611270300' })
      .resolves({ executionArn: 'arn', startDate: new Date('2026-11-27T03:00:02Z') });
    await expect(handler(EVENT)).resolves.toMatchObject({ started: ['billing-db'], alreadyStarted: ['orders-db'] });
  });

  describe('the quota check credits the snapshots this run already holds', () => {
    const RUN = '202611270300';
    const runSnapshot = (cluster: string, role: 'shared' | 'temporary', owner = { ownerId: OWNER_ID, runId: RUN }) =>
      snapshot({ id: `shared-${cluster}-${role}-${owner.runId}`, clusterIdentifier: cluster, owner: { ...owner, role }, status: role === 'shared' ? 'copying' : 'available' });

    beforeEach(() => {
      process.env[ENV.CLUSTER_IDENTIFIERS] = 'a-db,b-db,c-db';
    });

    test('the first attempt\'s snapshots are part of the run\'s peak, not extra: the retry proceeds', async () => {
      // 3 clusters peak at 6 snapshots; a-db and b-db made theirs (4, counted in Used): 2 still to come.
      givenQuota(96, 100);
      rdsMock.on(DescribeDBClusterSnapshotsCommand, { Marker: undefined })
        .resolves({ DBClusterSnapshots: [runSnapshot('a-db', 'temporary'), runSnapshot('a-db', 'shared'), snapshot({ id: 'users-own-backup' })], Marker: 'p2' })
        .on(DescribeDBClusterSnapshotsCommand, { Marker: 'p2' })
        .resolves({ DBClusterSnapshots: [runSnapshot('b-db', 'temporary'), runSnapshot('b-db', 'shared')] });
      await expect(handler(EVENT)).resolves.toMatchObject({ failed: [] });
      expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input)).toEqual([
        { SnapshotType: 'manual', MaxRecords: 100, Marker: undefined },
        { SnapshotType: 'manual', MaxRecords: 100, Marker: 'p2' },
      ]);
      expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(3);
    });

    test('another owner\'s or another run\'s snapshots are not credited', async () => {
      givenQuota(96, 100);
      rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({
        DBClusterSnapshots: [
          runSnapshot('a-db', 'shared', { ownerId: 'other-stack/Snapshots', runId: RUN }),
          runSnapshot('a-db', 'shared', { ownerId: OWNER_ID, runId: '202611260300' }),
          runSnapshot('b-db', 'temporary'),
        ],
      });
      const error = await handler(EVENT).catch((e: Error) => e);
      expect(error).toMatchObject({ name: 'SnapshotQuotaExceeded' });
      expect((error as Error).message).toMatch(/room for 4 more \(96 of 100 used\); this run of 3 clusters needs up to 6, 1 of which it holds already\. Nothing was started/);
      expect(sfnMock.calls()).toHaveLength(0);
    });

    test('with room for the whole peak, the snapshots are not listed', async () => {
      givenQuota(94, 100);
      await handler(EVENT);
      expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(0);
    });
  });

  test('OWNER_ID is required', async () => {
    delete process.env[ENV.OWNER_ID];
    await expect(handler(EVENT)).rejects.toThrow(/OWNER_ID/);
    expect(sfnMock.calls()).toHaveLength(0);
  });
});
