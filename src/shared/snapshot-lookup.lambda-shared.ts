import { DBClusterSnapshot, DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { rds } from './clients.lambda-shared';
import { isAwsError } from './errors.lambda-shared';

/**
 * This account's snapshot with this identifier (in the client's Region), or undefined when there is
 * none. RDS answers an unknown identifier with DBClusterSnapshotNotFoundFault rather than an empty list.
 */
export async function findSnapshot(snapshotIdentifier: string, client: RDSClient = rds): Promise<DBClusterSnapshot | undefined> {
  try {
    const out = await client.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: snapshotIdentifier }));
    return out.DBClusterSnapshots?.[0];
  } catch (error) {
    if (isAwsError(error, 'DBClusterSnapshotNotFoundFault')) return undefined;
    throw error;
  }
}
