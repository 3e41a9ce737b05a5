import { Duration } from 'aws-cdk-lib';
import {
  expectShared, FIRST_RUN, MINUTE, role, runDay, runId, scheduledRun, sharedSnapshots, simulation, snapshotIdOf, TARGET_ACCOUNTS, temporarySnapshots,
} from './harness';
import { AWS_MANAGED_RDS_KEY } from '../../sim/fake-rds';
import { reportExecution } from '../../sim/metrics';
import type { Simulation } from '../../sim/simulation';

const OTHER_CUSTOMER_KEY = 'arn:aws:kms:eu-west-1:111111111111:key/customer-app-key';

describe('simulated runs', () => {
  let sim: Simulation;
  afterEach(() => sim?.dispose());

  test('1. default-key, sharing-key and tag-discovered clusters each end with one re-encrypted, shared snapshot', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db', 'billing-db'], clusterTag: { key: 'share-snapshots', value: 'true' } });
    sim.rds.addCluster({ identifier: 'orders-db', kmsKeyId: AWS_MANAGED_RDS_KEY });
    sim.rds.addCluster({ identifier: 'billing-db', kmsKeyId: sim.sharingKeyArn });
    sim.rds.addCluster({ identifier: 'events-db', kmsKeyId: OTHER_CUSTOMER_KEY, tags: { 'share-snapshots': 'true' } });
    sim.rds.addCluster({ identifier: 'scratch-db', tags: { 'share-snapshots': 'false' } });
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.executions.map((e) => [e.input.clusterIdentifier, e.status])).toEqual([
      ['billing-db', 'SUCCEEDED'], ['events-db', 'SUCCEEDED'], ['orders-db', 'SUCCEEDED'],
    ]);
    for (const cluster of ['orders-db', 'billing-db', 'events-db']) {
      const [shared] = expectShared(sim, cluster);
      expect(shared.KmsKeyId).toBe(sim.sharingKeyArn);
    }
    expect(sim.rds.snapshotsOf('scratch-db')).toEqual([]);
  });

  test('2. the next run shares its snapshot before deleting the previous one, and exactly one remains', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'], retainSnapshots: 1 });
    sim.rds.addCluster({ identifier: 'orders-db' });
    await scheduledRun(sim, runDay(0));
    await scheduledRun(sim, runDay(1));

    const first = snapshotIdOf(sim, 'orders-db', runId(0), 'shared')!;
    const second = snapshotIdOf(sim, 'orders-db', runId(1), 'shared')!;
    const sharedAt = sim.rds.calls.findIndex((c) => c.api === 'ModifyDBClusterSnapshotAttribute' && c.snapshot === second && !c.error);
    const deletedAt = sim.rds.calls.findIndex((c) => c.api === 'DeleteDBClusterSnapshot' && c.snapshot === first && !c.error);
    expect(sharedAt).toBeGreaterThan(-1);
    expect(deletedAt).toBeGreaterThan(sharedAt);
    expect(expectShared(sim, 'orders-db').map((s) => s.DBClusterSnapshotIdentifier)).toEqual([second]);
    // From the first share on, the target account always had a snapshot to restore.
    const firstShared = sim.rds.lifecycles.get(first)!.sharedAt!;
    expect(sim.rds.unsharedWindowMs('orders-db', firstShared, Date.now())).toBe(0);
  });

  test('3. retainSnapshots 3 over five runs keeps the newest three', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'], retainSnapshots: 3 });
    sim.rds.addCluster({ identifier: 'orders-db' });
    for (let day = 0; day < 5; day++) await scheduledRun(sim, runDay(day));

    expect(expectShared(sim, 'orders-db', 3).map((s) => s.DBClusterSnapshotIdentifier).sort())
      .toEqual([2, 3, 4].map((day) => snapshotIdOf(sim, 'orders-db', runId(day), 'shared')).sort());
  });

  test('4. a user\'s own snapshots with similar names, or with look-alike tags, survive every run', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'], retainSnapshots: 1 });
    sim.rds.addCluster({ identifier: 'orders-db' });
    sim.rds.addForeignSnapshot('shared-orders-db-202611260300', 'orders-db');
    sim.rds.addForeignSnapshot('shared-orders-db-manual', 'orders-db');
    sim.rds.addForeignSnapshot('shared-orders-db-202611250300-tmp', 'orders-db', {
      'shared-cluster-snapshots:owner': 'someone-else',
      'shared-cluster-snapshots:cluster': 'orders-db',
      'shared-cluster-snapshots:role': 'temporary',
      'shared-cluster-snapshots:run': '202611250300',
    });
    for (let day = 0; day < 3; day++) await scheduledRun(sim, runDay(day));

    const ids = sim.rds.snapshotsOf('orders-db').map((s) => s.DBClusterSnapshotIdentifier);
    expect(ids).toEqual(expect.arrayContaining(['shared-orders-db-202611260300', 'shared-orders-db-manual', 'shared-orders-db-202611250300-tmp']));
    expect(sim.rds.calls.filter((c) => c.api === 'DeleteDBClusterSnapshot' && ids.includes(c.snapshot!))).toEqual([]);
    expect(sim.executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
  });

  test('5. a failed snapshot fails within one waitInterval, removes its leftovers and keeps the previous shared snapshot', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'], waitInterval: Duration.minutes(1) });
    sim.rds.addCluster({ identifier: 'orders-db' });
    await scheduledRun(sim, runDay(0));
    sim.rds.updateCluster('orders-db', { snapshotOutcome: 'failed', snapshotMs: 13.5 * MINUTE });
    await scheduledRun(sim, runDay(1));

    const failed = sim.executions[1];
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('SnapshotFailed');
    const failedAt = sim.rds.lifecycles.get(snapshotIdOf(sim, 'orders-db', runId(1), 'temporary')!)!.createdAt + 13.5 * MINUTE;
    expect(failed.stoppedAt! - failedAt).toBeLessThanOrEqual(1 * MINUTE);
    expect(temporarySnapshots(sim, 'orders-db')).toEqual([]);
    expect(expectShared(sim, 'orders-db').map((s) => s.DBClusterSnapshotIdentifier)).toEqual([snapshotIdOf(sim, 'orders-db', runId(0), 'shared')!]);
  });

  test('6. a stuck snapshot fails with SnapshotTimeout at snapshotTimeout, with bounded transitions', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'], snapshotTimeout: Duration.hours(2) });
    sim.rds.addCluster({ identifier: 'orders-db', snapshotOutcome: 'stuck' });
    await scheduledRun(sim, FIRST_RUN);

    const [execution] = sim.executions;
    expect(execution.error).toBe('SnapshotTimeout');
    const created = sim.rds.lifecycles.get(snapshotIdOf(sim, 'orders-db', runId(0), 'temporary')!)!.createdAt;
    expect(execution.stoppedAt! - created).toBeGreaterThanOrEqual(120 * MINUTE);
    expect(execution.stoppedAt! - created).toBeLessThan(121 * MINUTE);
    expect(execution.stateTransitions).toBeLessThanOrEqual(120 + 8);
    expect(sharedSnapshots(sim, 'orders-db')).toEqual([]);
  });

  test('7. a cluster backing-up for 20 minutes is snapshotted once it is available', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'] });
    sim.rds.addCluster({ identifier: 'orders-db', busyUntil: FIRST_RUN.getTime() + 20 * MINUTE });
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.executions[0].status).toBe('SUCCEEDED');
    expect(sim.rds.lifecycles.get(snapshotIdOf(sim, 'orders-db', runId(0), 'temporary')!)!.createdAt).toBeGreaterThanOrEqual(FIRST_RUN.getTime() + 20 * MINUTE);
    expectShared(sim, 'orders-db');
  });

  test('8a. an unencrypted cluster fails with UnencryptedCluster by default, creating nothing', async () => {
    sim = simulation({ clusterIdentifiers: ['plain-db'] });
    sim.rds.addCluster({ identifier: 'plain-db', kmsKeyId: null });
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.executions[0].error).toBe('UnencryptedCluster');
    expect(sim.rds.snapshotsOf('plain-db')).toEqual([]);
  });

  test('8b. with allowUnencrypted, an unencrypted cluster is shared as it is', async () => {
    sim = simulation({ clusterIdentifiers: ['plain-db'], allowUnencrypted: true });
    sim.rds.addCluster({ identifier: 'plain-db', kmsKeyId: null });
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.executions[0].status).toBe('SUCCEEDED');
    const [shared] = expectShared(sim, 'plain-db');
    expect(shared.StorageEncrypted).toBe(false);
    expect(sim.rds.calls.filter((c) => c.api === 'CopyDBClusterSnapshot')).toEqual([]);
  });

  test('9. with 30% of RDS calls throttled, every execution still succeeds', async () => {
    const clusters = ['a-db', 'b-db', 'c-db', 'd-db', 'e-db'];
    sim = simulation({ clusterIdentifiers: clusters }, { rdsFaults: { throttleRate: 0.3 }, seed: 7 });
    clusters.forEach((identifier) => sim.rds.addCluster({ identifier }));
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.rds.calls.filter((c) => c.error === 'Throttling').length).toBeGreaterThan(10);
    expect(sim.executions.map((e) => e.status)).toEqual(clusters.map(() => 'SUCCEEDED'));
    clusters.forEach((c) => expectShared(sim, c));
  });

  test('10. a schedule firing twice and manual starts racing it start nothing twice and create no duplicate', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'] });
    sim.rds.addCluster({ identifier: 'orders-db' });
    const first = await sim.fireSchedule(FIRST_RUN);
    const second = await sim.fireSchedule(FIRST_RUN);
    const byHandStarter = await sim.invokeStarter(undefined, { scheduledTime: FIRST_RUN.toISOString() });
    const sameMinute = sim.startExecution({ clusterIdentifier: 'orders-db' }); // same minute: the same run
    await sim.advance(5 * MINUTE);
    const later = sim.startExecution({ clusterIdentifier: 'orders-db' }); // a different run while this one works
    await sim.runUntilIdle();

    expect(first.result.started).toEqual(['orders-db']);
    // While the execution runs, AWS answers a repeated start (same name, same input) with the original.
    for (const repeat of [second, byHandStarter]) {
      expect(repeat.error).toBeUndefined();
      expect([...repeat.result.started, ...repeat.result.alreadyStarted]).toEqual(['orders-db']);
    }
    expect(sim.executions.filter((e) => e.name === 'orders-db-202611270300')).toHaveLength(1);
    expect(sameMinute.status).toBe('SUCCEEDED');
    // A different run while this one works is skipped, not failed (run-skipped.test.ts).
    expect(later.status).toBe('SUCCEEDED');
    expect(later.output).toMatchObject({ skipped: true, error: 'RunInProgress' });
    expect(sim.rds.calls.filter((c) => c.api === 'CreateDBClusterSnapshot' && !c.error)).toHaveLength(1);
    expect(expectShared(sim, 'orders-db').map((s) => s.DBClusterSnapshotIdentifier)).toEqual([snapshotIdOf(sim, 'orders-db', runId(0), 'shared')!]);

    // Once the run has ended, a late duplicate firing is refused by name and starts nothing.
    const late = await sim.fireSchedule(FIRST_RUN);
    expect(late.result).toMatchObject({ started: [], alreadyStarted: ['orders-db'] });
    expect(sim.executions.filter((e) => e.name === 'orders-db-202611270300')).toHaveLength(1);
  });

  test('11a. a handler crash after the copy started fails cleanly; the next run succeeds', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'] }, { lambdaFaults: { crashes: [{ state: 'CheckCopy', times: 1 }] } });
    sim.rds.addCluster({ identifier: 'orders-db' });
    await scheduledRun(sim, runDay(0));
    expect(sim.executions[0].status).toBe('FAILED');
    expect(sim.executions[0].error).toBe('Runtime.ExitError');
    expect(sim.rds.snapshotsOf('orders-db')).toEqual([]);

    await scheduledRun(sim, runDay(1));
    expect(sim.executions[1].status).toBe('SUCCEEDED');
    expectShared(sim, 'orders-db');
  });

  test('11b. an execution aborted while copying leaves a stale temporary snapshot that the next run removes', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'] });
    sim.rds.addCluster({ identifier: 'orders-db' });
    await sim.fireSchedule(runDay(0));
    await sim.advance(12 * MINUTE); // snapshot done at 10 min, copy under way
    expect(sim.rds.snapshot(snapshotIdOf(sim, 'orders-db', runId(0), 'shared')!)?.Status).toBe('copying');
    sim.executions[0].abort();
    await sim.runUntilIdle();
    expect(sim.executions[0].status).toBe('ABORTED');
    expect(temporarySnapshots(sim, 'orders-db').map((s) => s.Status)).toEqual(['available']);

    await scheduledRun(sim, runDay(1));
    expect(sim.executions[1].status).toBe('SUCCEEDED');
    expect(sim.rds.calls.some((c) => c.api === 'DeleteDBClusterSnapshot' && c.snapshot === snapshotIdOf(sim, 'orders-db', runId(0), 'temporary')!)).toBe(true);
    expect(expectShared(sim, 'orders-db').map((s) => s.DBClusterSnapshotIdentifier)).toEqual([snapshotIdOf(sim, 'orders-db', runId(1), 'shared')!]);
  });

  // On the sharing key, so no copy: RDS runs at most five copies at a time (realism.test.ts covers that).
  test('12. fifty clusters run in parallel: the run takes about as long as one cluster', async () => {
    const clusters = Array.from({ length: 50 }, (_, i) => `fleet-db-${String(i).padStart(2, '0')}`);
    sim = simulation({ clusterIdentifiers: clusters });
    clusters.forEach((identifier) => sim.rds.addCluster({ identifier, kmsKeyId: sim.sharingKeyArn }));
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.executions).toHaveLength(50);
    expect(sim.executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
    const runDuration = Math.max(...sim.executions.map((e) => e.stoppedAt!)) - FIRST_RUN.getTime();
    const oneCluster = sim.executions[0].durationMs!;
    expect(runDuration).toBeLessThanOrEqual(oneCluster + 2 * MINUTE); // the starter paces starts over about two minutes
    clusters.forEach((c) => expectShared(sim, c));
    const [shared] = sharedSnapshots(sim, 'fleet-db-00');
    expect(reportExecution(sim, sim.executions[0]).detectionLatencyMs).toEqual({ [shared.DBClusterSnapshotIdentifier!]: 0 });
    expect(TARGET_ACCOUNTS).toHaveLength(2);
    expect(sim.rds.snapshotsOf('fleet-db-00').every((s) => role(s) === 'shared')).toBe(true);
  });
});
