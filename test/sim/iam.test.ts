import {
  CreateDBClusterSnapshotCommand,
  DeleteDBClusterSnapshotCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { Duration } from 'aws-cdk-lib';
import { expectShared, MINUTE, runDay, scheduledRun, simulation, TARGET_ACCOUNTS, temporarySnapshots } from './harness';
import { AWS_MANAGED_RDS_KEY, callContext } from '../../sim/fake-rds';
import { evaluate, IamStatement, wildcardMatch } from '../../sim/iam-policy';
import type { Simulation } from '../../sim/simulation';
import { snapshotIdentifier } from '../../src/shared/naming.lambda-shared';

const OWNER_TAG = 'shared-cluster-snapshots:owner';
const CLUSTER_TAG = { key: 'share-snapshots', value: 'true' };
const PROPS = { clusterIdentifiers: ['orders-db', 'billing-db'], clusterTag: CLUSTER_TAG, retainSnapshots: 2 };
const CUSTOMER_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/customer-app-key';

function ownerId(sim: Simulation): string {
  return sim.findFunction('clean-up.lambda.ts').environment.OWNER_ID;
}

/** The name this instance gives a cluster's snapshot of a run (the handlers' own naming). */
function nameOf(sim: Simulation, cluster: string, runId: string, role: 'shared' | 'temporary' = 'shared'): string {
  return snapshotIdentifier({ prefix: 'shared', ownerId: ownerId(sim) }, cluster, runId, role);
}

/** Sends one RDS command as the code of `fn` would: its role applies. */
async function sendAs(sim: Simulation, fn: string, command: any): Promise<unknown> {
  const functionId = sim.findFunction(fn).logicalId;
  return callContext.run({ caller: 'test', functionId }, () => new RDSClient({ region: 'eu-west-1' }).send(command));
}

/** The full tag set this construct puts on a snapshot it owns. */
function ownTags(sim: Simulation, cluster: string, runId: string, role = 'shared'): Record<string, string> {
  return {
    [OWNER_TAG]: ownerId(sim),
    'shared-cluster-snapshots:cluster': cluster,
    'shared-cluster-snapshots:role': role,
    'shared-cluster-snapshots:run': runId,
  };
}

describe('IAM evaluator', () => {
  const statement = (s: Partial<IamStatement>): IamStatement => ({ Effect: 'Allow', Action: 'rds:*', Resource: '*', ...s });

  test('actions match with wildcards, case-insensitively; resources case-sensitively', () => {
    expect(wildcardMatch('rds:describe*', 'rds:DescribeDBClusters', true)).toBe(true);
    expect(wildcardMatch('rds:Describe?BClusters', 'rds:DescribeDBClusters', true)).toBe(true);
    expect(wildcardMatch('rds:Describe?Clusters', 'rds:DescribeDBClusters', true)).toBe(false);
    expect(wildcardMatch('arn:aws:rds:*:cluster:orders-db', 'arn:aws:rds:eu-west-1:1:cluster:Orders-db', false)).toBe(false);
    expect(wildcardMatch('arn:aws:rds:*:cluster-snapshot:shared-*', 'arn:aws:rds:eu-west-1:1:cluster-snapshot:shared-x', false)).toBe(true);
    expect(wildcardMatch('a.b', 'axb', false)).toBe(false); // regex characters are literal
  });

  test('deny by default, an explicit Deny wins, NotAction and NotResource', () => {
    const request = { action: 'rds:DeleteDBClusterSnapshot', resource: 'arn:aws:rds:eu-west-1:1:cluster-snapshot:a' };
    expect(evaluate([], request).allowed).toBe(false);
    expect(evaluate([statement({ Action: 'rds:Describe*' })], request).allowed).toBe(false);
    expect(evaluate([statement({})], request).allowed).toBe(true);
    expect(evaluate([statement({}), statement({ Effect: 'Deny', Action: 'rds:Delete*' })], request)).toMatchObject({ allowed: false, deniedBy: 1 });
    expect(evaluate([statement({ Action: undefined, NotAction: 'rds:Delete*' })], request).allowed).toBe(false);
    expect(evaluate([statement({ Resource: undefined, NotResource: '*:cluster-snapshot:b' })], request).allowed).toBe(true);
  });

  test('conditions: StringEquals/StringLike with OR over values, AND over keys, absent keys fail, Bool', () => {
    const request = (context: Record<string, string | boolean>) => ({ action: 'rds:X', resource: 'r', context });
    const owner = statement({ Condition: { StringEquals: { 'aws:ResourceTag/owner': ['me', 'us'] } } });
    expect(evaluate([owner], request({ 'aws:ResourceTag/owner': 'us' })).allowed).toBe(true);
    expect(evaluate([owner], request({ 'aws:resourcetag/OWNER': 'me' })).allowed).toBe(true); // key names ignore case
    expect(evaluate([owner], request({ 'aws:ResourceTag/owner': 'Me' })).allowed).toBe(false); // values do not
    expect(evaluate([owner], request({ 'aws:RequestTag/owner': 'me' })).allowed).toBe(false); // absent key
    expect(evaluate([owner], request({})).allowed).toBe(false);

    const both = statement({ Condition: { StringEquals: { 'kms:ViaService': 'rds.eu-west-1.amazonaws.com' }, Bool: { 'kms:GrantIsForAWSResource': 'true' } } });
    expect(evaluate([both], request({ 'kms:ViaService': 'rds.eu-west-1.amazonaws.com', 'kms:GrantIsForAWSResource': true })).allowed).toBe(true);
    expect(evaluate([both], request({ 'kms:ViaService': 'rds.eu-west-1.amazonaws.com', 'kms:GrantIsForAWSResource': false })).allowed).toBe(false);
    expect(evaluate([both], request({ 'kms:ViaService': 'rds.eu-west-1.amazonaws.com' })).allowed).toBe(false);
    expect(evaluate([both], request({ 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:GrantIsForAWSResource': true })).allowed).toBe(false);

    const like = statement({ Condition: { StringLike: { 'aws:RequestTag/run': '2026??27*' } } });
    expect(evaluate([like], request({ 'aws:RequestTag/run': '202611270300' })).allowed).toBe(true);
    expect(evaluate([like], request({ 'aws:RequestTag/run': '202611280300' })).allowed).toBe(false);

    expect(() => evaluate([statement({ Condition: { StringNotEquals: { k: 'v' } } })], request({ k: 'v' }))).toThrow(/does not support/);
  });

  test('set qualifiers on multivalued keys: ForAnyValue needs one match, ForAllValues every value (and holds for a missing key)', () => {
    const request = (context: Record<string, string | boolean | string[]>) => ({ action: 'rds:X', resource: 'r', context });
    const any = statement({ Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['owner', 'run'] } } });
    expect(evaluate([any], request({ 'aws:TagKeys': ['cluster', 'run'] })).allowed).toBe(true);
    expect(evaluate([any], request({ 'aws:TagKeys': ['cluster'] })).allowed).toBe(false);
    expect(evaluate([any], request({})).allowed).toBe(false);
    const all = statement({ Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': 'shared-cluster-snapshots:*' } } });
    expect(evaluate([all], request({ 'aws:TagKeys': ['shared-cluster-snapshots:owner', 'shared-cluster-snapshots:run'] })).allowed).toBe(true);
    expect(evaluate([all], request({ 'aws:TagKeys': ['shared-cluster-snapshots:owner', 'team'] })).allowed).toBe(false);
    expect(evaluate([all], request({})).allowed).toBe(true); // IAM's documented pitfall: an absent key passes ForAllValues
    // A single-valued operator never matches a multivalued context value.
    expect(evaluate([statement({ Condition: { StringEquals: { 'aws:TagKeys': 'owner' } } })], request({ 'aws:TagKeys': ['owner'] })).allowed).toBe(false);
    expect(() => evaluate([statement({ Condition: { 'ForSomeValues:StringEquals': { k: 'v' } } })], request({ k: 'v' }))).toThrow(/Unknown condition qualifier/);
  });
});

describe('IAM in the simulation', () => {
  let sim: Simulation;
  afterEach(() => sim?.dispose());

  test('roles are read from the template with their intrinsics resolved', () => {
    sim = simulation(PROPS);
    const copyRole = sim.template.roles.get(sim.findFunction('copy-snapshot.lambda.ts').logicalId)!;
    const viaRds = copyRole.statements.find((s) => s.Condition?.StringEquals?.['kms:ViaService']);
    expect(viaRds?.Condition?.StringEquals?.['kms:ViaService']).toBe('rds.eu-west-1.amazonaws.com');
    expect(copyRole.statements.flatMap((s) => [s.Resource].flat())).toContain('arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:shared-*');
    // Every function of the construct has a role with statements.
    for (const fn of sim.template.functions.values()) expect(sim.template.roles.get(fn.logicalId)?.statements.length).toBeGreaterThan(0);
  });

  test('1. every path of normal runs (copy, no copy, tag discovery, failure clean-up, stale clean-up, retention) raises no AccessDenied', async () => {
    sim = simulation({ ...PROPS, waitInterval: Duration.minutes(1) });
    sim.rds.addCluster({ identifier: 'orders-db', kmsKeyId: AWS_MANAGED_RDS_KEY });
    sim.rds.addCluster({ identifier: 'billing-db', kmsKeyId: sim.sharingKeyArn });
    sim.rds.addCluster({ identifier: 'events-db', kmsKeyId: CUSTOMER_KEY, tags: { [CLUSTER_TAG.key]: CLUSTER_TAG.value } });
    sim.rds.addCluster({ identifier: 'rogue-db' });
    sim.rds.addForeignSnapshot('shared-orders-db-manual', 'orders-db');

    await scheduledRun(sim, runDay(0));
    // Day 1: orders-db's snapshot fails (CleanUpFailedRun), events-db's run is aborted while copying.
    sim.rds.updateCluster('orders-db', { snapshotOutcome: 'failed' });
    await sim.fireSchedule(runDay(1));
    await sim.advance(12 * MINUTE);
    sim.executions.find((e) => e.input.clusterIdentifier === 'events-db' && e.status === 'RUNNING')!.abort();
    await sim.runUntilIdle();
    sim.rds.updateCluster('orders-db', { snapshotOutcome: 'available' });
    // Manual starts that Prepare refuses: not configured, not found.
    sim.startExecution({ clusterIdentifier: 'rogue-db' });
    sim.startExecution({ clusterIdentifier: 'missing-db' });
    await sim.runUntilIdle();
    // Days 2 and 3: stale clean-up by Prepare, retention by CleanUp.
    await scheduledRun(sim, runDay(2));
    await scheduledRun(sim, runDay(3));

    const denied = sim.rds.calls.filter((c) => c.error === 'AccessDenied');
    expect(denied).toEqual([]);
    expect(sim.iam.decisions.length).toBeGreaterThan(100);
    expect(sim.iam.decisions.filter((d) => !d.decision.allowed)).toEqual([]);
    expect(sim.executions.map((e) => [e.input.clusterIdentifier, e.status, e.error])).toEqual([
      ['billing-db', 'SUCCEEDED', undefined], ['events-db', 'SUCCEEDED', undefined], ['orders-db', 'SUCCEEDED', undefined],
      ['billing-db', 'SUCCEEDED', undefined], ['events-db', 'ABORTED', undefined], ['orders-db', 'FAILED', 'SnapshotFailed'],
      ['rogue-db', 'FAILED', 'ClusterNotConfigured'], ['missing-db', 'FAILED', 'ClusterNotFound'],
      ['billing-db', 'SUCCEEDED', undefined], ['events-db', 'SUCCEEDED', undefined], ['orders-db', 'SUCCEEDED', undefined],
      ['billing-db', 'SUCCEEDED', undefined], ['events-db', 'SUCCEEDED', undefined], ['orders-db', 'SUCCEEDED', undefined],
    ]);
    // The paths ran: failure clean-up, stale temporary clean-up, retention.
    expect(sim.rds.lifecycles.get(nameOf(sim, 'orders-db', '202611280300', 'temporary'))?.deletedAt).toBeDefined();
    expect(sim.rds.lifecycles.get(nameOf(sim, 'events-db', '202611280300', 'temporary'))?.deletedAt).toBeDefined();
    expect(sim.rds.lifecycles.get(nameOf(sim, 'billing-db', '202611270300'))?.deletedAt).toBeDefined();
    for (const cluster of ['orders-db', 'billing-db', 'events-db']) expectShared(sim, cluster, 2);
    expect(sim.rds.snapshot('shared-orders-db-manual')).toBeDefined();
  });

  test('2. the CreateSnapshot role cannot snapshot a cluster that is neither configured nor tagged, even with a well-formed plan', async () => {
    sim = simulation(PROPS);
    sim.rds.addCluster({ identifier: 'rogue-db' }); // exists, untagged, not configured
    const plan = {
      clusterIdentifier: 'rogue-db',
      runId: '202611270300',
      sharedSnapshotIdentifier: nameOf(sim, 'rogue-db', '202611270300'),
      temporarySnapshotIdentifier: nameOf(sim, 'rogue-db', '202611270300', 'temporary'),
      copyRequired: true,
    };
    const error = await sim.invokeFunction('create-snapshot.lambda.ts', plan).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('AccessDenied');
    expect((error as Error).message).toContain(
      'is not authorized to perform: rds:CreateDBClusterSnapshot on resource: arn:aws:rds:eu-west-1:111111111111:cluster:rogue-db',
    );
    expect(sim.rds.snapshotsOf('rogue-db')).toEqual([]);
    expect(sim.rds.calls).toEqual([expect.objectContaining({ api: 'CreateDBClusterSnapshot', caller: 'direct', error: 'AccessDenied' })]);
  });

  test('3. the CreateSnapshot role may snapshot a cluster found by its tag, and a configured one', async () => {
    sim = simulation(PROPS);
    sim.rds.addCluster({ identifier: 'tagged-db', tags: { [CLUSTER_TAG.key]: CLUSTER_TAG.value } });
    sim.rds.addCluster({ identifier: 'orders-db' });
    for (const cluster of ['tagged-db', 'orders-db']) {
      const plan = {
        clusterIdentifier: cluster,
        runId: '202611270300',
        sharedSnapshotIdentifier: nameOf(sim, cluster, '202611270300'),
        temporarySnapshotIdentifier: nameOf(sim, cluster, '202611270300', 'temporary'),
        copyRequired: true,
      };
      await expect(sim.invokeFunction('create-snapshot.lambda.ts', plan)).resolves.toMatchObject({ awaitingSnapshotIdentifier: plan.temporarySnapshotIdentifier });
      expect(temporarySnapshots(sim, cluster).map((s) => s.DBClusterSnapshotIdentifier)).toEqual([plan.temporarySnapshotIdentifier]);
    }
    expect(sim.rds.calls.filter((c) => c.error)).toEqual([]);
  });

  // Explicit clusters are allowed by their ARN, never by `shared-cluster-snapshots:cluster` in the
  // request tags, which the caller chooses freely (issue 8, item 4).
  test('2b. the CreateSnapshot role cannot snapshot an unconfigured cluster by putting a configured cluster id in the request tags', async () => {
    sim = simulation(PROPS);
    sim.rds.addCluster({ identifier: 'rogue-db' });
    const forged = new CreateDBClusterSnapshotCommand({
      DBClusterIdentifier: 'rogue-db',
      DBClusterSnapshotIdentifier: 'shared-rogue-db-202611270300',
      Tags: Object.entries(ownTags(sim, 'orders-db', '202611270300')).map(([Key, Value]) => ({ Key, Value })),
    });
    await expect(sendAs(sim, 'create-snapshot.lambda.ts', forged)).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(sim.rds.snapshotsOf('rogue-db')).toEqual([]);
  });

  test('2c. past 60 explicit clusters, the CreateSnapshot role still cannot snapshot an unconfigured cluster with a configured id in the request tags', async () => {
    const ids = Array.from({ length: 61 }, (_, i) => `orders-${String(i).padStart(2, '0')}-db`);
    sim = simulation({ ...PROPS, clusterIdentifiers: ids });
    sim.rds.addCluster({ identifier: 'rogue-db' });
    sim.rds.addCluster({ identifier: 'orders-60-db' });
    const create = (cluster: string) => new CreateDBClusterSnapshotCommand({
      DBClusterIdentifier: cluster,
      DBClusterSnapshotIdentifier: `shared-${cluster}-202611270300`,
      Tags: Object.entries(ownTags(sim, 'orders-00-db', '202611270300')).map(([Key, Value]) => ({ Key, Value })),
    });
    await expect(sendAs(sim, 'create-snapshot.lambda.ts', create('rogue-db'))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('rds:CreateDBClusterSnapshot on resource: arn:aws:rds:eu-west-1:111111111111:cluster:rogue-db'),
    });
    expect(sim.rds.snapshotsOf('rogue-db')).toEqual([]);
    // Control: the 61st configured cluster is allowed by its ARN (read from the role's managed policies).
    await sendAs(sim, 'create-snapshot.lambda.ts', create('orders-60-db'));
    expect(sim.rds.snapshotsOf('orders-60-db')).toHaveLength(1);
  });

  test('4. the roles that delete (Prepare, CleanUp, CleanUpFailedRun) cannot delete a snapshot without our owner tag, whatever its name', async () => {
    sim = simulation(PROPS);
    sim.rds.addCluster({ identifier: 'orders-db' });
    sim.rds.addForeignSnapshot('shared-orders-db-202611260300', 'orders-db'); // our name, no tags
    sim.rds.addForeignSnapshot('shared-orders-db-202611250300', 'orders-db', { ...ownTags(sim, 'orders-db', '202611250300'), [OWNER_TAG]: 'someone-else' });
    sim.rds.addForeignSnapshot('manual-orders-db', 'orders-db', ownTags(sim, 'orders-db', '202611240300')); // our tags, not our prefix
    sim.rds.addForeignSnapshot('shared-orders-db-202611230300', 'orders-db', ownTags(sim, 'orders-db', '202611230300'));

    for (const fn of ['prepare.lambda.ts', 'clean-up.lambda.ts', 'clean-up-failed-run.lambda.ts']) {
      for (const id of ['shared-orders-db-202611260300', 'shared-orders-db-202611250300', 'manual-orders-db']) {
        await expect(sendAs(sim, fn, new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: id }))).rejects.toMatchObject({
          name: 'AccessDenied',
          message: expect.stringContaining(`rds:DeleteDBClusterSnapshot on resource: arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:${id}`),
        });
        expect(sim.rds.snapshot(id)).toBeDefined();
      }
    }
    // Control: a snapshot with our prefix and owner tag may be deleted.
    await sendAs(sim, 'clean-up-failed-run.lambda.ts', new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: 'shared-orders-db-202611230300' }));
    expect(sim.rds.snapshot('shared-orders-db-202611230300')).toBeUndefined();
    // Roles without delete in their job cannot delete even our own.
    for (const fn of ['create-snapshot.lambda.ts', 'check-snapshot.lambda.ts', 'copy-snapshot.lambda.ts', 'share-snapshot.lambda.ts', 'start-executions.lambda.ts']) {
      sim.rds.addForeignSnapshot('shared-orders-db-202611220300', 'orders-db', ownTags(sim, 'orders-db', '202611220300'));
      await expect(sendAs(sim, fn, new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: 'shared-orders-db-202611220300' })))
        .rejects.toMatchObject({ name: 'AccessDenied' });
    }
  });

  test('5. the ShareSnapshot role cannot share a snapshot without our owner tag, even through its handler with a well-formed plan', async () => {
    sim = simulation(PROPS);
    sim.rds.addCluster({ identifier: 'orders-db', kmsKeyId: sim.sharingKeyArn });
    sim.rds.addForeignSnapshot(nameOf(sim, 'orders-db', '202611260300'), 'orders-db'); // our name, no tags
    sim.rds.addForeignSnapshot(nameOf(sim, 'orders-db', '202611250300'), 'orders-db', { ...ownTags(sim, 'orders-db', '202611250300'), [OWNER_TAG]: 'someone-else' });
    sim.rds.addForeignSnapshot(nameOf(sim, 'orders-db', '202611240300'), 'orders-db', ownTags(sim, 'orders-db', '202611240300'));

    for (const runId of ['202611260300', '202611250300']) {
      const id = nameOf(sim, 'orders-db', runId);
      const plan = {
        clusterIdentifier: 'orders-db',
        runId,
        sharedSnapshotIdentifier: id,
        copyRequired: false,
        awaitingSnapshotIdentifier: id,
        snapshotArn: `arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:${id}`,
      };
      await expect(sim.invokeFunction('share-snapshot.lambda.ts', plan)).rejects.toMatchObject({
        name: 'AccessDenied',
        message: expect.stringContaining(`rds:ModifyDBClusterSnapshotAttribute on resource: arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:${id}`),
      });
      expect(sim.rds.restoreAccounts(id)).toEqual([]);
    }
    // Nor can it make one public, or share by a direct call.
    await expect(sendAs(sim, 'share-snapshot.lambda.ts', new ModifyDBClusterSnapshotAttributeCommand({
      DBClusterSnapshotIdentifier: nameOf(sim, 'orders-db', '202611260300'), AttributeName: 'restore', ValuesToAdd: ['all'],
    }))).rejects.toMatchObject({ name: 'AccessDenied' });
    // Control: our own snapshot is shared.
    await sendAs(sim, 'share-snapshot.lambda.ts', new ModifyDBClusterSnapshotAttributeCommand({
      DBClusterSnapshotIdentifier: nameOf(sim, 'orders-db', '202611240300'), AttributeName: 'restore', ValuesToAdd: TARGET_ACCOUNTS,
    }));
    expect(sim.rds.restoreAccounts(nameOf(sim, 'orders-db', '202611240300'))).toEqual(TARGET_ACCOUNTS);
  });

  test('calls outside any function (test setup) and with enforceIam off are not checked', async () => {
    sim = simulation(PROPS, { enforceIam: false });
    sim.rds.addCluster({ identifier: 'rogue-db' });
    sim.rds.addForeignSnapshot('foreign-snap', 'rogue-db');
    await new RDSClient({ region: 'eu-west-1' }).send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'rogue-db', DBClusterSnapshotIdentifier: 'setup-snap' }));
    await sendAs(sim, 'share-snapshot.lambda.ts', new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: 'foreign-snap' }));
    expect(sim.rds.calls.map((c) => c.error)).toEqual([undefined, undefined]);
    expect(sim.iam.decisions).toEqual([]);
  });
});
