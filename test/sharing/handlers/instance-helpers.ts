import { DBInstance, DBSnapshot, DescribeDBSnapshotAttributesCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { ACCOUNT, awsError, NOW, OWNER_ID, OWNER_MARK, PREFIX, RUN_ID, SHARING_KEY_ARN, TARGET_ACCOUNT_IDS } from './helpers';
import type { SnapshotRole } from '../../../src/shared/naming.lambda-shared';
import { ownershipTags } from '../../../src/sharing/handlers/tags.lambda-shared';
import type { RunPlan } from '../../../src/sharing/handlers/workflow-state.lambda-shared';

/** A DB instance the construct selects, and its run's DB snapshot names (the same scheme as a cluster's). */
export const INSTANCE = 'orders-pg';
export const DB_SHARED_ID = `${PREFIX}-${INSTANCE}-${RUN_ID}-${OWNER_MARK}`;
export const DB_TEMP_ID = `${DB_SHARED_ID}-tmp`;
export const AWS_RDS_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/aws-rds-managed`;

export function dbSnapshotArn(id: string): string {
  return `arn:aws:rds:eu-west-1:${ACCOUNT}:snapshot:${id}`;
}

/** A DB instance as DescribeDBInstances returns it: available, PostgreSQL, on the aws/rds key. */
export function dbInstance(overrides: Partial<DBInstance> = {}): DBInstance {
  return {
    DBInstanceIdentifier: INSTANCE,
    DBInstanceArn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:${INSTANCE}`,
    DBInstanceStatus: 'available',
    Engine: 'postgres',
    StorageEncrypted: true,
    StorageEncryptionType: 'sse-kms',
    KmsKeyId: AWS_RDS_KEY,
    OptionGroupMemberships: [{ OptionGroupName: 'default:postgres-16', Status: 'in-sync' }],
    TagList: [],
    ...overrides,
  };
}

/** A manual DB snapshot of INSTANCE as DescribeDBSnapshots returns it; `owner` adds this construct's tags. */
export interface DbSnapshotSpec {
  readonly status?: string;
  readonly created?: Date;
  readonly owner?: { role: SnapshotRole; runId?: string; ownerId?: string };
}

export function dbSnapshot(id: string, spec: DbSnapshotSpec = {}): DBSnapshot {
  return {
    DBSnapshotIdentifier: id,
    DBSnapshotArn: dbSnapshotArn(id),
    DBInstanceIdentifier: INSTANCE,
    SnapshotType: 'manual',
    Status: spec.status ?? 'available',
    SnapshotCreateTime: spec.created ?? new Date(NOW.getTime() - 24 * 3600 * 1000),
    Encrypted: true,
    KmsKeyId: SHARING_KEY_ARN,
    TagList: spec.owner
      ? ownershipTags({
        ownerId: spec.owner.ownerId ?? OWNER_ID, clusterIdentifier: INSTANCE, role: spec.owner.role, runId: spec.owner.runId ?? RUN_ID,
      })
      : [],
  };
}

/** Answers DescribeDBSnapshots: a listing returns `listing`, a look-up by id that snapshot, or DBSnapshotNotFoundFault. */
export function mockDbSnapshots(rdsMock: AwsClientStub<RDSClient>, listing: DBSnapshot[]): void {
  rdsMock.on(DescribeDBSnapshotsCommand).callsFake((input) => {
    if (input.DBSnapshotIdentifier === undefined) return { DBSnapshots: listing };
    const found = listing.find((s) => s.DBSnapshotIdentifier === input.DBSnapshotIdentifier);
    if (!found) throw awsError('DBSnapshotNotFoundFault');
    return { DBSnapshots: [found] };
  });
}

/** Answers DescribeDBSnapshotAttributes with `restore` accounts per snapshot (default: the targets). */
export function mockDbRestore(
  rdsMock: AwsClientStub<RDSClient>, restore: Record<string, string[]> = {}, fallback: string[] = TARGET_ACCOUNT_IDS,
): void {
  rdsMock.on(DescribeDBSnapshotAttributesCommand).callsFake((input) => ({
    DBSnapshotAttributesResult: {
      DBSnapshotIdentifier: input.DBSnapshotIdentifier,
      DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: restore[input.DBSnapshotIdentifier ?? ''] ?? fallback }],
    },
  }));
}

/** The plan Prepare returns for INSTANCE and RUN_ID. */
export function instancePlan(copyRequired: boolean): RunPlan {
  return {
    databaseKind: 'instance',
    clusterIdentifier: INSTANCE,
    runId: RUN_ID,
    sharedSnapshotIdentifier: DB_SHARED_ID,
    temporarySnapshotIdentifier: copyRequired ? DB_TEMP_ID : undefined,
    copyRequired,
  };
}
