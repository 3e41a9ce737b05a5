import type { Tag } from '@aws-sdk/client-rds';
import { withinRegion } from '../../shared/clients.lambda-shared';
import {
  TARGET_TAG_OWNER,
  TARGET_TAG_SOURCE_ACCOUNT,
  TARGET_TAG_SOURCE_CLUSTER,
  TARGET_TAG_SOURCE_SNAPSHOT,
  TARGET_TAG_SOURCE_SNAPSHOT_TIME,
} from '../../shared/constants';
import type { DatabaseKind, SnapshotView } from '../../shared/database-kind.lambda-shared';
import { isAwsError } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { asOwnCopy, CopyOrigin, OwnCopy } from '../../shared/owned-copies.lambda-shared';
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';

export { asOwnCopy, listOwnCopies, newestFirst } from '../../shared/owned-copies.lambda-shared';
export type { CopyOrigin, OwnCopy } from '../../shared/owned-copies.lambda-shared';

export function copyTags(origin: CopyOrigin): Tag[] {
  return [
    { Key: TARGET_TAG_OWNER, Value: origin.ownerId },
    { Key: TARGET_TAG_SOURCE_ACCOUNT, Value: origin.sourceAccount },
    { Key: TARGET_TAG_SOURCE_CLUSTER, Value: origin.clusterIdentifier },
    { Key: TARGET_TAG_SOURCE_SNAPSHOT, Value: origin.sourceSnapshotArn },
    { Key: TARGET_TAG_SOURCE_SNAPSHOT_TIME, Value: origin.sourceSnapshotTime },
  ];
}

/** True when the copy records exactly this origin (owner, account, database and source ARN). */
export function isCopyOf(copy: OwnCopy | undefined, origin: Omit<CopyOrigin, 'sourceSnapshotTime'>): copy is OwnCopy {
  return copy !== undefined
    && copy.ownerId === origin.ownerId
    && copy.sourceAccount === origin.sourceAccount
    && copy.clusterIdentifier === origin.clusterIdentifier
    && copy.sourceSnapshotArn === origin.sourceSnapshotArn;
}

/** This account's snapshot of `kind` with this identifier (in its own Region, or `region`), or undefined when there is none. */
export function findSnapshot(snapshotIdentifier: string, kind: DatabaseKind, region?: string): Promise<SnapshotView | undefined> {
  return withinRegion(region, () => snapshotApi(kind).find(snapshotIdentifier));
}

export type DeleteOutcome = 'deleted' | 'absent' | 'busy' | 'not-owned';

/**
 * Deletes a copy only after re-reading it and checking every origin tag again: a tag changed since
 * the listing (anyone who may tag `<copyPrefix>-*` snapshots could) leaves the snapshot alone.
 */
export function deleteOwnCopy(expected: OwnCopy, copyPrefix: string, region?: string): Promise<DeleteOutcome> {
  return withinRegion(region, () => deleteHere(expected, copyPrefix));
}

async function deleteHere(expected: OwnCopy, copyPrefix: string): Promise<DeleteOutcome> {
  const api = snapshotApi(expected.kind);
  const current = await api.find(expected.identifier);
  if (!current) return 'absent';
  if (!isCopyOf(asOwnCopy(current, expected.ownerId, copyPrefix, expected.kind), expected)) {
    log('warn', 'Refusing to delete a snapshot whose tags no longer mark it as this receiver\'s copy', { identifier: expected.identifier });
    return 'not-owned';
  }
  try {
    await api.remove(expected.identifier);
    log('info', 'Deleted copy', { identifier: expected.identifier, sourceSnapshotArn: expected.sourceSnapshotArn });
    return 'deleted';
  } catch (error) {
    if (isAwsError(error, api.faults.snapshotNotFound)) return 'absent';
    if (isAwsError(error, api.faults.snapshotState)) return 'busy';
    throw error;
  }
}
