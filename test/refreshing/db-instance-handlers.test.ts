import { RDSClient, RestoreDBInstanceFromDBSnapshotCommand } from '@aws-sdk/client-rds';
import {
  ACCOUNT, DATABASE, failure, GENERATION, NOW, ownTags, plan, RECEIVER, useWorld, World,
} from './handler-world';
import { handler as checkDatabase } from '../../src/refreshing/handlers/check-database.lambda';
import { handler as createInstances } from '../../src/refreshing/handlers/create-instances.lambda';
import { handler as deleteDatabases } from '../../src/refreshing/handlers/delete-databases.lambda';
import { handler as prepare } from '../../src/refreshing/handlers/prepare-refresh.lambda';
import { handler as resetMasterPassword } from '../../src/refreshing/handlers/reset-master-password.lambda';
import { handler as restore } from '../../src/refreshing/handlers/restore-database.lambda';
import { handler as swapNames } from '../../src/refreshing/handlers/swap-names.lambda';
import {
  REFRESH_ENV, TARGET_TAG_OWNER, TARGET_TAG_SOURCE_ACCOUNT, TARGET_TAG_SOURCE_CLUSTER, TARGET_TAG_SOURCE_SNAPSHOT, TARGET_TAG_SOURCE_SNAPSHOT_TIME,
} from '../../src/shared/constants';

/*
 * The refresh's handlers with DatabaseKind.DB_INSTANCE against the in-memory RDS: the DB instance's
 * own calls, on the receiver's DB snapshot copies, read back from what RDS holds afterwards.
 */

const SETTINGS = {
  subnetGroupName: 'staging-subnets',
  securityGroupIds: ['sg-0123456789abcdef0'],
  parameterGroupName: 'staging-pg16',
  optionGroupName: 'staging-options',
  instanceClass: 'db.t4g.medium',
  deletionProtection: true,
  tags: { team: 'data' },
};
const world = useWorld({
  [REFRESH_ENV.KIND]: 'db-instance',
  [REFRESH_ENV.SOURCE_CLUSTER]: 'orders-pg',
  [REFRESH_ENV.RESTORE_SETTINGS]: JSON.stringify(SETTINGS),
  [REFRESH_ENV.FINAL_SNAPSHOT]: 'true',
});
const client = new RDSClient({ region: 'eu-west-1' });
const OLD = '202611270500';
const NEW_ID = `${DATABASE}-${GENERATION}`;
const OLD_ID = `${DATABASE}-${OLD}`;
const COPY_ARN = `arn:aws:rds:eu-west-1:${ACCOUNT}:snapshot:received-new`;
const instancePlan = (extra: Record<string, unknown> = {}) => plan({
  copy: { arn: COPY_ARN, identifier: 'received-new', engine: 'postgres', sourceSnapshotTime: '2026-11-28T03:00:00.000Z' }, ...extra,
});

/** A receiver's copy of a DB instance's snapshot: a DB snapshot, tagged as a cluster copy is. */
function addInstanceCopy(w: World, id: string, takenAt: string, tags: Record<string, string> = {}): string {
  w.rds.instances.addForeignSnapshot(id, 'orders-pg', {
    [TARGET_TAG_OWNER]: RECEIVER,
    [TARGET_TAG_SOURCE_ACCOUNT]: '333333333333',
    [TARGET_TAG_SOURCE_CLUSTER]: 'orders-pg',
    [TARGET_TAG_SOURCE_SNAPSHOT]: `arn:aws:rds:eu-west-1:333333333333:snapshot:${id.replace('received-', '')}`,
    [TARGET_TAG_SOURCE_SNAPSHOT_TIME]: takenAt,
    ...tags,
  });
  return `arn:aws:rds:eu-west-1:${ACCOUNT}:snapshot:${id}`;
}

/** A DB instance restored outside any handler, available once the clock moves past its restore. */
async function restoredInstance(w: World, identifier: string, tags: Array<{ Key: string; Value: string }>): Promise<void> {
  if (!w.rds.instances.snapshot('seed-copy')) w.rds.instances.addForeignSnapshot('seed-copy', 'orders-pg');
  await client.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: identifier, DBSnapshotIdentifier: 'seed-copy', Tags: tags }));
}

const instanceTags = (generation: string, role: string) => ownTags({ generation, role, copy: COPY_ARN });

describe('the refresh of a DB instance', () => {
  test('Prepare plans the newest DB snapshot copy of the source instance, never a cluster snapshot copy', async () => {
    addInstanceCopy(world(), 'received-a', '2026-11-26T03:00:00.000Z');
    const newest = addInstanceCopy(world(), 'received-b', '2026-11-27T03:00:00.000Z');
    addInstanceCopy(world(), 'received-c', '2026-11-28T03:00:00.000Z', { [TARGET_TAG_OWNER]: 'another-receiver' });
    addInstanceCopy(world(), 'received-d', '2026-11-28T03:00:00.000Z', { [TARGET_TAG_SOURCE_CLUSTER]: 'orders-db' });
    // A cluster snapshot copy with the instance's tags and a newer time is another kind's.
    world().rds.addForeignSnapshot('received-e', 'orders-pg', {
      [TARGET_TAG_OWNER]: RECEIVER,
      [TARGET_TAG_SOURCE_ACCOUNT]: '333333333333',
      [TARGET_TAG_SOURCE_CLUSTER]: 'orders-pg',
      [TARGET_TAG_SOURCE_SNAPSHOT]: 'arn:aws:rds:eu-west-1:333333333333:cluster-snapshot:e',
      [TARGET_TAG_SOURCE_SNAPSHOT_TIME]: '2026-11-28T04:00:00.000Z',
    });
    const planned = await prepare({ input: { scheduledTime: NOW.toISOString() }, run: `refresh-${GENERATION}` });
    expect(planned.copy).toEqual({ arn: newest, identifier: 'received-b', engine: 'postgres', sourceSnapshotTime: '2026-11-27T03:00:00.000Z' });
  });

  test('RestoreDatabase restores the owned copy with the instance\'s settings, unprotected and tagged as its own; a retry restores nothing twice', async () => {
    const w = world();
    addInstanceCopy(w, 'received-new', '2026-11-28T03:00:00.000Z');
    expect(await restore({ plan: instancePlan() })).toEqual({ identifier: NEW_ID });
    expect(await restore({ plan: instancePlan() })).toEqual({ identifier: NEW_ID });
    const restored = w.rds.databases.restoredInstances.instance(NEW_ID)!;
    expect(restored).toMatchObject({
      restoredFrom: COPY_ARN,
      subnetGroup: 'staging-subnets',
      securityGroups: ['sg-0123456789abcdef0'],
      parameterGroup: 'staging-pg16',
      optionGroup: 'staging-options',
      instanceClass: 'db.t4g.medium',
      deletionProtection: false,
      publiclyAccessible: false,
    });
    expect(restored.tags).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'data' }, { Key: 'refreshed-database:role', Value: 'restoring' }]));
    expect(w.rds.databases.clusters.size).toBe(0);
  });

  test('a stranger at the temporary name is DatabaseNotOwned; a copy RDS refuses is RestoreFailed', async () => {
    const w = world();
    addInstanceCopy(w, 'received-new', '2026-11-28T03:00:00.000Z');
    await restoredInstance(w, NEW_ID, [{ Key: 'team', Value: 'data' }]);
    expect(await failure(restore({ plan: instancePlan() }))).toMatch(/^DatabaseNotOwned: 'orders-staging-202611280500' exists/);
    w.rds.databases.restoreFaults.set('received-new', 'refused');
    expect(await failure(restore({ plan: instancePlan({ newIdentifier: `${DATABASE}-202611280600`, generation: '202611280600' }) })))
      .toMatch(/^RestoreFailed: RDS refused to restore '.*:snapshot:received-new' as 'orders-staging-202611280600': InvalidRestoreFault/);
  });

  test('the password is reset into a new rds!db secret once, and the instance is ready with its endpoint, port and secret', async () => {
    const w = world();
    await restoredInstance(w, NEW_ID, instanceTags(GENERATION, 'restoring'));
    expect(await failure(resetMasterPassword({ plan: instancePlan() }))).toMatch(/^DatabaseNotReady: Database 'orders-staging-202611280500' is 'creating'/);
    expect(await failure(createInstances({ plan: instancePlan() }))).toMatch(/^InvalidInput: A db-instance is restored whole/);
    await w.clock.advance(w.rds.databases.timings.restoreMs);
    await resetMasterPassword({ plan: instancePlan() });
    await resetMasterPassword({ plan: instancePlan() });
    expect([...w.rds.databases.secrets.keys()]).toEqual([expect.stringMatching(/:secret:rds!db-/)]);
    expect(await failure(checkDatabase({ step: 'ready', state: { plan: instancePlan() } }))).toMatch(/^DatabaseNotReady: Database '.*' is 'modifying'/);
    await w.clock.advance(w.rds.databases.timings.modifyMs);
    expect(await checkDatabase({ step: 'ready', state: { plan: instancePlan() } })).toEqual({
      identifier: NEW_ID,
      endpoint: expect.stringMatching(new RegExp(`^${NEW_ID}\\.c`)),
      port: 5432,
      masterUserSecretArn: [...w.rds.databases.secrets.keys()][0],
    });
  });

  test('the swap renames with ModifyDBInstance; the previous instance is deleted with a final DB snapshot; a stranger never', async () => {
    const w = world();
    await restoredInstance(w, DATABASE, instanceTags(OLD, 'serving'));
    await restoredInstance(w, NEW_ID, instanceTags(GENERATION, 'restoring'));
    await restoredInstance(w, `${DATABASE}-202611260500`, ownTags({ generation: '202611260500', role: 'previous', owner: 'someone-else' }));
    await w.clock.advance(w.rds.databases.timings.restoreMs);
    const state = { plan: instancePlan({ servingGeneration: OLD }) };
    expect(await swapNames({ step: 'away', state })).toEqual({ previousIdentifier: OLD_ID });
    await swapNames({ step: 'intoPlace', state: { ...state, swap: { previousIdentifier: OLD_ID } } });
    expect(w.rds.databases.restoredInstances.instance(DATABASE)).toMatchObject({ status: 'renaming', deletionProtection: true });
    expect(await failure(checkDatabase({ step: 'serving', state }))).toMatch(/^DatabaseNotReady: 'orders-staging' does not serve generation 202611280500 yet \(renaming\)/);
    await w.clock.advance(w.rds.databases.timings.instanceRenameMs);
    expect(await checkDatabase({ step: 'serving', state })).toMatchObject({ identifier: DATABASE, port: 5432 });

    const deleting = { step: 'previous' as const, state: { ...state, swap: { previousIdentifier: OLD_ID } } };
    expect(await failure(deleteDatabases(deleting))).toBe(`DeletionInProgress: Deleting ${OLD_ID}`);
    await w.clock.advance(w.rds.databases.timings.deleteMs);
    expect(await deleteDatabases(deleting)).toEqual({ deleted: [OLD_ID], refused: [] });
    expect(w.rds.instances.snapshot(`${OLD_ID}-final`)).toMatchObject({ DBInstanceIdentifier: OLD_ID, SnapshotType: 'manual' });
    expect(await deleteDatabases({ step: 'obsolete', state: { plan: instancePlan({ obsolete: [`${DATABASE}-202611260500`, DATABASE] }) } }))
      .toEqual({ deleted: [], refused: [`${DATABASE}-202611260500`, DATABASE] });
    expect(w.rds.databases.restoredInstances.all().map((i) => i.identifier).sort()).toEqual([DATABASE, `${DATABASE}-202611260500`]);
  });
});
