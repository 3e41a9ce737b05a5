/**
 * The fake's responses, built with the SDK model's types (@aws-sdk/client-rds models_0/1.d.ts), so
 * a field is spelled and typed as the real response has it. test/sim/response-fields.test.ts
 * checks that every field a handler reads is present in them.
 */
import type { AccountQuota, DBCluster, DBClusterSnapshot, DBClusterSnapshotAttributesResult } from '@aws-sdk/client-rds';
import { ACCOUNT, REGION } from './aws-env';
import { encryptionFields } from './rds-encryption';
import { Cluster, Snapshot, toTags } from './rds-types';

export function clusterView(c: Cluster, status: string): DBCluster {
  return {
    DBClusterIdentifier: c.identifier,
    DBClusterArn: c.arn,
    Status: status,
    Engine: c.engine ?? 'aurora-postgresql',
    ...encryptionFields(c.encryption, c.omitStorageEncryptionType),
    TagList: toTags(c.tags ?? {}),
  };
}

/**
 * `account`: the owner. Another account that sees it shared is shown its ARN as the identifier
 * (the ARN is how it copies or restores it: aws-facts.md) and `SnapshotType: 'shared'` (the SDK
 * model names the type filter `shared`; that a shared snapshot reports it is not confirmed).
 */
export function snapshotView(s: Snapshot, account = ACCOUNT, seenFrom = account, region = REGION): DBClusterSnapshot {
  const arn = `arn:aws:rds:${region}:${account}:cluster-snapshot:${s.id}`;
  return {
    DBClusterSnapshotIdentifier: seenFrom === account ? s.id : arn,
    DBClusterIdentifier: s.databaseId,
    DBClusterSnapshotArn: arn,
    SnapshotType: seenFrom === account ? s.type : 'shared',
    Status: s.status,
    SnapshotCreateTime: new Date(s.createdAt),
    PercentProgress: s.status === 'available' ? 100 : 0,
    Engine: s.engine,
    ...encryptionFields(s.encryption, s.omitStorageEncryptionType),
    TagList: s.tags.map((t) => ({ ...t })),
  };
}

export function attributesView(s: Snapshot): DBClusterSnapshotAttributesResult {
  return { DBClusterSnapshotIdentifier: s.id, DBClusterSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [...s.restore] }] };
}

/**
 * DescribeAccountAttributes: the manual cluster snapshot quota (`ManualClusterSnapshots`) and the
 * manual DB instance snapshot quota (`ManualSnapshots`), each Used/Max (the AccountQuotaName values
 * of the API reference's AccountQuota; RDS User Guide, "Quotas in Amazon RDS").
 */
export function accountQuotasView(clusters: { used: number; max: number }, instances: { used: number; max: number }): AccountQuota[] {
  return [
    { AccountQuotaName: 'ManualClusterSnapshots', Used: clusters.used, Max: clusters.max },
    { AccountQuotaName: 'ManualSnapshots', Used: instances.used, Max: instances.max },
  ];
}
