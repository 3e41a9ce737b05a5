/**
 * DB instances beside clusters, end to end in the simulator: the synthesized construct, its IAM
 * evaluated on every RDS call, the handlers' real code, the in-memory RDS (sim/rds-instances.ts).
 */
import type { DBSnapshot } from '@aws-sdk/client-rds';
import { FIRST_RUN, MINUTE, runDay, scheduledRun, simulation, TARGET_ACCOUNTS } from './harness';
import { AWS_MANAGED_RDS_KEY } from '../../sim/aws-env';
import type { Simulation } from '../../sim/simulation';
import { TAG_ROLE } from '../../src/shared/constants';

const roleOf = (s: DBSnapshot) => s.TagList?.find((t) => t.Key === TAG_ROLE)?.Value;

function instanceSnapshots(sim: Simulation, instance: string, role?: string): DBSnapshot[] {
  return sim.rds.instances.snapshotsOf(instance).filter((s) => role === undefined || roleOf(s) === role);
}

function lastExecution(sim: Simulation, input: Record<string, string>) {
  const matches = sim.executions.filter((e) => Object.entries(input).every(([k, v]) => e.input?.[k] === v));
  return matches[matches.length - 1];
}

describe('a mixed fleet: an Aurora cluster and DB instances', () => {
  let sim: Simulation;
  afterEach(() => sim?.dispose());

  test('every database ends shared with the targets, re-encrypted where needed; the previous snapshots go only after the new ones are shared', async () => {
    sim = simulation({ clusterIdentifiers: ['orders-db'], instanceIdentifiers: ['billing-pg', 'ledger-mysql'] });
    sim.rds.addCluster({ identifier: 'orders-db', kmsKeyId: AWS_MANAGED_RDS_KEY, snapshotMs: 8 * MINUTE, copyMs: 9 * MINUTE });
    sim.rds.instances.addInstance({ identifier: 'billing-pg', snapshotMs: 6 * MINUTE, copyMs: 7 * MINUTE });
    sim.rds.instances.addInstance({ identifier: 'ledger-mysql', engine: 'mysql', kmsKeyId: sim.sharingKeyArn, snapshotMs: 5 * MINUTE });

    for (const day of [0, 1]) await scheduledRun(sim, runDay(day));

    expect(sim.executions.map((e) => e.status)).toEqual(Array(6).fill('SUCCEEDED'));
    for (const instance of ['billing-pg', 'ledger-mysql']) {
      const shared = instanceSnapshots(sim, instance, 'shared');
      expect(shared).toHaveLength(1);
      expect(shared[0]).toMatchObject({ Status: 'available', KmsKeyId: sim.sharingKeyArn, SnapshotType: 'manual' });
      expect(sim.rds.instances.restoreAccounts(shared[0].DBSnapshotIdentifier!)).toEqual(TARGET_ACCOUNTS);
      expect(instanceSnapshots(sim, instance, 'temporary')).toEqual([]);
      // The day-0 snapshot was deleted only once day 1's was shared: no window without a restore point.
      const from = [...sim.rds.instances.lifecycles.values()].find((l) => l.clusterId === instance && l.sharedAt)!.sharedAt!;
      expect(sim.rds.unsharedWindowMs(instance, from, Date.now(), 'instance')).toBe(0);
    }
    expect(sim.rds.snapshotsOf('orders-db').filter((s) => s.TagList?.some((t) => t.Key === TAG_ROLE && t.Value === 'shared'))).toHaveLength(1);
    // The default-key instance was snapshotted, then copied with the sharing key; the one on it, not copied.
    const calls = (api: string) => sim.rds.calls.filter((c) => c.api === api && !c.error).map((c) => c.snapshot);
    expect(calls('CopyDBSnapshot').every((id) => id?.includes('billing-pg'))).toBe(true);
    expect(calls('CopyDBSnapshot')).toHaveLength(2);
    const billing = lastExecution(sim, { instanceIdentifier: 'billing-pg' });
    expect(billing.output).toMatchObject({ databaseKind: 'instance', databaseIdentifier: 'billing-pg', clusterIdentifier: 'billing-pg' });
    expect(billing.output.snapshotArn).toMatch(/^arn:aws:rds:eu-west-1:111111111111:snapshot:shared-billing-pg-/);
  });

  test('instances found by tag; an Aurora member, a read replica and a missing instance each fail by name, leaving nothing behind', async () => {
    sim = simulation({ instanceIdentifiers: ['gone-pg'], instanceTag: { key: 'share', value: 'yes' } });
    sim.rds.instances.addInstance({ identifier: 'tagged-pg', tags: { share: 'yes' }, snapshotMs: MINUTE, copyMs: MINUTE });
    sim.rds.instances.addInstance({ identifier: 'aurora-1', engine: 'aurora-postgresql', clusterIdentifier: 'orders-db', tags: { share: 'yes' } });
    sim.rds.instances.addInstance({ identifier: 'replica-pg', readReplicaSourceIdentifier: 'tagged-pg', tags: { share: 'yes' } });
    sim.rds.instances.addInstance({ identifier: 'untagged-pg' });

    await scheduledRun(sim, FIRST_RUN);

    const outcome = (id: string) => {
      const e = lastExecution(sim, { instanceIdentifier: id });
      return e && [e.status, e.error];
    };
    expect(outcome('tagged-pg')).toEqual(['SUCCEEDED', undefined]);
    expect(outcome('aurora-1')).toEqual(['FAILED', 'InstanceIsClusterMember']);
    expect(outcome('replica-pg')).toEqual(['FAILED', 'InstanceIsReadReplica']);
    expect(outcome('gone-pg')).toEqual(['FAILED', 'InstanceNotFound']);
    expect(outcome('untagged-pg')).toBeUndefined();
    expect(lastExecution(sim, { instanceIdentifier: 'gone-pg' }).cause).toContain("DB instance 'gone-pg' does not exist");
    for (const id of ['aurora-1', 'replica-pg', 'untagged-pg']) expect(sim.rds.instances.snapshotsOf(id)).toEqual([]);
    expect(sim.rds.calls.filter((c) => c.error === 'AccessDenied')).toEqual([]);
  });
});
