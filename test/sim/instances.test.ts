/**
 * DB instances beside clusters, end to end in the simulator: the synthesized construct, its IAM
 * evaluated on every RDS call, the handlers' real code, the in-memory RDS (sim/rds-instances.ts).
 */
import type { DBSnapshot } from '@aws-sdk/client-rds';
import { Duration } from 'aws-cdk-lib';
import { FIRST_RUN, MINUTE, runDay, scheduledRun, simulation, TARGET_ACCOUNTS } from './harness';
import { AWS_MANAGED_RDS_KEY } from '../../sim/aws-env';
import type { Simulation } from '../../sim/simulation';
import { SnapshotSource } from '../../src';
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

  test('a TDE instance and a Multi-AZ cluster on the default key are refused by name, leaving nothing behind; Oracle Timezone and a Multi-AZ cluster on the sharing key are shared', async () => {
    sim = simulation({ clusterIdentifiers: ['maz-default', 'maz-shared'], instanceIdentifiers: ['ledger-tde', 'ledger-tz', 'orders-pg'] });
    sim.rds.addCluster({ identifier: 'maz-default', engine: 'postgres', snapshotMs: MINUTE });
    sim.rds.addCluster({ identifier: 'maz-shared', engine: 'mysql', kmsKeyId: sim.sharingKeyArn, snapshotMs: MINUTE });
    sim.rds.instances.addOptionGroup({ name: 'ora-tde', engine: 'oracle-ee', options: [{ name: 'TDE', permanent: true, persistent: true }] });
    sim.rds.instances.addOptionGroup({ name: 'ora-tz', engine: 'oracle-ee', options: [{ name: 'Timezone', permanent: true, persistent: true }] });
    sim.rds.instances.addInstance({ identifier: 'ledger-tde', engine: 'oracle-ee', optionGroupName: 'ora-tde', kmsKeyId: sim.sharingKeyArn });
    sim.rds.instances.addInstance({ identifier: 'ledger-tz', engine: 'oracle-ee', optionGroupName: 'ora-tz', snapshotMs: MINUTE, copyMs: MINUTE });
    sim.rds.instances.addInstance({ identifier: 'orders-pg', snapshotMs: MINUTE, copyMs: MINUTE });

    await scheduledRun(sim, FIRST_RUN);

    const tde = lastExecution(sim, { instanceIdentifier: 'ledger-tde' });
    expect([tde.status, tde.error]).toEqual(['FAILED', 'TdeNotShareable']);
    expect(tde.cause).toContain("DB instance 'ledger-tde' uses Transparent Data Encryption");
    const maz = lastExecution(sim, { clusterIdentifier: 'maz-default' });
    expect([maz.status, maz.error]).toEqual(['FAILED', 'MultiAzClusterNotShareable']);
    // Nothing was created for either: no call that creates, copies or shares a snapshot of them.
    const touched = sim.rds.calls.filter((c) => /Create|Copy|Modify/.test(c.api) && (c.snapshot?.includes('ledger-tde') || c.snapshot?.includes('maz-default')));
    expect(touched).toEqual([]);
    expect(sim.rds.instances.snapshotsOf('ledger-tde')).toEqual([]);
    expect(sim.rds.snapshotsOf('maz-default')).toEqual([]);

    expect(lastExecution(sim, { clusterIdentifier: 'maz-shared' }).status).toBe('SUCCEEDED');
    expect(sim.rds.calls.filter((c) => c.api === 'CopyDBClusterSnapshot')).toEqual([]);
    const tz = lastExecution(sim, { instanceIdentifier: 'ledger-tz' });
    expect(tz.status).toBe('SUCCEEDED');
    const event = sim.putEvents.find((e) => e.execution === tz.name && e.state === 'PublishSnapshotShared')!;
    expect(event.entry.Detail).toMatchObject({ databaseKind: 'instance', databaseIdentifier: 'ledger-tz', optionGroupName: 'ora-tz', requiredOptions: ['Timezone'] });
    expect(instanceSnapshots(sim, 'ledger-tz', 'shared')[0]).toMatchObject({ OptionGroupName: 'ora-tz', KmsKeyId: sim.sharingKeyArn });
    expect(lastExecution(sim, { instanceIdentifier: 'orders-pg' }).status).toBe('SUCCEEDED');
  });

  test('snapshotSource: a default-key instance is shared from its newest automated snapshot with one copy and no temporary snapshot; too old, a new snapshot', async () => {
    sim = simulation({ instanceIdentifiers: ['orders-pg', 'stale-pg'], snapshotSource: SnapshotSource.newestAutomatedSnapshot(Duration.hours(6)) });
    sim.rds.instances.addInstance({ identifier: 'orders-pg', snapshotMs: 9 * MINUTE, copyMs: 7 * MINUTE });
    sim.rds.instances.addInstance({ identifier: 'stale-pg', snapshotMs: 9 * MINUTE, copyMs: 7 * MINUTE });
    const automatedAt = FIRST_RUN.getTime() - 2 * 60 * MINUTE;
    sim.rds.instances.addAutomatedSnapshot('orders-pg', FIRST_RUN.getTime() - 26 * 60 * MINUTE);
    const automated = sim.rds.instances.addAutomatedSnapshot('orders-pg', automatedAt);
    sim.rds.instances.addAutomatedSnapshot('stale-pg', FIRST_RUN.getTime() - 7 * 60 * MINUTE);

    await scheduledRun(sim, FIRST_RUN);

    const orders = lastExecution(sim, { instanceIdentifier: 'orders-pg' });
    expect(orders.status).toBe('SUCCEEDED');
    const forOrders = (api: string) => sim.rds.calls.filter((c) => c.api === api && !c.error && c.snapshot?.includes('orders-pg'));
    expect(forOrders('CreateDBSnapshot')).toEqual([]);
    expect(forOrders('CopyDBSnapshot')).toHaveLength(1);
    expect([...sim.rds.instances.lifecycles.values()].filter((l) => l.clusterId === 'orders-pg').map((l) => l.tags.find((t) => t.Key === TAG_ROLE)?.Value)).toEqual(['shared']);
    const [shared] = instanceSnapshots(sim, 'orders-pg', 'shared');
    expect(shared).toMatchObject({ KmsKeyId: sim.sharingKeyArn, OriginalSnapshotCreateTime: new Date(automatedAt) });
    expect(sim.rds.instances.restoreAccounts(shared.DBSnapshotIdentifier!)).toEqual(TARGET_ACCOUNTS);
    expect(orders.output).toMatchObject({
      snapshotSource: 'automated',
      sourceSnapshotIdentifier: automated,
      sourceSnapshotTime: new Date(automatedAt).toISOString(),
      snapshotCreateTime: new Date(automatedAt).toISOString(),
    });
    // The automated snapshot is left as RDS made it.
    expect(sim.rds.instances.snapshot(automated)).toMatchObject({ SnapshotType: 'automated', Status: 'available' });
    expect(orders.events.map((e) => e.state).filter((state) => state === 'CreateSnapshot' || state === 'CheckSnapshot')).toEqual([]);

    const stale = lastExecution(sim, { instanceIdentifier: 'stale-pg' });
    expect(stale.status).toBe('SUCCEEDED');
    expect(stale.output).toMatchObject({ snapshotSource: 'new' });
    expect(sim.rds.calls.filter((c) => c.api === 'CreateDBSnapshot' && c.snapshot?.includes('stale-pg'))).toHaveLength(1);
  });

  test('an instance run started by hand beside a run in progress is skipped by Prepare: a success naming the instance, nothing created', async () => {
    sim = simulation({ instanceIdentifiers: ['orders-pg'] });
    sim.rds.instances.addInstance({ identifier: 'orders-pg', snapshotMs: 20 * MINUTE, copyMs: 5 * MINUTE });
    const run = await sim.fireSchedule(FIRST_RUN);
    expect(run.error).toBeUndefined();
    await sim.clock.advance(5 * MINUTE);
    const manual = sim.startExecution({ instanceIdentifier: 'orders-pg' }, 'by-hand');
    await sim.runUntilIdle();
    expect([manual.status, manual.output]).toEqual(['SUCCEEDED', expect.objectContaining({ skipped: true, instanceIdentifier: 'orders-pg', error: 'RunInProgress' })]);
    expect(lastExecution(sim, { instanceIdentifier: 'orders-pg' })).toBe(manual);
    expect(sim.executions.find((e) => e !== manual)!.status).toBe('SUCCEEDED');
    expect(sim.rds.calls.filter((c) => c.caller === 'by-hand' && /Create|Copy|Delete/.test(c.api))).toEqual([]);
  });
});
