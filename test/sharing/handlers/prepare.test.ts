import { gzipSync } from 'zlib';
import {
  DBCluster,
  DBClusterSnapshot,
  DBClusterNotFoundFault,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  awsError,
  CLUSTER,
  deletedIds,
  mockSnapshots,
  OTHER_KEY_ARN,
  ownedSnapshot,
  preparedPlan,
  SHARED_ID,
  SHARING_KEY_ARN,
  snapshot,
  SNAPSHOT_TIMEOUT_SECONDS,
  TEMP_ID,
  tempId,
  useHandlerEnvironment,
} from './helpers';
import { ENV } from '../../../src/shared/constants';
import { handler, PrepareEvent } from '../../../src/sharing/handlers/prepare.lambda';

const rdsMock = mockClient(RDSClient);

/** 03:00:41 on the day of RUN_ID, as Step Functions gives the execution start. */
const START = new Date('2026-11-27T03:00:41.123Z');
const EVENT: PrepareEvent = { input: { clusterIdentifier: CLUSTER }, executionStartTime: START.toISOString() };
const EARLIER_RUN = '202611260300';
const HOUR = 3600 * 1000;

function cluster(overrides: Partial<DBCluster> = {}): DBCluster {
  return {
    DBClusterIdentifier: CLUSTER,
    Status: 'available',
    StorageEncrypted: true,
    KmsKeyId: OTHER_KEY_ARN,
    TagList: [],
    ...overrides,
  };
}

function givenCluster(overrides: Partial<DBCluster> = {}): void {
  rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster(overrides)] });
}

/** Configures the clusters to share: those listed in `identifiers`, plus those tagged share-snapshots=true. */
function selectClusters(identifiers: string): void {
  process.env[ENV.CLUSTER_IDENTIFIERS] = identifiers;
  process.env[ENV.CLUSTER_TAG_KEY] = 'share-snapshots';
  process.env[ENV.CLUSTER_TAG_VALUE] = 'true';
}

function ago(ms: number): Date {
  return new Date(START.getTime() - ms);
}

useHandlerEnvironment(START);

beforeEach(() => {
  rdsMock.reset();
  givenCluster();
  mockSnapshots(rdsMock, []);
  rdsMock.on(DeleteDBClusterSnapshotCommand).resolves({});
});

describe('a valid start', () => {
  test('derives the run id from the execution start and plans a re-encrypting copy', async () => {
    await expect(handler(EVENT)).resolves.toEqual({
      clusterIdentifier: 'orders-db',
      runId: '202611270300',
      sharedSnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj',
      temporarySnapshotIdentifier: 'shared-orders-db-202611270300-u66vbj-tmp',
      copyRequired: true,
    });
    expect(rdsMock.commandCalls(DescribeDBClustersCommand)[0].args[0].input).toEqual({ DBClusterIdentifier: 'orders-db' });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)[0].args[0].input).toEqual({
      Filters: [
        { Name: 'db-cluster-id', Values: ['orders-db'] },
        { Name: 'snapshot-type', Values: ['manual'] },
      ],
      MaxRecords: 100,
      Marker: undefined,
    });
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  });

  test('honours an explicit runId', async () => {
    const plan = await handler({ ...EVENT, input: { clusterIdentifier: CLUSTER, runId: '202601020304' } });
    expect(plan).toMatchObject({
      runId: '202601020304',
      sharedSnapshotIdentifier: 'shared-orders-db-202601020304-u66vbj',
      temporarySnapshotIdentifier: 'shared-orders-db-202601020304-u66vbj-tmp',
    });
  });

  test('an explicit runId does not need an execution start time', async () => {
    const plan = await handler({ input: { clusterIdentifier: CLUSTER, runId: '202601020304' } } as unknown as PrepareEvent);
    expect(plan.runId).toBe('202601020304');
  });

  test('lowercases the cluster identifier', async () => {
    const plan = await handler({ ...EVENT, input: { clusterIdentifier: 'Orders-DB' } });
    expect(plan.clusterIdentifier).toBe('orders-db');
    expect(plan.sharedSnapshotIdentifier).toBe(SHARED_ID);
    expect(rdsMock.commandCalls(DescribeDBClustersCommand)[0].args[0].input).toEqual({ DBClusterIdentifier: 'orders-db' });
  });

  test('uses the configured snapshot prefix', async () => {
    process.env[ENV.SNAPSHOT_PREFIX] = 'nightly';
    const plan = await handler(EVENT);
    expect(plan.sharedSnapshotIdentifier).toBe('nightly-orders-db-202611270300-u66vbj');
    expect(plan.temporarySnapshotIdentifier).toBe('nightly-orders-db-202611270300-u66vbj-tmp');
  });

  test('names the snapshots for its owner: another instance on the same cluster and run gets other names', async () => {
    process.env[ENV.OWNER_ID] = 'other-stack/Snapshots';
    const plan = await handler(EVENT);
    expect(plan.sharedSnapshotIdentifier).toMatch(/^shared-orders-db-202611270300-[0-9a-z]{6}$/);
    expect(plan.sharedSnapshotIdentifier).not.toBe(SHARED_ID);
    expect(plan.temporarySnapshotIdentifier).toBe(`${plan.sharedSnapshotIdentifier}-tmp`);
  });
});

describe('invalid input is refused before any AWS call', () => {
  test.each<[string, unknown]>([
    ['a missing clusterIdentifier', { input: {}, executionStartTime: START.toISOString() }],
    ['a numeric clusterIdentifier', { input: { clusterIdentifier: 42 }, executionStartTime: START.toISOString() }],
    ['an empty clusterIdentifier', { input: { clusterIdentifier: '' }, executionStartTime: START.toISOString() }],
    ['a wildcard in the id', { input: { clusterIdentifier: 'orders-*' }, executionStartTime: START.toISOString() }],
    ['".." in the id', { input: { clusterIdentifier: 'orders..db' }, executionStartTime: START.toISOString() }],
    ['a "--" in the id', { input: { clusterIdentifier: 'orders--db' }, executionStartTime: START.toISOString() }],
    ['an id of 64 characters', { input: { clusterIdentifier: 'a'.repeat(64) }, executionStartTime: START.toISOString() }],
    ['an unknown key SnapshotIdentifier', { input: { clusterIdentifier: CLUSTER, SnapshotIdentifier: 'prod-backup' }, executionStartTime: START.toISOString() }],
    ['an unknown key sharedSnapshotIdentifier', { input: { clusterIdentifier: CLUSTER, sharedSnapshotIdentifier: SHARED_ID }, executionStartTime: START.toISOString() }],
    ['a malformed runId', { input: { clusterIdentifier: CLUSTER, runId: '2026-11-27' }, executionStartTime: START.toISOString() }],
    ['a numeric runId', { input: { clusterIdentifier: CLUSTER, runId: 202611270300 }, executionStartTime: START.toISOString() }],
    ['a string input', { input: 'orders-db', executionStartTime: START.toISOString() }],
    ['a null input', { input: null, executionStartTime: START.toISOString() }],
    ['an array input', { input: [CLUSTER], executionStartTime: START.toISOString() }],
    ['no input', { executionStartTime: START.toISOString() }],
    ['a string event', 'orders-db'],
    ['a null event', null],
    ['an array event', [{ input: { clusterIdentifier: CLUSTER } }]],
    ['no start time and no runId', { input: { clusterIdentifier: CLUSTER } }],
    ['a malformed start time', { input: { clusterIdentifier: CLUSTER }, executionStartTime: 'yesterday' }],
    ['a huge event (> 16 KB)', { input: { clusterIdentifier: CLUSTER }, executionStartTime: START.toISOString(), padding: 'x'.repeat(17_000) }],
    ['a huge input (> 16 KB)', { input: { clusterIdentifier: CLUSTER, ['k'.repeat(17_000)]: 1 }, executionStartTime: START.toISOString() }],
  ])('%s', async (_, event) => {
    await expect(handler(event as PrepareEvent)).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });
});

describe('fleet pacing fields from the starter', () => {
  const withInput = (fields: Record<string, unknown>): PrepareEvent =>
    ({ ...EVENT, input: { clusterIdentifier: CLUSTER, ...fields } }) as unknown as PrepareEvent;

  test.each<[string, Record<string, unknown>]>([
    ['startDelaySeconds 0', { startDelaySeconds: 0 }],
    ['startDelaySeconds 60', { startDelaySeconds: 60 }],
    ['startDelaySeconds 86400 (a day, the most)', { startDelaySeconds: 86_400 }],
    ['pollStride 1', { pollStride: 1 }],
    ['startDelaySeconds with pollStride 1', { startDelaySeconds: 120, pollStride: 1 }],
  ])('%s is accepted; the plan has no pollStride', async (_, fields) => {
    const plan = await handler(withInput(fields));
    expect(plan).toEqual(preparedPlan(true));
    expect(plan).not.toHaveProperty('pollStride');
    expect(plan).not.toHaveProperty('startDelaySeconds');
  });

  test.each([2, 5, 60])('pollStride %i is copied into the plan', async (pollStride) => {
    const plan = await handler(withInput({ startDelaySeconds: 60, pollStride }));
    expect(plan).toEqual({ ...preparedPlan(true), pollStride });
  });

  test('pollStride is copied with an explicit runId too', async () => {
    const plan = await handler({ input: { clusterIdentifier: CLUSTER, runId: '202601020304', pollStride: 3 } } as unknown as PrepareEvent);
    expect(plan).toMatchObject({ runId: '202601020304', pollStride: 3 });
  });

  test.each<[string, unknown, RegExp]>([
    ['startDelaySeconds', -1, /startDelaySeconds must be a whole number from 0 to 86400, got -1/],
    ['startDelaySeconds', 86_401, /startDelaySeconds must be a whole number from 0 to 86400, got 86401/],
    ['startDelaySeconds', 1.5, /startDelaySeconds must be a whole number from 0 to 86400, got 1.5/],
    ['startDelaySeconds', '60', /startDelaySeconds must be a whole number from 0 to 86400, got "60"/],
    ['startDelaySeconds', null, /startDelaySeconds must be a whole number from 0 to 86400, got null/],
    ['startDelaySeconds', true, /startDelaySeconds must be a whole number from 0 to 86400, got true/],
    ['startDelaySeconds', [60], /startDelaySeconds must be a whole number/],
    ['startDelaySeconds', { seconds: 60 }, /startDelaySeconds must be a whole number/],
    ['startDelaySeconds', Number.NaN, /startDelaySeconds must be a whole number/],
    ['startDelaySeconds', Number.POSITIVE_INFINITY, /startDelaySeconds must be a whole number/],
    ['pollStride', 0, /pollStride must be a whole number from 1 to 60, got 0/],
    ['pollStride', -5, /pollStride must be a whole number from 1 to 60, got -5/],
    ['pollStride', 61, /pollStride must be a whole number from 1 to 60, got 61/],
    ['pollStride', 2.5, /pollStride must be a whole number from 1 to 60, got 2.5/],
    ['pollStride', '5', /pollStride must be a whole number from 1 to 60, got "5"/],
    ['pollStride', null, /pollStride must be a whole number from 1 to 60, got null/],
    ['pollStride', false, /pollStride must be a whole number from 1 to 60, got false/],
    ['pollStride', [5], /pollStride must be a whole number/],
  ])('%s = %p: InvalidInput naming the field, no AWS call', async (field, value, message) => {
    const error = await handler(withInput({ [field]: value })).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'InvalidInput' });
    expect((error as Error).message).toMatch(message);
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('a long bad value is quoted only in part', async () => {
    const error = await handler(withInput({ pollStride: 'x'.repeat(500) })).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'InvalidInput' });
    expect((error as Error).message.length).toBeLessThan(200);
  });

  test('each field is checked on its own: a valid startDelaySeconds does not excuse a bad pollStride', async () => {
    await expect(handler(withInput({ startDelaySeconds: 60, pollStride: 0 }))).rejects.toThrow(/pollStride/);
    await expect(handler(withInput({ startDelaySeconds: -60, pollStride: 5 }))).rejects.toThrow(/startDelaySeconds/);
    expect(rdsMock.calls()).toHaveLength(0);
  });
});

describe('the cluster', () => {
  test('that does not exist fails with ClusterNotFound', async () => {
    rdsMock.on(DescribeDBClustersCommand).rejects(new DBClusterNotFoundFault({ message: 'DBCluster orders-db not found', $metadata: {} }));
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'ClusterNotFound' });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(0);
  });

  test('that is missing from an empty answer fails with ClusterNotFound', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'ClusterNotFound' });
  });

  test('lookup errors other than not-found pass through by name', async () => {
    rdsMock.on(DescribeDBClustersCommand).rejects(awsError('Throttling'));
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'Throttling' });
  });

  test('that is neither configured nor tagged fails with ClusterNotConfigured', async () => {
    selectClusters('billing-db');
    givenCluster({ TagList: [{ Key: 'team', Value: 'orders' }] });
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'ClusterNotConfigured' });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(0);
  });

  test('with the tag key but another value fails with ClusterNotConfigured', async () => {
    selectClusters('');
    givenCluster({ TagList: [{ Key: 'share-snapshots', Value: 'false' }] });
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'ClusterNotConfigured' });
  });

  test('not configured, with no tag selection at all, fails with ClusterNotConfigured', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'billing-db,payments-db';
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'ClusterNotConfigured' });
  });

  test('discovered by its tag is accepted', async () => {
    selectClusters('');
    givenCluster({ TagList: [{ Key: 'share-snapshots', Value: 'true' }] });
    await expect(handler(EVENT)).resolves.toMatchObject({ clusterIdentifier: CLUSTER });
  });

  test('configured only in the compressed list (CLUSTER_IDENTIFIERS_GZIP) is accepted', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'billing-db';
    process.env[ENV.CLUSTER_IDENTIFIERS_GZIP] = gzipSync(Buffer.from('payments-db,Orders-DB')).toString('base64');
    await expect(handler(EVENT)).resolves.toMatchObject({ clusterIdentifier: CLUSTER });
  });

  test('missing from both the plain and the compressed list fails with ClusterNotConfigured', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = 'billing-db';
    process.env[ENV.CLUSTER_IDENTIFIERS_GZIP] = gzipSync(Buffer.from('payments-db')).toString('base64');
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'ClusterNotConfigured' });
  });

  test('configured in another case and with spaces is accepted', async () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = ' billing-db , Orders-DB ';
    await expect(handler(EVENT)).resolves.toMatchObject({ clusterIdentifier: CLUSTER });
  });

  test.each(['backing-up', 'maintenance', 'stopped', 'modifying'])('that is %s fails with ClusterNotAvailable', async (status) => {
    givenCluster({ Status: status });
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'ClusterNotAvailable' });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(0);
  });
});

describe('encryption', () => {
  test('an unencrypted cluster fails with UnencryptedCluster', async () => {
    givenCluster({ StorageEncrypted: false, KmsKeyId: undefined });
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'UnencryptedCluster' });
  });

  test('an unencrypted cluster is shared as-is when allowed', async () => {
    process.env[ENV.ALLOW_UNENCRYPTED] = 'true';
    givenCluster({ StorageEncrypted: false, KmsKeyId: undefined });
    const plan = await handler(EVENT);
    expect(plan).toEqual(preparedPlan(false));
    expect(plan.temporarySnapshotIdentifier).toBeUndefined();
  });

  test('a cluster on the sharing key needs no copy (key ARNs compared case-insensitively)', async () => {
    givenCluster({ KmsKeyId: SHARING_KEY_ARN.toUpperCase() });
    const plan = await handler(EVENT);
    expect(plan.copyRequired).toBe(false);
    expect(plan.temporarySnapshotIdentifier).toBeUndefined();
    expect(plan.sharedSnapshotIdentifier).toBe(SHARED_ID);
  });

  test('a cluster on another key needs a copy', async () => {
    givenCluster({ KmsKeyId: OTHER_KEY_ARN });
    const plan = await handler(EVENT);
    expect(plan.copyRequired).toBe(true);
    expect(plan.temporarySnapshotIdentifier).toBe(TEMP_ID);
  });

  test('an encrypted cluster without a reported key needs a copy', async () => {
    givenCluster({ KmsKeyId: undefined });
    await expect(handler(EVENT)).resolves.toMatchObject({ copyRequired: true });
  });
});

describe('encryption types (StorageEncryptionType)', () => {
  // The SDK model's DBCluster: an AWS-owned key (sse-rds) reports StorageEncrypted false and no
  // KmsKeyId; aws/rds and customer keys are sse-kms with the key ARN (aws-facts.md).
  const AWS_OWNED: Partial<DBCluster> = { StorageEncryptionType: 'sse-rds', StorageEncrypted: false, KmsKeyId: undefined };

  test('sse-rds (an AWS-owned key) is copied with the sharing key, not called unencrypted', async () => {
    givenCluster(AWS_OWNED);
    await expect(handler(EVENT)).resolves.toMatchObject({ copyRequired: true, temporarySnapshotIdentifier: TEMP_ID });
  });

  test('sse-rds with allowUnencrypted is still copied: an AWS-owned-key snapshot is never shared as it is', async () => {
    process.env[ENV.ALLOW_UNENCRYPTED] = 'true';
    givenCluster(AWS_OWNED);
    await expect(handler(EVENT)).resolves.toMatchObject({ copyRequired: true, temporarySnapshotIdentifier: TEMP_ID });
  });

  test('sse-kms on another key (aws/rds or a customer key) is copied', async () => {
    givenCluster({ StorageEncryptionType: 'sse-kms', StorageEncrypted: true, KmsKeyId: OTHER_KEY_ARN });
    await expect(handler(EVENT)).resolves.toMatchObject({ copyRequired: true });
  });

  test('sse-kms on the sharing key (ARN in another case) is shared as it is', async () => {
    givenCluster({ StorageEncryptionType: 'sse-kms', StorageEncrypted: true, KmsKeyId: SHARING_KEY_ARN.toUpperCase() });
    await expect(handler(EVENT)).resolves.toMatchObject({ copyRequired: false, temporarySnapshotIdentifier: undefined });
  });

  test('none is unencrypted: UnencryptedCluster, even if StorageEncrypted says otherwise', async () => {
    givenCluster({ StorageEncryptionType: 'none', StorageEncrypted: true, KmsKeyId: SHARING_KEY_ARN });
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'UnencryptedCluster' });
  });

  test('none with allowUnencrypted is shared as it is', async () => {
    process.env[ENV.ALLOW_UNENCRYPTED] = 'true';
    givenCluster({ StorageEncryptionType: 'none', StorageEncrypted: false, KmsKeyId: undefined });
    await expect(handler(EVENT)).resolves.toMatchObject({ copyRequired: false });
  });

  test('the type decides over StorageEncrypted: sse-kms on the sharing key with StorageEncrypted false needs no copy', async () => {
    givenCluster({ StorageEncryptionType: 'sse-kms', StorageEncrypted: false, KmsKeyId: SHARING_KEY_ARN });
    await expect(handler(EVENT)).resolves.toMatchObject({ copyRequired: false });
  });

  test('a type this code does not know is copied, never shared as it is', async () => {
    process.env[ENV.ALLOW_UNENCRYPTED] = 'true';
    givenCluster({ StorageEncryptionType: 'sse-future' as DBCluster['StorageEncryptionType'], StorageEncrypted: false, KmsKeyId: undefined });
    await expect(handler(EVENT)).resolves.toMatchObject({ copyRequired: true });
  });
});

describe('earlier runs', () => {
  const timeout = SNAPSHOT_TIMEOUT_SECONDS * 1000;

  /** Prepare with `listing` as the cluster's snapshots: it must plan this run; returns the ids it deleted. */
  async function preparesDeleting(listing: DBClusterSnapshot[]): Promise<(string | undefined)[]> {
    mockSnapshots(rdsMock, listing);
    await expect(handler(EVENT)).resolves.toMatchObject({ runId: '202611270300' });
    return deletedIds(rdsMock);
  }

  /** Prepare with `listing` as the cluster's snapshots must fail with RunInProgress, deleting nothing. */
  async function expectBlocked(listing: DBClusterSnapshot[]): Promise<void> {
    mockSnapshots(rdsMock, listing);
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'RunInProgress' });
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
  }

  test.each<[string, 'shared' | 'temporary']>([
    ['creating', 'temporary'],
    ['creating', 'shared'],
    ['copying', 'shared'],
  ])('an owned %s %s snapshot of another run younger than 2 x timeout fails with RunInProgress', async (status, role) => {
    await expectBlocked([ownedSnapshot(EARLIER_RUN, role, { status, created: ago(2 * timeout - 1000) })]);
  });

  test('an in-progress snapshot whose creation time is not reported yet blocks, to be safe', async () => {
    const inProgress = { ...ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'creating' }), SnapshotCreateTime: undefined };
    await expectBlocked([inProgress]);
  });

  test('an owned in-progress snapshot older than 2 x timeout belongs to a dead run and does not block', async () => {
    // RDS cannot delete a snapshot that is still creating: it is left for a later run.
    expect(await preparesDeleting([
      ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'creating', created: ago(2 * timeout + 1) }),
      ownedSnapshot('202611250300', 'shared', { status: 'copying', created: ago(3 * timeout) }),
    ])).toEqual([]);
  });

  test('a stale available temporary snapshot of another run is deleted, after re-reading its tags', async () => {
    const stale = ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'available', created: ago(HOUR) });
    mockSnapshots(rdsMock, [stale]);
    await handler(EVENT);
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand).map((c) => c.args[0].input.DBClusterSnapshotIdentifier))
      .toEqual([undefined, 'shared-orders-db-202611260300-u66vbj-tmp']);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand).map((c) => c.args[0].input))
      .toEqual([{ DBClusterSnapshotIdentifier: 'shared-orders-db-202611260300-u66vbj-tmp' }]);
  });

  test('a failed temporary snapshot of another run is deleted too', async () => {
    const failed = ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'failed', created: ago(HOUR) });
    expect(await preparesDeleting([failed])).toEqual(['shared-orders-db-202611260300-u66vbj-tmp']);
  });

  test('an in-progress snapshot of another run blocks even when a stale temporary is listed first, and nothing is deleted', async () => {
    // A concurrent run in its copy phase: its temporary is available, its copy is still running.
    await expectBlocked([
      ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'available', created: ago(HOUR) }),
      ownedSnapshot(EARLIER_RUN, 'shared', { status: 'copying', created: ago(HOUR / 2) }),
    ]);
  });

  test('a stale temporary snapshot is kept while its run\'s copy is still in progress, even a copy older than 2 x timeout', async () => {
    // A dead run's copy still reads its source: deleting the temporary would fail the copy (or RDS refuses).
    expect(await preparesDeleting([
      ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'available', created: ago(3 * timeout + HOUR) }),
      ownedSnapshot(EARLIER_RUN, 'shared', { status: 'copying', created: ago(3 * timeout) }),
    ])).toEqual([]);
  });

  test('a run still in progress keeps only its own temporary snapshot: other runs\' stale ones are deleted', async () => {
    const busyRun = '202611250300';
    expect(await preparesDeleting([
      ownedSnapshot(busyRun, 'temporary', { status: 'available', created: ago(3 * timeout + HOUR) }),
      ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'available', created: ago(HOUR) }),
      ownedSnapshot(busyRun, 'shared', { status: 'copying', created: ago(3 * timeout) }),
      ownedSnapshot('202611240300', 'temporary', { status: 'failed', created: ago(4 * timeout) }),
    ])).toEqual([tempId(EARLIER_RUN), tempId('202611240300')]);
  });

  test('a temporary snapshot is kept while the copy a failed run\'s clean-up cancelled is still deleting', async () => {
    // CleanUpFailedRun left it ('waits-for-copy'): deleting a copy's source before the copy is gone may fail the copy.
    expect(await preparesDeleting([
      ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'available', created: ago(HOUR) }),
      ownedSnapshot(EARLIER_RUN, 'shared', { status: 'deleting', created: ago(HOUR / 2) }),
    ])).toEqual([]);
  });

  test('once that copy is no longer in progress, the temporary snapshot is deleted', async () => {
    expect(await preparesDeleting([
      ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'available', created: ago(3 * timeout + HOUR) }),
      ownedSnapshot(EARLIER_RUN, 'shared', { status: 'failed', created: ago(3 * timeout) }),
    ])).toEqual([tempId(EARLIER_RUN)]);
  });

  test('an available shared snapshot of another run is left for retention, not deleted', async () => {
    const shared = ownedSnapshot(EARLIER_RUN, 'shared', { status: 'available', created: ago(HOUR) });
    expect(await preparesDeleting([shared])).toEqual([]);
  });

  test('a user\'s own snapshots (no ownership tags) never block and are never deleted', async () => {
    expect(await preparesDeleting([
      snapshot({ id: tempId(EARLIER_RUN), status: 'available', created: ago(HOUR) }),
      snapshot({ id: 'manual-before-upgrade', status: 'creating', created: ago(60_000) }),
      snapshot({ id: 'tagged-by-hand', status: 'available', extraTags: [{ Key: 'shared-cluster-snapshots:role', Value: 'temporary' }] }),
    ])).toEqual([]);
  });

  test('snapshots of another owner id never block and are never deleted', async () => {
    expect(await preparesDeleting([
      ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'available', owner: { ownerId: 'other-stack', role: 'temporary', runId: EARLIER_RUN } }),
      ownedSnapshot('202611270200', 'temporary', { status: 'creating', created: ago(60_000), owner: { ownerId: 'other-stack', role: 'temporary', runId: '202611270200' } }),
    ])).toEqual([]);
  });

  test('snapshots tagged for another cluster are never deleted', async () => {
    expect(await preparesDeleting([
      ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'available', owner: { clusterIdentifier: 'billing-db', role: 'temporary', runId: EARLIER_RUN } }),
    ])).toEqual([]);
  });

  test('snapshots of this same run are ignored (a retried Prepare)', async () => {
    expect(await preparesDeleting([
      ownedSnapshot('202611270300', 'temporary', { status: 'creating', created: ago(10_000) }),
      ownedSnapshot('202611270300', 'shared', { status: 'available', created: ago(10_000) }),
    ])).toEqual([]);
  });

  test('a stale temporary that cannot be deleted now does not fail the run', async () => {
    rdsMock.on(DeleteDBClusterSnapshotCommand).rejects(awsError('InvalidDBClusterSnapshotStateFault'));
    const stale = ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'available', created: ago(HOUR) });
    expect(await preparesDeleting([stale])).toEqual(['shared-orders-db-202611260300-u66vbj-tmp']);
  });

  test('a listing page without snapshots is fine', async () => {
    rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({});
    await expect(handler(EVENT)).resolves.toMatchObject({ runId: '202611270300' });
  });

  test('an owned temporary snapshot of another run without a reported status does not block and is cleaned up', async () => {
    const unknown = { ...ownedSnapshot(EARLIER_RUN, 'temporary', { created: ago(HOUR) }), Status: undefined };
    expect(await preparesDeleting([unknown])).toEqual(['shared-orders-db-202611260300-u66vbj-tmp']);
  });

  test('pages through the snapshot listing with Marker', async () => {
    const staleOnPage2 = ownedSnapshot(EARLIER_RUN, 'temporary', { status: 'available', created: ago(HOUR) });
    rdsMock
      .on(DescribeDBClusterSnapshotsCommand, { Marker: undefined })
      .resolves({ DBClusterSnapshots: [snapshot({ id: 'users-own' })], Marker: 'page-2' })
      .on(DescribeDBClusterSnapshotsCommand, { Marker: 'page-2' })
      .resolves({ DBClusterSnapshots: [staleOnPage2] })
      .on(DescribeDBClusterSnapshotsCommand, { DBClusterSnapshotIdentifier: staleOnPage2.DBClusterSnapshotIdentifier })
      .resolves({ DBClusterSnapshots: [staleOnPage2] });
    await handler(EVENT);
    const listings = rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)
      .map((c) => c.args[0].input)
      .filter((input) => input.DBClusterSnapshotIdentifier === undefined);
    expect(listings.map((input) => input.Marker)).toEqual([undefined, 'page-2']);
    expect(deletedIds(rdsMock)).toEqual(['shared-orders-db-202611260300-u66vbj-tmp']);
  });

  test('an in-progress snapshot on a later page still blocks', async () => {
    rdsMock
      .on(DescribeDBClusterSnapshotsCommand, { Marker: undefined })
      .resolves({ DBClusterSnapshots: [], Marker: 'page-2' })
      .on(DescribeDBClusterSnapshotsCommand, { Marker: 'page-2' })
      .resolves({ DBClusterSnapshots: [ownedSnapshot(EARLIER_RUN, 'shared', { status: 'copying', created: ago(HOUR) })] });
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'RunInProgress' });
  });

  test('requires OWNER_ID', async () => {
    delete process.env[ENV.OWNER_ID];
    await expect(handler(EVENT)).rejects.toThrow(/OWNER_ID/);
    expect(rdsMock.calls()).toHaveLength(0);
  });
});
