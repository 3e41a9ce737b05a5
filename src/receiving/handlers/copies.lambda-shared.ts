import { DBClusterSnapshot, DeleteDBClusterSnapshotCommand, DescribeAccountAttributesCommand, DescribeDBClusterSnapshotsCommand, RDSClient, Tag } from '@aws-sdk/client-rds';
import { CopyLimitReached } from './errors.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import {
  TARGET_TAG_OWNER,
  TARGET_TAG_SOURCE_ACCOUNT,
  TARGET_TAG_SOURCE_CLUSTER,
  TARGET_TAG_SOURCE_SNAPSHOT,
  TARGET_TAG_SOURCE_SNAPSHOT_TIME,
} from '../../shared/constants';
import { isAwsError, SnapshotQuotaExceeded } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { findSnapshot } from '../../shared/snapshot-lookup.lambda-shared';

export { findSnapshot };

/** What a copy records about its source, in its tags. */
export interface CopyOrigin {
  readonly ownerId: string;
  readonly sourceAccount: string;
  readonly clusterIdentifier: string;
  readonly sourceSnapshotArn: string;
  /** ISO-8601: when the source snapshot was taken. */
  readonly sourceSnapshotTime: string;
}

/** A copy this instance owns, read back from its tags. */
export interface OwnCopy extends CopyOrigin {
  readonly snapshot: DBClusterSnapshot;
  readonly identifier: string;
  readonly status: string;
}

export function copyTags(origin: CopyOrigin): Tag[] {
  return [
    { Key: TARGET_TAG_OWNER, Value: origin.ownerId },
    { Key: TARGET_TAG_SOURCE_ACCOUNT, Value: origin.sourceAccount },
    { Key: TARGET_TAG_SOURCE_CLUSTER, Value: origin.clusterIdentifier },
    { Key: TARGET_TAG_SOURCE_SNAPSHOT, Value: origin.sourceSnapshotArn },
    { Key: TARGET_TAG_SOURCE_SNAPSHOT_TIME, Value: origin.sourceSnapshotTime },
  ];
}

function tag(snapshot: DBClusterSnapshot, key: string): string | undefined {
  return snapshot.TagList?.find((t) => t.Key === key)?.Value;
}

/**
 * The snapshot as one of this instance's copies, or undefined when it is not one: its identifier
 * must start with `<copyPrefix>-` and every origin tag must be present, with this owner id.
 */
export function asOwnCopy(snapshot: DBClusterSnapshot, ownerId: string, copyPrefix: string): OwnCopy | undefined {
  const identifier = snapshot.DBClusterSnapshotIdentifier ?? '';
  const sourceAccount = tag(snapshot, TARGET_TAG_SOURCE_ACCOUNT);
  const clusterIdentifier = tag(snapshot, TARGET_TAG_SOURCE_CLUSTER);
  const sourceSnapshotArn = tag(snapshot, TARGET_TAG_SOURCE_SNAPSHOT);
  const sourceSnapshotTime = tag(snapshot, TARGET_TAG_SOURCE_SNAPSHOT_TIME) ?? snapshot.SnapshotCreateTime?.toISOString();
  if (!identifier.startsWith(`${copyPrefix}-`) || tag(snapshot, TARGET_TAG_OWNER) !== ownerId) return undefined;
  if (!sourceAccount || !clusterIdentifier || !sourceSnapshotArn || !sourceSnapshotTime) return undefined;
  return { snapshot, identifier, status: snapshot.Status ?? '', ownerId, sourceAccount, clusterIdentifier, sourceSnapshotArn, sourceSnapshotTime };
}

/** True when the copy records exactly this origin (owner, account, cluster and source ARN). */
export function isCopyOf(copy: OwnCopy | undefined, origin: Omit<CopyOrigin, 'sourceSnapshotTime'>): copy is OwnCopy {
  return copy !== undefined
    && copy.ownerId === origin.ownerId
    && copy.sourceAccount === origin.sourceAccount
    && copy.clusterIdentifier === origin.clusterIdentifier
    && copy.sourceSnapshotArn === origin.sourceSnapshotArn;
}

/** Every copy this instance owns in this account, in the client's Region (manual snapshots, paged). */
export async function listOwnCopies(ownerId: string, copyPrefix: string, client: RDSClient = rds): Promise<OwnCopy[]> {
  const copies: OwnCopy[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new DescribeDBClusterSnapshotsCommand({
      SnapshotType: 'manual',
      MaxRecords: 100,
      Marker: marker,
    }));
    for (const snapshot of page.DBClusterSnapshots ?? []) {
      const copy = asOwnCopy(snapshot, ownerId, copyPrefix);
      if (copy) copies.push(copy);
    }
    marker = page.Marker;
  } while (marker);
  return copies;
}

/** Newest source snapshot first; ties by identifier, so the order is total. */
export function newestFirst(a: OwnCopy, b: OwnCopy): number {
  return Date.parse(b.sourceSnapshotTime) - Date.parse(a.sourceSnapshotTime) || a.identifier.localeCompare(b.identifier);
}

export type DeleteOutcome = 'deleted' | 'absent' | 'busy' | 'not-owned';

/**
 * Deletes a copy only after re-reading it and checking every origin tag again: a tag changed since
 * the listing (anyone who may tag `<copyPrefix>-*` snapshots could) leaves the snapshot alone.
 */
export async function deleteOwnCopy(expected: OwnCopy, copyPrefix: string, client: RDSClient = rds): Promise<DeleteOutcome> {
  const current = await findSnapshot(expected.identifier, client);
  if (!current) return 'absent';
  if (!isCopyOf(asOwnCopy(current, expected.ownerId, copyPrefix), expected)) {
    log('warn', 'Refusing to delete a snapshot whose tags no longer mark it as this receiver\'s copy', { identifier: expected.identifier });
    return 'not-owned';
  }
  try {
    await client.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: expected.identifier }));
    log('info', 'Deleted copy', { identifier: expected.identifier, sourceSnapshotArn: expected.sourceSnapshotArn });
    return 'deleted';
  } catch (error) {
    if (isAwsError(error, 'DBClusterSnapshotNotFoundFault')) return 'absent';
    if (isAwsError(error, 'InvalidDBClusterSnapshotStateFault')) return 'busy';
    throw error;
  }
}

/**
 * StorageEncrypted is false for an AWS-owned key (`sse-rds`), which is still encryption
 * (StorageEncryptionType, SDK model text); only `none`, or neither field with no key, is unencrypted.
 */
export function isEncrypted(snapshot: DBClusterSnapshot): boolean {
  if (snapshot.StorageEncryptionType !== undefined) return snapshot.StorageEncryptionType !== 'none';
  return snapshot.StorageEncrypted === true || snapshot.KmsKeyId !== undefined;
}

/**
 * RDS answers both the manual snapshot quota and the limit of copies in progress with
 * SnapshotQuotaExceeded (aws-facts.md): the account's quota tells them apart, never the message.
 */
export async function quotaOrCopyLimit(target: string, client: RDSClient = rds): Promise<Error> {
  const out = await client.send(new DescribeAccountAttributesCommand({}));
  const quota = out.AccountQuotas?.find((q) => q.AccountQuotaName === 'ManualClusterSnapshots');
  if (quota?.Max !== undefined && quota.Used !== undefined && quota.Used >= quota.Max) {
    return new SnapshotQuotaExceeded(`The manual DB cluster snapshot quota is used up (${quota.Used} of ${quota.Max}); cannot copy to '${target}'`);
  }
  return new CopyLimitReached(`RDS refused the copy to '${target}' with SnapshotQuotaExceeded while the snapshot quota has room: too many copies in progress`);
}
