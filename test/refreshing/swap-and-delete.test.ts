import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { DATABASE, ENVIRONMENT, failure, GENERATION, ownTags, plan, restoredDatabase, useWorld, World } from './handler-world';
import { FakeStepFunctions } from '../../sim/step-functions';
import { handler as deleteDatabases } from '../../src/refreshing/handlers/delete-databases.lambda';
import { handler as startRefresh } from '../../src/refreshing/handlers/start-refresh.lambda';
import { handler as swapNames } from '../../src/refreshing/handlers/swap-names.lambda';
import { ENV } from '../../src/shared/constants';

const world = useWorld();
const OLD = '202611270500';
const NEW_ID = `${DATABASE}-${GENERATION}`;
const OLD_ID = `${DATABASE}-${OLD}`;
const client = new RDSClient({ region: 'eu-west-1' });

/** The serving database (generation OLD) and this run's restored one, both available. */
async function servingAndNew(w: World): Promise<void> {
  await restoredDatabase(w, DATABASE, ownTags({ generation: OLD, role: 'serving' }));
  await restoredDatabase(w, NEW_ID, ownTags({ generation: GENERATION, role: 'restoring' }));
  await w.clock.advance(w.rds.databases.timings.restoreMs);
}

const names = (w: World) => [...w.rds.databases.clusters.values()].map((c) => `${c.identifier}:${c.tags.find((t) => t.Key === 'refreshed-database:role')?.Value}`).sort();
const state = (extra: Record<string, unknown> = {}) => ({ plan: plan({ servingGeneration: OLD }), ...extra });

describe('SwapNames', () => {
  test('renames the serving database away and the new one into place; each waits while the other is renaming', async () => {
    const w = world();
    await servingAndNew(w);
    expect(await swapNames({ step: 'away', state: state() })).toEqual({ previousIdentifier: OLD_ID });
    expect(await swapNames({ step: 'away', state: state() })).toEqual({ previousIdentifier: OLD_ID });
    expect(w.rds.databases.cluster(OLD_ID)).toMatchObject({ status: 'renaming', deletionProtection: false });
    await swapNames({ step: 'intoPlace', state: state({ swap: { previousIdentifier: OLD_ID } }) });
    expect(names(w)).toEqual([`${OLD_ID}:previous`, `${DATABASE}:serving`]);
    expect(w.rds.databases.cluster(DATABASE)).toMatchObject({ status: 'renaming', deletionProtection: true, restoredFrom: expect.any(String) });
    expect(w.rds.databases.cluster(DATABASE)!.tags).toContainEqual({ Key: 'refreshed-database:generation', Value: GENERATION });
  });

  test('rolls the names back: the new database to its generation name, then the previous one to the stable identifier', async () => {
    const w = world();
    await servingAndNew(w);
    await swapNames({ step: 'away', state: state() });
    await swapNames({ step: 'intoPlace', state: state() });
    expect(await failure(swapNames({ step: 'rollBack', state: state() }))).toMatch(/^DatabaseNotReady: '.*' cannot be renamed now/);
    await w.clock.advance(w.rds.databases.timings.renameMs);
    expect(await failure(swapNames({ step: 'rollBack', state: state() }))).toBe(`DatabaseNotReady: Renaming '${DATABASE}' back to '${NEW_ID}'`);
    expect(await swapNames({ step: 'rollBack', state: state() })).toEqual({ previousIdentifier: null });
    await w.clock.advance(w.rds.databases.timings.renameMs);
    expect(names(w)).toEqual([`${NEW_ID}:restoring`, `${DATABASE}:serving`]);
    expect(w.rds.databases.cluster(DATABASE)!.tags).toContainEqual({ Key: 'refreshed-database:generation', Value: OLD });
    expect(await swapNames({ step: 'rollBack', state: state() })).toEqual({ previousIdentifier: null });
  });

  test('a stable identifier taken by a stranger fails the swap by name, and the rollback refuses to rename anything onto it', async () => {
    const w = world();
    await servingAndNew(w);
    await swapNames({ step: 'away', state: state() });
    await restoredDatabase(w, DATABASE, []);
    expect(await failure(swapNames({ step: 'intoPlace', state: state() }))).toMatch(/^SwapFailed: 'orders-staging' is taken/);
    expect(await failure(swapNames({ step: 'rollBack', state: state() }))).toMatch(/^SwapFailed: 'orders-staging' is held by a database this RefreshedDatabase did not create/);
  });
});

describe('DeleteDatabases', () => {
  test('deletes this run\'s failed database, its instances first, and never the stable identifier\'s', async () => {
    const w = world();
    await servingAndNew(w);
    await client.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: `${NEW_ID}-1`,
      DBClusterIdentifier: NEW_ID,
      DBInstanceClass: 'db.r6g.large',
      Engine: 'aurora-postgresql',
      Tags: ownTags({ generation: GENERATION, role: 'restoring' }),
    }));
    expect(await failure(deleteDatabases({ step: 'failed', state: state() }))).toBe(`DeletionInProgress: Deleting ${NEW_ID}`);
    expect(w.rds.databases.instance(`${NEW_ID}-1`)!.status).toBe('deleting');
    await w.clock.advance(w.rds.databases.timings.deleteMs);
    expect(await failure(deleteDatabases({ step: 'failed', state: state() }))).toBe(`DeletionInProgress: Deleting ${NEW_ID}`);
    await w.clock.advance(w.rds.databases.timings.deleteMs);
    expect(await deleteDatabases({ step: 'failed', state: state() })).toEqual({ deleted: [NEW_ID], refused: [] });
    expect(names(w)).toEqual([`${DATABASE}:serving`]);
    expect(await deleteDatabases({ step: 'obsolete', state: state({ plan: plan({ obsolete: [DATABASE] }) }) })).toEqual({ deleted: [], refused: [DATABASE] });
  });

  test('refuses a database whose tags no longer mark it as this instance\'s, or that holds a stranger\'s instance', async () => {
    const w = world();
    await servingAndNew(w);
    await restoredDatabase(w, OLD_ID.replace(OLD, '202611260500'), ownTags({ generation: '202611260500', role: 'previous', owner: 'another' }));
    await w.clock.advance(w.rds.databases.timings.restoreMs);
    await client.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'someones-reader', DBClusterIdentifier: NEW_ID, DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql' }));
    const obsolete = plan({ obsolete: [`${DATABASE}-202611260500`] });
    expect(await deleteDatabases({ step: 'obsolete', state: { plan: obsolete } })).toEqual({ deleted: [], refused: [`${DATABASE}-202611260500`] });
    expect(await deleteDatabases({ step: 'failed', state: state() })).toEqual({ deleted: [], refused: [NEW_ID] });
    expect(names(w)).toHaveLength(3);
  });

  test('takes a final snapshot of a previous database when asked', async () => {
    process.env.REFRESH_FINAL_SNAPSHOT = 'true';
    const w = world();
    await restoredDatabase(w, OLD_ID, ownTags({ generation: OLD, role: 'previous' }));
    await w.clock.advance(w.rds.databases.timings.restoreMs);
    const previous = state({ swap: { previousIdentifier: OLD_ID } });
    expect(await failure(deleteDatabases({ step: 'previous', state: previous }))).toMatch(/^DeletionInProgress/);
    expect(w.rds.snapshot(`${OLD_ID}-final`)).toMatchObject({ DBClusterIdentifier: OLD_ID, SnapshotType: 'manual' });
    await w.clock.advance(w.rds.databases.timings.deleteMs);
    expect(await deleteDatabases({ step: 'previous', state: previous })).toEqual({ deleted: [OLD_ID], refused: [] });
  });
});

describe('StartRefresh', () => {
  test('starts one execution per scheduled time, named after it', async () => {
    const sfn = new FakeStepFunctions({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }, ENVIRONMENT[ENV.STATE_MACHINE_ARN], async () => ({}));
    try {
      const event = { scheduledTime: '2026-11-28T05:00:00Z' };
      expect(await startRefresh(event)).toEqual({ execution: 'refresh-202611280500', alreadyStarted: false });
      await world().clock.advance(5000);
      expect(await startRefresh(event)).toEqual({ execution: 'refresh-202611280500', alreadyStarted: true });
      sfn.executions[0].status = 'SUCCEEDED';
      expect(await startRefresh(event)).toEqual({ execution: 'refresh-202611280500', alreadyStarted: true });
      expect(sfn.executions.map((e) => [e.name, e.input])).toEqual([['refresh-202611280500', event]]);
      expect(await failure(startRefresh({ scheduledTime: 'yesterday' }))).toMatch(/^InvalidInput: scheduledTime must be an ISO-8601 time/);
    } finally {
      sfn.restore();
    }
  });
});
