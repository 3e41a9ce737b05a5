import { Duration } from 'aws-cdk-lib';
import {
  expectShared, FIRST_RUN, MINUTE, runId, scheduledRun, sharedSnapshots, simulation, snapshotIdOf, TARGET_ACCOUNTS, temporarySnapshots,
} from './harness';
import { reportExecution } from '../../sim/metrics';
import type { Simulation } from '../../sim/simulation';

// The synthesized state machine, run locally with the real handlers against the in-memory RDS.
describe('state machine', () => {
  let sim: Simulation;
  afterEach(() => sim?.dispose());

  test('happy path with a copy: snapshot, re-encrypt, share, remove the temporary snapshot', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'] });
    sim.rds.addCluster({ identifier: 'orders-db' }); // encrypted with the AWS-managed key
    await scheduledRun(sim, FIRST_RUN);

    const [execution] = sim.executions;
    expect(execution.status).toBe('SUCCEEDED');
    const [shared] = expectShared(sim, 'orders-db');
    expect(shared.KmsKeyId).toBe(sim.sharingKeyArn);
    // The run result, which is also the Cluster Snapshot Shared event's detail.
    const result = {
      clusterIdentifier: 'orders-db',
      databaseKind: 'cluster',
      databaseIdentifier: 'orders-db',
      snapshotSource: 'new',
      snapshotIdentifier: snapshotIdOf(sim, 'orders-db', runId(0), 'shared'),
      snapshotArn: `arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:${snapshotIdOf(sim, 'orders-db', runId(0), 'shared')}`,
      kmsKeyArn: sim.sharingKeyArn,
      sharedWith: TARGET_ACCOUNTS,
      runId: runId(0),
      snapshotCreateTime: shared.SnapshotCreateTime!.toISOString(),
    };
    expect(execution.output).toEqual(result);
    expect(sim.putEvents).toEqual([{
      at: expect.any(Number),
      execution: execution.name,
      state: 'PublishSnapshotShared',
      entry: { Source: 'cdk-shared-cluster-snapshots', DetailType: 'Cluster Snapshot Shared', Detail: result },
    }]);
    const report = reportExecution(sim, execution);
    expect(report.rdsCalls.CopyDBClusterSnapshot).toBe(1);
    expect(report.timeline.map((t) => t.state)).toEqual([
      'StartDelayed', 'Prepare', 'CreateSnapshot', 'WaitForSnapshot', 'CheckSnapshot', 'CopyRequired',
      'CopySnapshot', 'WaitForCopy', 'CheckCopy', 'ShareSnapshot', 'CleanUp', 'PublishSnapshotShared',
    ]);
  });

  test('happy path without a copy: a cluster on the sharing key is shared as snapshotted', async () => {
    sim = simulation({ clusterIdentifiers: ['billing-db'] });
    sim.rds.addCluster({ identifier: 'billing-db', kmsKeyId: sim.sharingKeyArn });
    await scheduledRun(sim, FIRST_RUN);

    const [execution] = sim.executions;
    expect(execution.status).toBe('SUCCEEDED');
    expect(reportExecution(sim, execution).rdsCalls.CopyDBClusterSnapshot).toBeUndefined();
    expect(sim.rds.calls.filter((c) => c.api === 'CopyDBClusterSnapshot')).toEqual([]);
    const [shared] = expectShared(sim, 'billing-db');
    expect(shared.DBClusterSnapshotIdentifier).toBe(snapshotIdOf(sim, 'billing-db', runId(0), 'shared')!);
    expect(shared.KmsKeyId).toBe(sim.sharingKeyArn);
  });

  test('a failed snapshot fails the execution with SnapshotFailed and deletes it', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'] });
    sim.rds.addCluster({ identifier: 'orders-db', snapshotOutcome: 'failed', snapshotMs: 7 * MINUTE });
    await scheduledRun(sim, FIRST_RUN);

    const [execution] = sim.executions;
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('SnapshotFailed');
    expect(execution.cause).toContain('is \'failed\'');
    expect(sim.rds.snapshotsOf('orders-db')).toEqual([]);
  });

  test('a snapshot that never finishes fails with SnapshotTimeout at snapshotTimeout', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'], snapshotTimeout: Duration.minutes(30) });
    sim.rds.addCluster({ identifier: 'orders-db', snapshotOutcome: 'stuck' });
    await scheduledRun(sim, FIRST_RUN);

    const [execution] = sim.executions;
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('SnapshotTimeout');
    const created = sim.rds.lifecycles.get(snapshotIdOf(sim, 'orders-db', runId(0), 'temporary')!)!.createdAt;
    expect(execution.stoppedAt! - created).toBeGreaterThanOrEqual(30 * MINUTE);
    expect(execution.stoppedAt! - created).toBeLessThanOrEqual(31 * MINUTE);
    // 30 checks, plus the fixed states: bounded, never a loop
    expect(execution.stateTransitions).toBeLessThanOrEqual(30 + 8);
    // RDS will not delete a snapshot while it is creating: left for a later run, never shared
    expect(temporarySnapshots(sim, 'orders-db').map((s) => s.Status)).toEqual(['creating']);
    expect(sharedSnapshots(sim, 'orders-db')).toEqual([]);
  });
});
