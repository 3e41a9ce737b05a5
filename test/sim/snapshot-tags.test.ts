/**
 * `snapshotTags` end to end: the synthesized template's environment, the real handlers, and the
 * in-memory RDS authorizing each call against the synthesized role policies (request tags included).
 */
import { expectShared, FIRST_RUN, scheduledRun, simulation, temporarySnapshots } from './harness';
import { AWS_MANAGED_RDS_KEY } from '../../sim/fake-rds';
import type { Simulation } from '../../sim/simulation';

const EXTRA = { 'cost-center': '1234', 'team': 'data platform' };

describe('snapshotTags in a simulated run', () => {
  let sim: Simulation;
  afterEach(() => sim?.dispose());

  test('the temporary snapshot and the shared copy both carry the extra tags besides the construct\'s own', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'], snapshotTags: EXTRA });
    sim.rds.addCluster({ identifier: 'orders-db', kmsKeyId: AWS_MANAGED_RDS_KEY });
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    const [shared] = expectShared(sim, 'orders-db');
    expect(shared.TagList).toEqual(expect.arrayContaining([{ Key: 'cost-center', Value: '1234' }, { Key: 'team', Value: 'data platform' }]));
    expect(shared.TagList).toHaveLength(4 + Object.keys(EXTRA).length);
    // The temporary snapshot is gone; its create request carried the tags too.
    expect(temporarySnapshots(sim, 'orders-db')).toEqual([]);
    const creates = sim.rds.calls.filter((c) => c.api === 'CreateDBClusterSnapshot' && !c.error);
    expect(creates).toHaveLength(1);
    const created = [...sim.rds.lifecycles.values()].find((l) => l.id === creates[0].snapshot)!;
    expect(created.tags).toEqual(expect.arrayContaining([{ Key: 'cost-center', Value: '1234' }]));
  });
});
