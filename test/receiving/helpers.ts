import { DBClusterSnapshot, DBSnapshot } from '@aws-sdk/client-rds';
import type { CopyState } from '../../src/receiving/handlers/copy-state.lambda-shared';
import { DEFAULTS, ENV, SILENT_LOGS_VARIABLE, TARGET_ENV } from '../../src/shared/constants';
import { awsError, useEnvironment } from '../handler-helpers';

export { awsError };

// Fixtures for the receiver's handler tests. Values are spelled out (not derived with the code under
// test), so a change in naming or tagging shows up as a failing assertion.

export const REGION = 'eu-west-1';
export const SOURCE = '111111111111';
export const OTHER_SOURCE = '333333333333';
export const STRANGER = '444444444444';
export const TARGET = '222222222222';
export const OWNER_ID = 'receiver-owner-1';
export const COPY_PREFIX = 'received';
export const COPY_KEY_ARN = `arn:aws:kms:${REGION}:${TARGET}:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`;
export const SOURCE_KEY_ARN = `arn:aws:kms:${REGION}:${SOURCE}:key/11111111-2222-3333-4444-555555555555`;
export const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${TARGET}:stateMachine:Received`;
export const CLUSTER = 'orders-db';
export const SHARED_ID = 'shared-orders-db-202611270300';
export const SHARED_ARN = `arn:aws:rds:${REGION}:${SOURCE}:cluster-snapshot:${SHARED_ID}`;
/** copyIdentifier(COPY_PREFIX, SHARED_ARN): the prefix, the source id, 12 hex digits of SHA-256(SHARED_ARN). */
export const COPY_ID = 'received-shared-orders-db-202611270300-6fbbb8dd6598';
export const NOW = new Date('2026-11-28T06:00:00Z');
/** A DB instance of the source, and its shared DB snapshot (ARN type `snapshot`). */
export const INSTANCE = 'ledger-pg';
export const DB_SHARED_ID = 'shared-ledger-pg-202611270300';
export const DB_SHARED_ARN = `arn:aws:rds:${REGION}:${SOURCE}:snapshot:${DB_SHARED_ID}`;
/** copyIdentifier(COPY_PREFIX, DB_SHARED_ARN). */
export const DB_COPY_ID = 'received-shared-ledger-pg-202611270300-ebedeabb72fd';
/** A DB instance named like CLUSTER, whose DB snapshot has SHARED_ID too: copyIdentifier of its ARN. */
export const SAME_NAME_DB_SHARED_ARN = `arn:aws:rds:${REGION}:${SOURCE}:snapshot:${SHARED_ID}`;
export const SAME_NAME_DB_COPY_ID = 'received-shared-orders-db-202611270300-fe5ab7151875';
export const SHARED_TIME = new Date('2026-11-27T03:05:00Z');

export function handlerEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    [SILENT_LOGS_VARIABLE]: 'true',
    AWS_REGION: REGION,
    [ENV.OWNER_ID]: OWNER_ID,
    [TARGET_ENV.SOURCE_ACCOUNT_IDS]: `${SOURCE},${OTHER_SOURCE}`,
    [TARGET_ENV.SOURCE_SNAPSHOT_PREFIX]: 'shared',
    [TARGET_ENV.SOURCE_CLUSTER_IDENTIFIERS]: '',
    [TARGET_ENV.COPY_PREFIX]: COPY_PREFIX,
    [TARGET_ENV.COPY_KEY_ARN]: COPY_KEY_ARN,
    [TARGET_ENV.RETAIN_COPIES]: '2',
    [TARGET_ENV.CONFIRM_COPIES]: 'false',
    [ENV.SNAPSHOT_TIMEOUT_SECONDS]: String(DEFAULTS.snapshotTimeoutSeconds),
    [ENV.STATE_MACHINE_ARN]: STATE_MACHINE_ARN,
    ...overrides,
  };
}

/** The handler environment and a frozen clock for each test, restored after it. */
export function useReceiverEnvironment(overrides: Record<string, string> = {}, now: Date = NOW): void {
  useEnvironment(handlerEnv(overrides), now);
}

export function sharedArn(id: string, account = SOURCE, region = REGION): string {
  return `arn:aws:rds:${region}:${account}:cluster-snapshot:${id}`;
}

/**
 * A snapshot another account shares with this one, as DescribeDBClusterSnapshots with
 * `SnapshotType: 'shared'` returns it (SDK model: the ARN names the owner account; `SnapshotType` is 'shared').
 */
export function sharedSnapshot(spec: Partial<DBClusterSnapshot> & { id?: string; account?: string } = {}): DBClusterSnapshot {
  const { id = SHARED_ID, account = SOURCE, ...rest } = spec;
  return {
    DBClusterSnapshotIdentifier: sharedArn(id, account),
    DBClusterSnapshotArn: sharedArn(id, account),
    DBClusterIdentifier: CLUSTER,
    SnapshotType: 'shared',
    Status: 'available',
    SnapshotCreateTime: SHARED_TIME,
    StorageEncrypted: true,
    StorageEncryptionType: 'sse-kms',
    KmsKeyId: SOURCE_KEY_ARN,
    ...rest,
  };
}

export function sharedDbArn(id: string, account = SOURCE): string {
  return `arn:aws:rds:${REGION}:${account}:snapshot:${id}`;
}

/**
 * A DB snapshot another account shares with this one, as DescribeDBSnapshots with `SnapshotType:
 * 'shared'` returns it (SDK model: `DBSnapshot`; the instance in `DBInstanceIdentifier`, `Encrypted`).
 */
export function sharedDbSnapshot(spec: Partial<DBSnapshot> & { id?: string; account?: string } = {}): DBSnapshot {
  const { id = DB_SHARED_ID, account = SOURCE, ...rest } = spec;
  return {
    DBSnapshotIdentifier: sharedDbArn(id, account),
    DBSnapshotArn: sharedDbArn(id, account),
    DBInstanceIdentifier: INSTANCE,
    Engine: 'postgres',
    SnapshotType: 'shared',
    Status: 'available',
    SnapshotCreateTime: SHARED_TIME,
    Encrypted: true,
    KmsKeyId: SOURCE_KEY_ARN,
    ...rest,
  };
}

/** One of this receiver's copies of a DB snapshot, as DescribeDBSnapshots returns it in this account. */
export function ownDbCopy(spec: CopySpec = {}): DBSnapshot {
  const cluster = ownCopy({ id: DB_COPY_ID, cluster: INSTANCE, sourceArn: DB_SHARED_ARN, ...spec });
  return {
    DBSnapshotIdentifier: cluster.DBClusterSnapshotIdentifier,
    DBSnapshotArn: `arn:aws:rds:${REGION}:${TARGET}:snapshot:${cluster.DBClusterSnapshotIdentifier}`,
    DBInstanceIdentifier: cluster.DBClusterIdentifier,
    SnapshotType: 'manual',
    Status: cluster.Status,
    SnapshotCreateTime: cluster.SnapshotCreateTime,
    TagList: cluster.TagList,
  };
}

/** The state the copy steps pass on for SHARED_ARN: what CopySharedSnapshot derived from it, plus `times` and what later steps set. */
export function copyState(times: Pick<CopyState, 'deadline' | 'copyRequestedAt'> & Partial<CopyState>): CopyState {
  return {
    sourceAccount: SOURCE,
    snapshotArn: SHARED_ARN,
    clusterIdentifier: 'orders-db',
    copyIdentifier: COPY_ID,
    sourceSnapshotTime: SHARED_TIME.toISOString(),
    ...times,
  };
}

export interface CopySpec {
  readonly id?: string;
  readonly status?: string;
  readonly sourceAccount?: string;
  readonly cluster?: string;
  readonly sourceArn?: string;
  readonly sourceTime?: Date;
  readonly ownerId?: string;
  readonly tags?: Array<{ Key: string; Value: string }>;
}

/** One of this receiver's copies, as DescribeDBClusterSnapshots returns it in this account. */
export function ownCopy(spec: CopySpec = {}): DBClusterSnapshot {
  const id = spec.id ?? COPY_ID;
  return {
    DBClusterSnapshotIdentifier: id,
    DBClusterSnapshotArn: `arn:aws:rds:${REGION}:${TARGET}:cluster-snapshot:${id}`,
    DBClusterIdentifier: spec.cluster ?? CLUSTER,
    SnapshotType: 'manual',
    Status: spec.status ?? 'available',
    SnapshotCreateTime: new Date((spec.sourceTime ?? SHARED_TIME).getTime() + 3600_000),
    TagList: spec.tags ?? [
      { Key: 'received-cluster-snapshots:owner', Value: spec.ownerId ?? OWNER_ID },
      { Key: 'received-cluster-snapshots:source-account', Value: spec.sourceAccount ?? SOURCE },
      { Key: 'received-cluster-snapshots:source-cluster', Value: spec.cluster ?? CLUSTER },
      { Key: 'received-cluster-snapshots:source-snapshot-arn', Value: spec.sourceArn ?? SHARED_ARN },
      { Key: 'received-cluster-snapshots:source-snapshot-time', Value: (spec.sourceTime ?? SHARED_TIME).toISOString() },
    ],
  };
}
