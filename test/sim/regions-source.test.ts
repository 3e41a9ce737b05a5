/**
 * SharedClusterSnapshots with `regions` in the simulator (its Regions: sim/rds-regions.ts): the
 * shared snapshot copied into the other Region under that Region's key, shared there with the same
 * targets, older copies deleted there only once the new one is shared; a Region whose key is
 * disabled fails by name and leaves the home Region's shared snapshot as it is. IAM is enforced.
 */
import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { expectShared, runDay, runId, scheduledRun, simulation, snapshotIdOf, TARGET_ACCOUNTS } from './harness';
import { ACCOUNT } from '../../sim/aws-env';
import type { Simulation } from '../../sim/simulation';
import { EVENT_DETAIL_TYPE } from '../../src/shared/constants';

const DR = 'us-east-1';
const DR_KEY = `arn:aws:kms:${DR}:${ACCOUNT}:key/dr-key`;

function regions() {
  return [{ region: DR, encryptionKey: kms.Key.fromKeyArn(new Stack(), 'DrKey', DR_KEY) }];
}

/** An event's detail as the state machine puts it (Step Functions' PutEvents integration takes it as JSON). */
function detailOf(e: { entry: Record<string, unknown> }): any {
  return typeof e.entry.Detail === 'string' ? JSON.parse(e.entry.Detail) : e.entry.Detail;
}

function drShared(sim: Simulation, cluster: string) {
  return sim.rds.inRegion(DR).snapshotsOf(cluster)
    .filter((s) => s.TagList?.some((t) => t.Key === 'shared-cluster-snapshots:role' && t.Value === 'shared'));
}

describe('regions (source)', () => {
  let sim: Simulation;
  afterEach(() => sim?.dispose());

  test('A source with one extra Region shares each snapshot in both Regions with the same targets and deletes older ones per Region only after the new one is shared there', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'], regions: regions() });
    sim.rds.addCluster({ identifier: 'orders-db' });
    expect(sim.rds.inRegion(DR).kms.addKey('dr-key')).toBe(DR_KEY);
    await scheduledRun(sim, runDay(0));
    await scheduledRun(sim, runDay(1));

    expect(sim.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const [home] = expectShared(sim, 'orders-db');
    const second = snapshotIdOf(sim, 'orders-db', runId(1), 'shared')!;
    const first = snapshotIdOf(sim, 'orders-db', runId(0), 'shared')!;
    expect(home.DBClusterSnapshotIdentifier).toBe(second);

    const dr = drShared(sim, 'orders-db');
    expect(dr.map((s) => [s.DBClusterSnapshotIdentifier, s.Status, s.KmsKeyId])).toEqual([[second, 'available', DR_KEY]]);
    expect(dr[0].DBClusterSnapshotArn).toBe(`arn:aws:rds:${DR}:${ACCOUNT}:cluster-snapshot:${second}`);
    expect(sim.rds.inRegion(DR).restoreAccounts(second).sort()).toEqual([...TARGET_ACCOUNTS].sort());

    // In the DR Region: the second run's copy was shared before the first run's copy was deleted there.
    const drCalls = sim.rds.calls.filter((c) => c.region === DR && !c.error);
    const sharedAt = drCalls.findIndex((c) => c.api === 'ModifyDBClusterSnapshotAttribute' && c.snapshot === second);
    const deletedAt = drCalls.findIndex((c) => c.api === 'DeleteDBClusterSnapshot' && c.snapshot === first);
    expect(sharedAt).toBeGreaterThan(-1);
    expect(deletedAt).toBeGreaterThan(sharedAt);
    // The copy was called in the DR Region, from the home Region's shared snapshot, under the DR key.
    expect(drCalls.filter((c) => c.api === 'CopyDBClusterSnapshot')).toHaveLength(2);

    // Each Region's share put a Cluster Snapshot Shared event; the DR one names its Region.
    const shared = sim.putEvents.filter((e) => e.entry.DetailType === EVENT_DETAIL_TYPE.shared).map(detailOf);
    expect(shared.filter((d) => d.region === DR).map((d) => d.snapshotArn))
      .toEqual([first, second].map((id) => `arn:aws:rds:${DR}:${ACCOUNT}:cluster-snapshot:${id}`));
    expect(shared.filter((d) => d.region === undefined)).toHaveLength(2);
  });

  test('a Region whose key is disabled fails the run with RegionCopyFailed naming KmsKeyNotAccessible, and the home Region keeps its shared snapshot', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'], regions: regions() });
    sim.rds.addCluster({ identifier: 'orders-db' });
    sim.rds.inRegion(DR).kms.disable(sim.rds.inRegion(DR).kms.addKey('dr-key'));
    await scheduledRun(sim, runDay(0));

    const [execution] = sim.executions;
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('RegionCopyFailed');
    expect(execution.cause).toMatch(/KmsKeyNotAccessible/);
    expect(execution.cause).toContain(DR);
    const [home] = expectShared(sim, 'orders-db');
    expect(home.DBClusterSnapshotIdentifier).toBe(snapshotIdOf(sim, 'orders-db', runId(0), 'shared'));
    expect(drShared(sim, 'orders-db')).toEqual([]);
    const failed = sim.putEvents.filter((e) => e.entry.DetailType === EVENT_DETAIL_TYPE.failed).map(detailOf);
    expect(failed).toEqual([expect.objectContaining({ clusterIdentifier: 'orders-db', region: DR, error: 'KmsKeyNotAccessible' })]);
  });
});
