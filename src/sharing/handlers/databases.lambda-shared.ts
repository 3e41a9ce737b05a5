import { CreateDBClusterSnapshotCommand, CreateDBSnapshotCommand, DBInstance, DescribeDBInstancesCommand, Tag } from '@aws-sdk/client-rds';
import { rds } from '../../shared/clients.lambda-shared';
import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';
import { InstanceNotFound, isAwsError } from '../../shared/errors.lambda-shared';

/** Snapshots a database of either kind: `CreateDBClusterSnapshot` or `CreateDBSnapshot`. */
export async function createSnapshotOf(
  kind: DatabaseKind | undefined, databaseIdentifier: string, snapshotIdentifier: string, tags: Tag[],
): Promise<void> {
  if (kind === 'instance') {
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: databaseIdentifier, DBSnapshotIdentifier: snapshotIdentifier, Tags: tags }));
    return;
  }
  await rds.send(new CreateDBClusterSnapshotCommand({
    DBClusterIdentifier: databaseIdentifier, DBClusterSnapshotIdentifier: snapshotIdentifier, Tags: tags,
  }));
}

/** The DB instance, or InstanceNotFound naming it. */
export async function describeInstance(instanceIdentifier: string): Promise<DBInstance> {
  try {
    const instance = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceIdentifier }))).DBInstances?.[0];
    if (instance) return instance;
  } catch (error) {
    if (!isAwsError(error, 'DBInstanceNotFoundFault')) throw error;
  }
  throw new InstanceNotFound(`DB instance '${instanceIdentifier}' does not exist in this account and Region`);
}

/** Every DB instance in the account and Region, page by page. */
export async function* allInstances(): AsyncGenerator<DBInstance> {
  let marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBInstancesCommand({ MaxRecords: 100, Marker: marker }));
    yield* page?.DBInstances ?? [];
    marker = page?.Marker;
  } while (marker);
}
