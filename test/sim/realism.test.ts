/**
 * Scenarios against AWS as it runs today (issue 8). Most need the handler work of this round
 * (encryption types, copy concurrency, visibility grace, revocation, owner-discriminated names) and
 * fail on the handlers of main 017dd36; each test says so. Names are read from the fake's state,
 * never assumed.
 */
import { Duration } from 'aws-cdk-lib';
import {
  expectShared, FIRST_RUN, MINUTE, ownerOf, role, runDay, scheduledRun, sharedSnapshots, simulation, snapshotIdOf, TARGET_ACCOUNTS,
} from './harness';
import { AWS_MANAGED_RDS_KEY, AWS_OWNED_KEY } from '../../sim/aws-env';
import { synthesizeInstances, synthesizeTemplate } from '../../sim/example-stack';
import { Simulation } from '../../sim/simulation';
import { ENV, ERROR } from '../../src/shared/constants';
import { runIdFromTime } from '../../src/shared/naming.lambda-shared';

const CUSTOMER_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/customer-app-key';
const OTHER_TARGETS = ['444444444444'];

function copyCalls(sim: Simulation) {
  return sim.rds.calls.filter((c) => c.api === 'CopyDBClusterSnapshot' && !c.error);
}

/** The most copies in progress at any one time, from each shared copy's lifetime. */
function peakConcurrentCopies(sim: Simulation): number {
  const copies = [...sim.rds.lifecycles.values()].filter((l) => copyCalls(sim).some((c) => c.snapshot === l.id));
  const edges = copies
    .flatMap((l) => [[l.createdAt, 1], [l.availableAt ?? l.deletedAt ?? Date.now(), -1]] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let peak = 0;
  for (const [, delta] of edges) peak = Math.max(peak, (current += delta));
  return peak;
}

describe('realism: encryption types', () => {
  let sim: Simulation;
  afterEach(() => sim?.dispose());

  // Needs B1 (Prepare reads StorageEncryptionType): today UnencryptedCluster.
  test('an AWS-owned-key (sse-rds) cluster is copied with the sharing key and the copy shared', async () => {
    sim = simulation({ clusterIdentifiers: ['owned-db'] });
    sim.rds.addCluster({ identifier: 'owned-db', kmsKeyId: AWS_OWNED_KEY });
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.executions.map((e) => [e.status, e.error])).toEqual([['SUCCEEDED', undefined]]);
    const [shared] = expectShared(sim, 'owned-db');
    expect(shared).toMatchObject({ StorageEncryptionType: 'sse-kms', KmsKeyId: sim.sharingKeyArn });
    expect(copyCalls(sim)).toHaveLength(1);
  });

  // Needs B1: today it tries to share the sse-rds snapshot as it is, which RDS refuses.
  test('allowUnencrypted never shares an AWS-owned-key snapshot as it is; only a none cluster is shared unencrypted', async () => {
    sim = simulation({ clusterIdentifiers: ['owned-db', 'plain-db'], allowUnencrypted: true });
    sim.rds.addCluster({ identifier: 'owned-db', kmsKeyId: AWS_OWNED_KEY });
    sim.rds.addCluster({ identifier: 'plain-db', kmsKeyId: null });
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.executions.map((e) => [e.input.clusterIdentifier, e.status])).toEqual([['owned-db', 'SUCCEEDED'], ['plain-db', 'SUCCEEDED']]);
    expect(expectShared(sim, 'owned-db')[0]).toMatchObject({ KmsKeyId: sim.sharingKeyArn });
    expect(expectShared(sim, 'plain-db')[0]).toMatchObject({ StorageEncryptionType: 'none', StorageEncrypted: false });
    expect(sim.rds.calls.filter((c) => c.api === 'ModifyDBClusterSnapshotAttribute' && c.error)).toEqual([]);
  });

  // Passes today: aws/rds and customer keys are copied; the sharing key is not; the fallback works without StorageEncryptionType.
  test('aws/rds and customer-key clusters are copied with the sharing key, with or without StorageEncryptionType', async () => {
    const clusters = ['managed-db', 'customer-db', 'legacy-db', 'sharing-db'];
    sim = simulation({ clusterIdentifiers: clusters });
    sim.rds.addCluster({ identifier: 'managed-db', kmsKeyId: AWS_MANAGED_RDS_KEY });
    sim.rds.addCluster({ identifier: 'customer-db', kmsKeyId: CUSTOMER_KEY });
    sim.rds.addCluster({ identifier: 'legacy-db', kmsKeyId: CUSTOMER_KEY, omitStorageEncryptionType: true });
    sim.rds.addCluster({ identifier: 'sharing-db', kmsKeyId: sim.sharingKeyArn });
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
    for (const c of clusters) expect(expectShared(sim, c)[0].KmsKeyId).toBe(sim.sharingKeyArn);
    expect(copyCalls(sim).map((c) => c.caller.split('-')[0]).sort()).toEqual(['customer', 'legacy', 'managed']);
  });

  // Needs B1 (ERROR.ReEncryptionRefused). Which error RDS answers is not documented: the fake uses
  // InvalidParameterCombination (sim/rds-encryption.ts).
  test('a copy RDS refuses to re-encrypt fails the run with ReEncryptionRefused and leaves nothing', async () => {
    sim = simulation({ clusterIdentifiers: ['owned-db'] }, { rdsFaults: { reEncryptionRefused: { types: ['sse-rds'] } } });
    sim.rds.addCluster({ identifier: 'owned-db', kmsKeyId: AWS_OWNED_KEY });
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.executions.map((e) => [e.status, e.error])).toEqual([['FAILED', ERROR.ReEncryptionRefused]]);
    expect(sim.rds.snapshotsOf('owned-db')).toEqual([]);
  });
});

describe('realism: copy limit and visibility', () => {
  let sim: Simulation;
  afterEach(() => sim?.dispose());

  // Needs B1 (CopyLimitReached retried): today the sixth copy fails with SnapshotQuotaExceeded.
  test('12 clusters that all need a copy succeed under the five-copy limit', async () => {
    const clusters = Array.from({ length: 12 }, (_, i) => `copy-db-${String(i).padStart(2, '0')}`);
    sim = simulation({ clusterIdentifiers: clusters });
    clusters.forEach((identifier) => sim.rds.addCluster({ identifier }));
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.executions.map((e) => [e.input.clusterIdentifier, e.status, e.error])).toEqual(clusters.map((c) => [c, 'SUCCEEDED', undefined]));
    clusters.forEach((c) => expectShared(sim, c));
    expect(peakConcurrentCopies(sim)).toBeLessThanOrEqual(5);
    // Floor: one 10-minute snapshot, then ceil(12 / 5) = 3 waves of 10-minute copies.
    const runMs = Math.max(...sim.executions.map((e) => e.stoppedAt!)) - FIRST_RUN.getTime();
    expect(runMs).toBeLessThanOrEqual(2 * (10 + 3 * 10) * MINUTE);
  });

  // Needs A (prop) and B1 (the copy handler's own cap).
  test('maxConcurrentCopies 2 reaches the CopySnapshot function and keeps at most two copies in flight', async () => {
    const clusters = ['a-db', 'b-db', 'c-db', 'd-db', 'e-db'];
    sim = simulation({ clusterIdentifiers: clusters, maxConcurrentCopies: 2 } as Record<string, unknown>);
    clusters.forEach((identifier) => sim.rds.addCluster({ identifier }));
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.findFunction('copy-snapshot.lambda.ts').environment[ENV.MAX_CONCURRENT_COPIES]).toBe('2');
    expect(sim.executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
    expect(peakConcurrentCopies(sim)).toBeLessThanOrEqual(2);
  });

  // Needs B1 (SNAPSHOT_VISIBILITY_GRACE_SECONDS): today the first check's "not found" is SnapshotFailed.
  test('a snapshot and a copy invisible to Describe for 2 minutes after the call still succeed', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'], waitInterval: Duration.minutes(1) }, { rdsFaults: { visibilityDelayMs: 2 * MINUTE } });
    sim.rds.addCluster({ identifier: 'orders-db' });
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.executions.map((e) => [e.status, e.error])).toEqual([['SUCCEEDED', undefined]]);
    // The workflow did look while its snapshot was still invisible.
    const created = [...sim.rds.lifecycles.values()].map((l) => l.createdAt);
    const describes = sim.rds.calls.filter((c) => c.api === 'DescribeDBClusterSnapshots' && c.caller === sim.executions[0].name);
    expect(describes.some((c) => created.some((t) => c.at > t && c.at < t + 2 * MINUTE))).toBe(true);
    expectShared(sim, 'orders-db');
  });
});

describe('realism: revocation', () => {
  let sim: Simulation;
  afterEach(() => sim?.dispose());

  // Needs B1/B2 (Share sets restore to exactly the targets on every retained snapshot).
  test('an account removed from targetAccountIds loses access to every retained snapshot at the next run', async () => {
    const [kept, removed] = TARGET_ACCOUNTS;
    sim = simulation({ clusterIdentifiers: ['orders-db'], retainSnapshots: 3 });
    sim.rds.addCluster({ identifier: 'orders-db' });
    for (let day = 0; day < 3; day++) await scheduledRun(sim, runDay(day));
    expectShared(sim, 'orders-db', 3);

    sim.redeploy(synthesizeTemplate({ clusterIdentifiers: ['orders-db'], retainSnapshots: 3, targetAccountIds: [kept] }));
    await scheduledRun(sim, runDay(3));

    expect(sim.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const retained = sharedSnapshots(sim, 'orders-db');
    expect(retained).toHaveLength(3);
    for (const s of retained) {
      const id = s.DBClusterSnapshotIdentifier!;
      expect([id, sim.rds.restoreAccounts(id)]).toEqual([id, [kept]]);
    }
    expect(retained.some((s) => sim.rds.restoreAccounts(s.DBClusterSnapshotIdentifier!).includes(removed))).toBe(false);
  });
});

describe('realism: two instances on the same clusters and schedule', () => {
  let sim: Simulation;
  afterEach(() => sim?.dispose());

  /** Both instances succeed for two days and end with their own snapshot per cluster; no one deletes another's. */
  async function expectBothSucceed(clusters: string[], targets: string[][]): Promise<void> {
    clusters.forEach((identifier) => sim.rds.addCluster({ identifier }));
    await scheduledRun(sim, runDay(0));
    await scheduledRun(sim, runDay(1));

    const instances = sim.instances;
    expect(instances).toHaveLength(2);
    expect(instances[0].ownerId).not.toEqual(instances[1].ownerId);
    for (const [i, instance] of instances.entries()) {
      expect(instance.executions.map((e) => [e.input.clusterIdentifier, e.status, e.error]).sort()).toEqual(
        [...clusters, ...clusters].sort().map((c) => [c, 'SUCCEEDED', undefined]));
      for (const cluster of clusters) {
        const own = sim.rds.snapshotsOf(cluster).filter((s) => ownerOf(s) === instance.ownerId);
        expect(own.map(role)).toEqual(['shared']);
        expect(own[0].DBClusterSnapshotIdentifier).toBe(snapshotIdOf(sim, cluster, runIdFromTime(runDay(1)), 'shared', instance.ownerId));
        expect(sim.rds.restoreAccounts(own[0].DBClusterSnapshotIdentifier!).sort()).toEqual([...targets[i]].sort());
      }
      // Every snapshot this instance's functions deleted was its own.
      const deleted = sim.rds.calls.filter((c) => c.api === 'DeleteDBClusterSnapshot' && !c.error && instance.functionIds.includes(c.functionId!));
      expect(deleted.length).toBeGreaterThan(0);
      expect(deleted.filter((c) => ownerOf(sim.rds.lifecycles.get(c.snapshot!)!) !== instance.ownerId)).toEqual([]);
    }
  }

  // Needs B2 (owner discriminator in names): today both derive the same names (SnapshotIdentifierConflict).
  test('two instances in one stack, default props but their targets, both succeed and each deletes only its own', async () => {
    const clusters = ['orders-db', 'billing-db'];
    sim = new Simulation({
      template: synthesizeInstances({
        Snapshots: { clusterIdentifiers: clusters },
        TeamB: { clusterIdentifiers: clusters, targetAccountIds: OTHER_TARGETS },
      }),
    });
    await expectBothSucceed(clusters, [TARGET_ACCOUNTS, OTHER_TARGETS]);
  });

  // Needs B2, as above.
  test('two apps with identical props on the same clusters both succeed and each deletes only its own', async () => {
    const clusters = ['orders-db'];
    sim = new Simulation({
      templates: [synthesizeTemplate({ clusterIdentifiers: clusters }, 'AppA'), synthesizeTemplate({ clusterIdentifiers: clusters }, 'AppB')],
    });
    await expectBothSucceed(clusters, [TARGET_ACCOUNTS, TARGET_ACCOUNTS]);
  });
});
