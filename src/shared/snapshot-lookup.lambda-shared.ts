import { DBClusterSnapshot, DescribeDBClusterSnapshotsCommand } from '@aws-sdk/client-rds';
import { rdsHere } from './clients.lambda-shared';
import { isAwsError } from './errors.lambda-shared';

/**
 * This account's snapshot with this identifier, or undefined when there is none. RDS answers an
 * unknown identifier with DBClusterSnapshotNotFoundFault rather than an empty list.
 */
export async function findSnapshot(snapshotIdentifier: string): Promise<DBClusterSnapshot | undefined> {
  try {
    const out = await rdsHere().send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: snapshotIdentifier }));
    return out.DBClusterSnapshots?.[0];
  } catch (error) {
    if (isAwsError(error, 'DBClusterSnapshotNotFoundFault')) return undefined;
    throw error;
  }
}
