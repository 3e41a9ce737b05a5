import { DBCluster, StorageEncryptionType } from '@aws-sdk/client-rds';
import { MultiAzClusterNotShareable } from '../../shared/errors.lambda-shared';

/**
 * A Multi-AZ DB cluster: the DB cluster kind of RDS for MySQL and PostgreSQL (engine `mysql` or
 * `postgres`), whose cluster snapshots cannot be copied ("copying them is not supported":
 * RDS User Guide, "Limitations of Multi-AZ DB clusters"; aws-facts.md). Aurora engines start with
 * `aurora`; DescribeDBClusters also lists Neptune and DocumentDB, which the starter never selects.
 */
export function isMultiAzCluster(cluster: Pick<DBCluster, 'Engine'>): boolean {
  return cluster.Engine !== undefined && !cluster.Engine.startsWith('aurora');
}

/**
 * The refusal of a Multi-AZ DB cluster that is not on a key the targets may use: its snapshot could
 * be shared only after a re-encrypting copy, which RDS does not make of it. Whether RDS shares
 * Multi-AZ cluster snapshots at all is not confirmed (the user guide says yes, an AWS blog no); on
 * the sharing key they are shared as they are, as the user guide describes.
 */
export function multiAzNotShareable(cluster: DBCluster, clusterIdentifier: string, encryption: string): MultiAzClusterNotShareable {
  const key = encryption === StorageEncryptionType.CMK ? `the KMS key ${cluster.KmsKeyId}` : 'an AWS-owned key';
  return new MultiAzClusterNotShareable(
    `DB cluster '${clusterIdentifier}' is a Multi-AZ DB cluster (engine ${cluster.Engine}) encrypted with ${key}, which the target accounts ` +
      'cannot use, and RDS does not copy Multi-AZ DB cluster snapshots, so they cannot be re-encrypted with the sharing key. Nothing was ' +
      'created. Either restore a new cluster from one of its snapshots with the sharing key as its KmsKeyId and select that one, or, when its key\'s policy already ' +
      'lets the target accounts use it, declare that key in additionalSharingKeys',
  );
}
