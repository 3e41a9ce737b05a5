/**
 * The fake's DB instance, DB snapshot and option group responses, built with the SDK model's types
 * (@aws-sdk/client-rds models_0.d.ts: DBInstance, DBSnapshot, DBSnapshotAttributesResult,
 * OptionGroup), so a field is spelled and typed as the real response has it.
 */
import type { DBInstance, DBSnapshot, DBSnapshotAttributesResult, OptionGroup, StorageEncryptionType } from '@aws-sdk/client-rds';
import { dbSnapshotArn, optionGroupArn, REGION } from './aws-env';
import type { Encryption } from './rds-encryption';
import type { Instance, OptionGroupSpec } from './rds-instance-types';
import { Snapshot, toTags } from './rds-types';

/**
 * The encryption fields of a DBInstance (`StorageEncrypted`) or a DBSnapshot (`Encrypted`): for
 * `sse-rds` the flag is false and there is no `KmsKeyId`, as for clusters (SDK model text of
 * `StorageEncryptionType`; rds-encryption.ts).
 */
function encryption(e: Encryption, flag: 'StorageEncrypted' | 'Encrypted') {
  const type: StorageEncryptionType = e.type;
  return { [flag]: e.type === 'sse-kms', StorageEncryptionType: type, ...(e.type === 'sse-kms' ? { KmsKeyId: e.keyArn } : {}) };
}

export function instanceView(i: Instance, status: string): DBInstance {
  return {
    DBInstanceIdentifier: i.identifier,
    DBInstanceArn: i.arn,
    DBInstanceStatus: status,
    Engine: i.engine,
    ...(i.clusterIdentifier ? { DBClusterIdentifier: i.clusterIdentifier } : {}),
    ...(i.readReplicaSourceIdentifier ? { ReadReplicaSourceDBInstanceIdentifier: i.readReplicaSourceIdentifier } : {}),
    ...encryption(i.encryption, 'StorageEncrypted'),
    OptionGroupMemberships: [{ OptionGroupName: i.optionGroupName, Status: 'in-sync' }],
    TagList: toTags(i.tags ?? {}),
  };
}

/**
 * `owner`: the owner account. Another account that sees it shared is shown its ARN as the
 * identifier and `SnapshotType: 'shared'`, as for cluster snapshots (rds-views.ts; not confirmed
 * for either kind). `SnapshotCreateTime` "changes for the copy when the snapshot is copied";
 * `OriginalSnapshotCreateTime` "doesn't change" (SDK model text): a copy keeps its source's.
 */
export function dbSnapshotView(s: Snapshot, owner: string, seenFrom = owner, region = REGION): DBSnapshot {
  const arn = dbSnapshotArn(s.id, owner, region);
  return {
    DBSnapshotIdentifier: seenFrom === owner ? s.id : arn,
    DBInstanceIdentifier: s.databaseId,
    DBSnapshotArn: arn,
    SnapshotType: seenFrom === owner ? s.type : 'shared',
    Status: s.status,
    SnapshotCreateTime: new Date(s.createdAt),
    OriginalSnapshotCreateTime: new Date(s.originalCreatedAt ?? s.createdAt),
    PercentProgress: s.status === 'available' ? 100 : 0,
    Engine: s.engine,
    ...(s.optionGroupName ? { OptionGroupName: s.optionGroupName } : {}),
    ...(s.sourceArn ? { SourceDBSnapshotIdentifier: s.sourceArn } : {}),
    ...encryption(s.encryption, 'Encrypted'),
    TagList: s.tags.map((t) => ({ ...t })),
  };
}

export function dbAttributesView(s: Snapshot): DBSnapshotAttributesResult {
  return { DBSnapshotIdentifier: s.id, DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [...s.restore] }] };
}

export function optionGroupView(g: OptionGroupSpec, account: string, region = REGION): OptionGroup {
  return {
    OptionGroupName: g.name,
    OptionGroupArn: optionGroupArn(g.name, account, region),
    EngineName: g.engine,
    MajorEngineVersion: g.majorEngineVersion ?? '16',
    Options: (g.options ?? []).map((o) => ({ OptionName: o.name, Permanent: o.permanent ?? false, Persistent: o.persistent ?? false })),
  };
}
