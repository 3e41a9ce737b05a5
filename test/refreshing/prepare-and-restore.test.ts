import {
  ACCOUNT, addCopy, DATABASE, failure, GENERATION, MINUTE, NOW, ownTags, plan, restoredDatabase, useWorld,
} from './handler-world';
import { handler as checkDatabase } from '../../src/refreshing/handlers/check-database.lambda';
import { handler as createInstances } from '../../src/refreshing/handlers/create-instances.lambda';
import { handler as prepare } from '../../src/refreshing/handlers/prepare-refresh.lambda';
import { handler as publishDataAge } from '../../src/refreshing/handlers/publish-data-age.lambda';
import { handler as resetMasterPassword } from '../../src/refreshing/handlers/reset-master-password.lambda';
import { handler as restore } from '../../src/refreshing/handlers/restore-database.lambda';
import { NO_COPY_AGE_SECONDS } from '../../src/shared/constants';

const world = useWorld();
const RUN = { input: { scheduledTime: NOW.toISOString() }, run: `refresh-${GENERATION}` };

describe('PrepareRefresh', () => {
  test('plans the newest available copy of the source cluster that carries the receiver\'s owner id', async () => {
    addCopy(world(), 'received-a', '2026-11-26T03:00:00.000Z');
    const newest = addCopy(world(), 'received-b', '2026-11-27T03:00:00.000Z');
    addCopy(world(), 'received-c', '2026-11-28T03:00:00.000Z', { 'received-cluster-snapshots:owner': 'another-receiver' });
    addCopy(world(), 'received-d', '2026-11-28T03:00:00.000Z', { 'received-cluster-snapshots:source-cluster': 'billing-db' });
    addCopy(world(), 'manual-e', '2026-11-28T03:00:00.000Z');
    expect(await prepare(RUN)).toEqual({
      run: RUN.run,
      generation: GENERATION,
      newIdentifier: `${DATABASE}-${GENERATION}`,
      databaseIdentifier: DATABASE,
      copy: { arn: newest, identifier: 'received-b', engine: 'aurora-postgresql', sourceSnapshotTime: '2026-11-27T03:00:00.000Z' },
      obsolete: [],
      deadline: '2026-11-28T08:00:00.000Z',
      upToDate: false,
      servingGeneration: undefined,
    });
  });

  test('fails with NoCopyAvailable without a copy, and DatabaseNotOwned when a stranger holds the stable identifier', async () => {
    expect(await failure(prepare(RUN))).toMatch(/^NoCopyAvailable: No available copy of 'orders-db'/);
    addCopy(world(), 'received-a', '2026-11-26T03:00:00.000Z');
    await restoredDatabase(world(), DATABASE, [{ Key: 'team', Value: 'data' }]);
    expect(await failure(prepare(RUN))).toMatch(/^DatabaseNotOwned: 'orders-staging' is a database this RefreshedDatabase did not create/);
  });

  test('is up to date when the serving database holds the newest copy', async () => {
    const copy = addCopy(world(), 'received-a', '2026-11-26T03:00:00.000Z');
    await restoredDatabase(world(), DATABASE, ownTags({ generation: '202611270500', role: 'serving', copy }));
    expect(await prepare(RUN)).toMatchObject({ upToDate: true, servingGeneration: '202611270500', obsolete: [] });
  });

  test('lists stale restores and previous databases to delete, never a stranger\'s database with a similar name', async () => {
    addCopy(world(), 'received-a', '2026-11-27T03:00:00.000Z');
    await restoredDatabase(world(), DATABASE, ownTags({ generation: '202611270500', role: 'serving' }));
    await restoredDatabase(world(), `${DATABASE}-202611260500`, ownTags({ generation: '202611260500', role: 'previous' }));
    await restoredDatabase(world(), `${DATABASE}-202611250500`, ownTags({ generation: '202611250500', role: 'restoring' }));
    await restoredDatabase(world(), `${DATABASE}-202611240500`, ownTags({ generation: '202611240500', role: 'previous', owner: 'someone-else' }));
    await restoredDatabase(world(), `${DATABASE}-202611230500`, ownTags({ generation: '202611220500', role: 'previous' }));
    await restoredDatabase(world(), `${DATABASE}-replica`, ownTags({ generation: '202611210500', role: 'previous' }));
    expect((await prepare(RUN)).obsolete.sort()).toEqual([`${DATABASE}-202611250500`, `${DATABASE}-202611260500`]);
  });

  test('fails with RefreshInProgress while another run restores, and ignores a restore older than a run takes', async () => {
    addCopy(world(), 'received-a', '2026-11-27T03:00:00.000Z');
    await restoredDatabase(world(), `${DATABASE}-202611280300`, ownTags({ generation: '202611280300', role: 'restoring', run: 'manual-1' }));
    expect(await failure(prepare(RUN))).toMatch(/^RefreshInProgress: Run 'manual-1' is restoring 'orders-staging-202611280300'/);
    await world().clock.advance(6 * 60 * MINUTE);
    expect((await prepare({ run: 'later' })).obsolete).toEqual([`${DATABASE}-202611280300`]);
  });
});

describe('RestoreDatabase, CheckDatabase, CreateInstances, ResetMasterPassword', () => {
  const state = () => ({ plan: plan() });

  beforeEach(() => {
    addCopy(world(), 'received-new', '2026-11-28T03:00:00.000Z');
  });

  test('restores the planned copy with the configured network, capacity and tags, without deletion protection', async () => {
    expect(await restore(state())).toEqual({ identifier: `${DATABASE}-${GENERATION}` });
    const cluster = world().rds.databases.cluster(`${DATABASE}-${GENERATION}`)!;
    expect(cluster).toMatchObject({
      restoredFrom: `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster-snapshot:received-new`,
      subnetGroup: 'staging-subnets',
      securityGroups: ['sg-0123456789abcdef0'],
      serverlessV2: { MinCapacity: 0.5, MaxCapacity: 4 },
      deletionProtection: false,
      status: 'creating',
    });
    expect(Object.fromEntries(cluster.tags.map((t) => [t.Key, t.Value]))).toEqual({
      'team': 'data',
      'refreshed-database:owner': 'refresh-owner-1',
      'refreshed-database:database': DATABASE,
      'refreshed-database:generation': GENERATION,
      'refreshed-database:role': 'restoring',
      'refreshed-database:run': `refresh-${GENERATION}`,
      'refreshed-database:source-snapshot-arn': `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster-snapshot:received-new`,
      'refreshed-database:source-snapshot-time': '2026-11-28T03:00:00.000Z',
    });
    expect(await restore(state())).toEqual({ identifier: `${DATABASE}-${GENERATION}` });
    expect(await failure(restore({ plan: plan({ run: 'another-run' }) }))).toMatch(/^RefreshInProgress/);
  });

  test('a name held by a stranger is DatabaseNotOwned; a copy RDS refuses is RestoreFailed', async () => {
    await restoredDatabase(world(), `${DATABASE}-${GENERATION}`, []);
    expect(await failure(restore(state()))).toMatch(/^DatabaseNotOwned/);
    world().rds.databases.restoreFaults.set('received-new', 'refused');
    expect(await failure(restore({ plan: plan({ newIdentifier: `${DATABASE}-202611280600`, generation: '202611280600' }) })))
      .toMatch(/^RestoreFailed: RDS refused to restore .* InvalidRestoreFault/);
  });

  test('checks wait while the restore runs, time out at the deadline, and fail on a terminal status', async () => {
    await restore(state());
    expect(await failure(checkDatabase({ step: 'restored', state: state() }))).toBe(`DatabaseNotReady: Database '${DATABASE}-${GENERATION}' is 'creating'`);
    const late = { plan: plan({ deadline: NOW.toISOString() }) };
    expect(await failure(checkDatabase({ step: 'restored', state: late }))).toMatch(/^RestoreTimeout: Database .* is still 'creating' at the restore's deadline/);
    world().rds.databases.cluster(`${DATABASE}-${GENERATION}`)!.transition = { at: Date.now(), next: 'inaccessible-encryption-credentials' };
    expect(await failure(checkDatabase({ step: 'restored', state: state() }))).toMatch(/^RestoreFailed: Database .* is 'inaccessible-encryption-credentials'/);
  });

  test('creates each instance once, resets the password into a secret of this account, and is ready only when all are', async () => {
    await restore(state());
    expect(await failure(createInstances(state()))).toMatch(/^DatabaseNotReady/);
    await world().clock.advance(world().rds.databases.timings.restoreMs);
    expect(await checkDatabase({ step: 'restored', state: state() })).toEqual({ identifier: `${DATABASE}-${GENERATION}` });
    expect(await createInstances(state())).toEqual({ created: [`${DATABASE}-${GENERATION}-1`, `${DATABASE}-${GENERATION}-2`] });
    expect(await createInstances(state())).toEqual({ created: [] });
    expect(await failure(checkDatabase({ step: 'ready', state: state() }))).toMatch(/^DatabaseNotReady: Instance .* is 'creating'/);
    await resetMasterPassword(state());
    await resetMasterPassword(state());
    const secrets = [...world().rds.databases.secrets.values()];
    expect(secrets).toHaveLength(1);
    await world().clock.advance(world().rds.databases.timings.instanceMs);
    expect(await checkDatabase({ step: 'ready', state: state() })).toEqual({
      identifier: `${DATABASE}-${GENERATION}`,
      endpoint: expect.stringMatching(new RegExp(`^${DATABASE}-${GENERATION}\\.cluster-`)),
      port: 5432,
      masterUserSecretArn: secrets[0].arn,
    });
    const instance = world().rds.databases.instance(`${DATABASE}-${GENERATION}-1`)!;
    expect(instance.instanceClass).toBe('db.serverless');
    expect(instance.tags).toContainEqual({ Key: 'refreshed-database:owner', Value: 'refresh-owner-1' });
  });
});

describe('PublishDataAge', () => {
  test('the age of the serving database\'s source snapshot; far past any limit when none of this instance\'s serves', async () => {
    expect(await publishDataAge()).toEqual({ databaseIdentifier: DATABASE, ageSeconds: NO_COPY_AGE_SECONDS, sourceSnapshotTime: undefined });
    await restoredDatabase(world(), DATABASE, ownTags({ generation: '202611270500', role: 'serving', takenAt: '2026-11-27T05:00:00.000Z' }));
    expect(await publishDataAge()).toEqual({ databaseIdentifier: DATABASE, ageSeconds: 86_400, sourceSnapshotTime: '2026-11-27T05:00:00.000Z' });
  });
});
