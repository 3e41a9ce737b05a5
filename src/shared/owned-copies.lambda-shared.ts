import { withinRegion } from './clients.lambda-shared';
import {
  TARGET_TAG_OWNER,
  TARGET_TAG_SOURCE_ACCOUNT,
  TARGET_TAG_SOURCE_CLUSTER,
  TARGET_TAG_SOURCE_SNAPSHOT,
  TARGET_TAG_SOURCE_SNAPSHOT_TIME,
} from './constants';
import type { DatabaseKind, SnapshotView } from './database-kind.lambda-shared';
import { snapshotApi } from './snapshot-apis.lambda-shared';

/*
 * The copies a ReceivedClusterSnapshots owns, read back from their tags: what the receiver keeps
 * and prunes, and what a RefreshedDatabase restores from.
 */

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

/** Every copy of `kinds` this instance owns in this account, in its own Region or `region` (manual snapshots, paged). */
export function listOwnCopies(ownerId: string, copyPrefix: string, kinds: readonly DatabaseKind[], region?: string): Promise<OwnCopy[]> {
  return withinRegion(region, async () => {
    const copies: OwnCopy[] = [];
    for (const kind of kinds) {
      for await (const snapshot of snapshotApi(kind).listManual()) {
        const copy = asOwnCopy(snapshot, ownerId, copyPrefix, kind);
        if (copy) copies.push(copy);
      }
    }
    return copies;
  });
}

/** Newest source snapshot first; ties by identifier, so the order is total. */
export function newestFirst(a: OwnCopy, b: OwnCopy): number {
  return Date.parse(b.sourceSnapshotTime) - Date.parse(a.sourceSnapshotTime) || a.identifier.localeCompare(b.identifier);
}
