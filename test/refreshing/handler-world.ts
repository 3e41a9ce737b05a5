import { RDSClient, RestoreDBClusterFromSnapshotCommand } from '@aws-sdk/client-rds';
import { FakeRds } from '../../sim/fake-rds';
import { VirtualClock } from '../../sim/virtual-clock';
import {
  ENV, REFRESH_ENV, REFRESH_TAG_DATABASE, REFRESH_TAG_GENERATION, REFRESH_TAG_OWNER, REFRESH_TAG_ROLE, REFRESH_TAG_RUN, REFRESH_TAG_SOURCE_SNAPSHOT,
  REFRESH_TAG_SOURCE_TIME, SILENT_LOGS_VARIABLE, TARGET_TAG_OWNER, TARGET_TAG_SOURCE_ACCOUNT, TARGET_TAG_SOURCE_CLUSTER, TARGET_TAG_SOURCE_SNAPSHOT,
  TARGET_TAG_SOURCE_SNAPSHOT_TIME,
} from '../../src/shared/constants';

/*
 * The refresh's handlers against the in-memory RDS (sim/fake-rds.ts), which models restores,
 * instances, renames and deletions as AWS documents them: each test arranges databases and copies,
 * calls a handler, and reads what RDS holds afterwards. Values are spelled out, not derived with the
 * code under test.
 */

export const ACCOUNT = '111111111111';
export const OWNER = 'refresh-owner-1';
export const RECEIVER = 'receiver-owner-1';
export const DATABASE = 'orders-staging';
export const NOW = new Date('2026-11-28T05:00:00Z');
export const GENERATION = '202611280500';
export const MINUTE = 60_000;

export const RESTORE_SETTINGS = {
  subnetGroupName: 'staging-subnets',
  securityGroupIds: ['sg-0123456789abcdef0'],
  instanceClass: 'db.serverless',
  serverlessV2: { MinCapacity: 0.5, MaxCapacity: 4 },
  instances: 2,
  deletionProtection: true,
  tags: { team: 'data' },
};

export const ENVIRONMENT: Record<string, string> = {
  [ENV.OWNER_ID]: OWNER,
  [REFRESH_ENV.KIND]: 'aurora-cluster',
  [REFRESH_ENV.MODE]: 'refresh',
  [REFRESH_ENV.DATABASE_IDENTIFIER]: DATABASE,
  [REFRESH_ENV.COPY_PREFIX]: 'received',
  [REFRESH_ENV.COPY_OWNER_ID]: RECEIVER,
  [REFRESH_ENV.SOURCE_CLUSTER]: 'orders-db',
  [REFRESH_ENV.RESTORE_SETTINGS]: JSON.stringify(RESTORE_SETTINGS),
  [REFRESH_ENV.FINAL_SNAPSHOT]: 'false',
  [REFRESH_ENV.RESTORE_TIMEOUT_SECONDS]: '10800',
  [REFRESH_ENV.STALE_AFTER_SECONDS]: '21600',
  [ENV.STATE_MACHINE_ARN]: `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:Refresh`,
  AWS_REGION: 'eu-west-1',
  [SILENT_LOGS_VARIABLE]: 'true',
};

export interface World {
  readonly rds: FakeRds;
  readonly clock: VirtualClock;
}

/** Registers, for each test, the environment (with `env` on top), the clock at NOW and a fresh RDS. */
export function useWorld(env: Record<string, string> = {}): () => World {
  let world: World | undefined;
  const original = process.env;
  beforeEach(() => {
    process.env = { ...original, ...ENVIRONMENT, ...env };
    const clock = new VirtualClock(NOW);
    world = { clock, rds: new FakeRds(1) };
  });
  afterEach(() => {
    world?.rds.restore();
    world?.clock.uninstall();
    process.env = original;
  });
  return () => world!;
}

/** A receiver's copy of the source snapshot taken at `takenAt` (ISO), available. Returns its ARN. */
export function addCopy(world: World, id: string, takenAt: string, tags: Record<string, string> = {}): string {
  world.rds.addForeignSnapshot(id, 'orders-db', {
    [TARGET_TAG_OWNER]: RECEIVER,
    [TARGET_TAG_SOURCE_ACCOUNT]: '333333333333',
    [TARGET_TAG_SOURCE_CLUSTER]: 'orders-db',
    [TARGET_TAG_SOURCE_SNAPSHOT]: `arn:aws:rds:eu-west-1:333333333333:cluster-snapshot:${id.replace('received-', '')}`,
    [TARGET_TAG_SOURCE_SNAPSHOT_TIME]: takenAt,
    ...tags,
  });
  return `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster-snapshot:${id}`;
}

export interface OwnTags {
  readonly generation: string;
  readonly role: string;
  readonly run?: string;
  readonly copy?: string;
  readonly takenAt?: string;
  readonly owner?: string;
}

export function ownTags(t: OwnTags): Array<{ Key: string; Value: string }> {
  return Object.entries({
    [REFRESH_TAG_OWNER]: t.owner ?? OWNER,
    [REFRESH_TAG_DATABASE]: DATABASE,
    [REFRESH_TAG_GENERATION]: t.generation,
    [REFRESH_TAG_ROLE]: t.role,
    [REFRESH_TAG_RUN]: t.run ?? `refresh-${t.generation}`,
    [REFRESH_TAG_SOURCE_SNAPSHOT]: t.copy ?? `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster-snapshot:received-old`,
    [REFRESH_TAG_SOURCE_TIME]: t.takenAt ?? '2026-11-26T03:00:00.000Z',
  }).map(([Key, Value]) => ({ Key, Value }));
}

const client = new RDSClient({ region: 'eu-west-1' });

/**
 * A database restored (by a call outside any handler) from `copyId` as `identifier`, with `tags`,
 * and available once `ready` (the clock moved past its restore).
 */
export async function restoredDatabase(world: World, identifier: string, tags: Array<{ Key: string; Value: string }>, copyId = 'seed-copy'): Promise<void> {
  if (!world.rds.snapshot(copyId)) world.rds.addForeignSnapshot(copyId, 'orders-db');
  await client.send(new RestoreDBClusterFromSnapshotCommand({ DBClusterIdentifier: identifier, SnapshotIdentifier: copyId, Engine: 'aurora-postgresql', Tags: tags }));
}

/** A plan as Prepare makes it, for the steps after it. */
export function plan(overrides: Record<string, unknown> = {}) {
  return {
    run: `refresh-${GENERATION}`,
    generation: GENERATION,
    newIdentifier: `${DATABASE}-${GENERATION}`,
    databaseIdentifier: DATABASE,
    copy: { arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster-snapshot:received-new`, identifier: 'received-new', engine: 'aurora-postgresql', sourceSnapshotTime: '2026-11-28T03:00:00.000Z' },
    obsolete: [],
    deadline: new Date(NOW.getTime() + 3 * 3600_000).toISOString(),
    upToDate: false,
    ...overrides,
  };
}

/** The error a promise rejects with, as `name: message`, or 'no error'. */
export async function failure(promise: Promise<unknown>): Promise<string> {
  return promise.then(() => 'no error', (e: Error) => `${e.name}: ${e.message}`);
}
