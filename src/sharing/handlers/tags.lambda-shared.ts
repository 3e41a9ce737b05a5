import type { DBClusterSnapshot, Tag } from '@aws-sdk/client-rds';
import { TAG_CLUSTER, TAG_OWNER, TAG_ROLE, TAG_RUN } from '../../shared/constants';
import type { SnapshotRole } from '../../shared/naming.lambda-shared';


export interface Ownership {
  readonly ownerId: string;
  readonly clusterIdentifier: string;
  readonly role: SnapshotRole;
  readonly runId: string;
}

export function ownershipTags(o: Ownership): Tag[] {
  return [
    { Key: TAG_OWNER, Value: o.ownerId },
    { Key: TAG_CLUSTER, Value: o.clusterIdentifier },
    { Key: TAG_ROLE, Value: o.role },
    { Key: TAG_RUN, Value: o.runId },
  ];
}

export function tagValue(tags: Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

/** The ownership a snapshot's tags claim, when it carries all four tags; otherwise undefined. */
export function ownershipOf(snapshot: Pick<DBClusterSnapshot, 'TagList'>): Ownership | undefined {
  const ownerId = tagValue(snapshot.TagList, TAG_OWNER);
  const clusterIdentifier = tagValue(snapshot.TagList, TAG_CLUSTER);
  const role = tagValue(snapshot.TagList, TAG_ROLE);
  const runId = tagValue(snapshot.TagList, TAG_RUN);
  if (!ownerId || !clusterIdentifier || !runId || (role !== 'shared' && role !== 'temporary')) return undefined;
  return { ownerId, clusterIdentifier, role, runId };
}

/** True when the snapshot is this construct's, of this cluster, and (when given) of this role and run. */
export function isOwnedBy(
  snapshot: Pick<DBClusterSnapshot, 'TagList' | 'DBClusterIdentifier'>,
  want: { ownerId: string; clusterIdentifier: string; role?: SnapshotRole; runId?: string },
): boolean {
  const o = ownershipOf(snapshot);
  if (!o) return false;
  if (o.ownerId !== want.ownerId || o.clusterIdentifier !== want.clusterIdentifier) return false;
  if (snapshot.DBClusterIdentifier !== undefined && snapshot.DBClusterIdentifier !== want.clusterIdentifier) return false;
  if (want.role !== undefined && o.role !== want.role) return false;
  if (want.runId !== undefined && o.runId !== want.runId) return false;
  return true;
}
