import type { DBClusterSnapshot } from '@aws-sdk/client-rds';
import {
  TARGET_TAG_OWNER,
  TARGET_TAG_SOURCE_ACCOUNT,
  TARGET_TAG_SOURCE_CLUSTER,
  TARGET_TAG_SOURCE_SNAPSHOT,
  TARGET_TAG_SOURCE_SNAPSHOT_TIME,
} from './constants';
import type { DatabaseKind } from './database-kind.lambda-shared';
import { snapshotApi } from './snapshot-apis.lambda-shared';

/*
 * The copies a ReceivedClusterSnapshots owns, read back from their tags: what the receiver keeps
 * and prunes, and what a RefreshedDatabase restores from.
 */

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

/**
 * Every copy this instance owns in this account and Region (manual snapshots, paged), of `kind`:
 * DB cluster snapshots, or DB snapshots (the receiver's copies of DB instances' snapshots, tagged
 * the same way, the instance's identifier in the source-cluster tag).
 */
export async function listOwnCopies(ownerId: string, copyPrefix: string, kind: DatabaseKind = 'cluster'): Promise<OwnCopy[]> {
  const copies: OwnCopy[] = [];
  for await (const snapshot of snapshotApi(kind).listManual()) {
    const copy = asOwnCopy(snapshot, ownerId, copyPrefix);
    if (copy) copies.push(copy);
  }
  return copies;
}

/** Newest source snapshot first; ties by identifier, so the order is total. */
export function newestFirst(a: OwnCopy, b: OwnCopy): number {
  return Date.parse(b.sourceSnapshotTime) - Date.parse(a.sourceSnapshotTime) || a.identifier.localeCompare(b.identifier);
}
