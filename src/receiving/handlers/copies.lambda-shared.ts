import type { Tag } from '@aws-sdk/client-rds';
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
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';

/** What a copy records about its source, in its tags (a DB instance's copy too: its database id in the source-cluster tag). */
export interface CopyOrigin {
  readonly ownerId: string;
  readonly sourceAccount: string;
  readonly clusterIdentifier: string;
  readonly sourceSnapshotArn: string;
  /** ISO-8601: when the source snapshot was taken. */
  readonly sourceSnapshotTime: string;
}

/**
 * A copy this instance owns, read back from its tags. Its kind is the kind of snapshot it is (a
 * DB cluster snapshot or a DB snapshot): the two live apart in RDS, so a cluster's copies and an
 * instance's of the same identifier never meet.
 */
export interface OwnCopy extends CopyOrigin {
  readonly kind: DatabaseKind;
  readonly snapshot: SnapshotView;
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

function tag(snapshot: SnapshotView, key: string): string | undefined {
  return snapshot.TagList?.find((t) => t.Key === key)?.Value;
}

/**
 * The snapshot (of `kind`) as one of this instance's copies, or undefined when it is not one: its
 * identifier must start with `<copyPrefix>-` and every origin tag must be present, with this owner id.
 */
export function asOwnCopy(snapshot: SnapshotView, ownerId: string, copyPrefix: string, kind: DatabaseKind): OwnCopy | undefined {
  const identifier = snapshot.DBClusterSnapshotIdentifier ?? '';
  const sourceAccount = tag(snapshot, TARGET_TAG_SOURCE_ACCOUNT);
  const clusterIdentifier = tag(snapshot, TARGET_TAG_SOURCE_CLUSTER);
  const sourceSnapshotArn = tag(snapshot, TARGET_TAG_SOURCE_SNAPSHOT);
  const sourceSnapshotTime = tag(snapshot, TARGET_TAG_SOURCE_SNAPSHOT_TIME) ?? snapshot.SnapshotCreateTime?.toISOString();
  if (!identifier.startsWith(`${copyPrefix}-`) || tag(snapshot, TARGET_TAG_OWNER) !== ownerId) return undefined;
  if (!sourceAccount || !clusterIdentifier || !sourceSnapshotArn || !sourceSnapshotTime) return undefined;
  return { kind, snapshot, identifier, status: snapshot.Status ?? '', ownerId, sourceAccount, clusterIdentifier, sourceSnapshotArn, sourceSnapshotTime };
}

/** True when the copy records exactly this origin (owner, account, database and source ARN). */
export function isCopyOf(copy: OwnCopy | undefined, origin: Omit<CopyOrigin, 'sourceSnapshotTime'>): copy is OwnCopy {
  return copy !== undefined
    && copy.ownerId === origin.ownerId
    && copy.sourceAccount === origin.sourceAccount
    && copy.clusterIdentifier === origin.clusterIdentifier
    && copy.sourceSnapshotArn === origin.sourceSnapshotArn;
}

/** This account's snapshot of `kind` with this identifier, or undefined when there is none. */
export function findSnapshot(snapshotIdentifier: string, kind: DatabaseKind): Promise<SnapshotView | undefined> {
  return snapshotApi(kind).find(snapshotIdentifier);
}

/** Every copy of `kinds` this instance owns in this account and Region (manual snapshots, paged). */
export async function listOwnCopies(ownerId: string, copyPrefix: string, kinds: readonly DatabaseKind[]): Promise<OwnCopy[]> {
  const copies: OwnCopy[] = [];
  for (const kind of kinds) {
    for await (const snapshot of snapshotApi(kind).listManual()) {
      const copy = asOwnCopy(snapshot, ownerId, copyPrefix, kind);
      if (copy) copies.push(copy);
    }
  }
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
export async function deleteOwnCopy(expected: OwnCopy, copyPrefix: string): Promise<DeleteOutcome> {
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
