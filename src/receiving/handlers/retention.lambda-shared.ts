import { deleteOwnCopy, listOwnCopies, newestFirst, OwnCopy } from './copies.lambda-shared';
import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/** Whose copies to keep, where, and how many. */
export interface Retention {
  readonly kind: DatabaseKind;
  /** A replica Region; undefined for the receiver's own Region. */
  readonly region?: string;
  readonly ownerId: string;
  readonly copyPrefix: string;
  readonly sourceAccount: string;
  readonly clusterIdentifier: string;
  readonly retain: number;
  /** A copy past `retain` that must stay anyway (its replica is still copying). */
  readonly mustKeep?: (copy: OwnCopy) => Promise<boolean>;
  /** The Region's copies of the kind when the caller listed them already. */
  readonly copies?: OwnCopy[];
}

/**
 * Keeps the newest `retain` available copies of the source account and database (of its kind) in
 * the Region (by when the source snapshot was taken) and deletes older ones this instance owns.
 * Copies still in progress neither count nor are deleted, so the newest available copy stays until
 * a newer one is available. Returns the identifiers deleted and those expired (deleted or not).
 */
export async function retainNewest(r: Retention): Promise<{ deleted: string[]; expired: string[] }> {
  // Only this kind's copies: a cluster's and a DB instance's of one identifier are kept apart.
  const all = r.copies ?? await listOwnCopies(r.ownerId, r.copyPrefix, [r.kind], r.region);
  const available = all
    .filter((copy) => copy.sourceAccount === r.sourceAccount && copy.clusterIdentifier === r.clusterIdentifier && copy.status === 'available')
    .sort(newestFirst);
  const expired = available.slice(r.retain);
  const deleted: string[] = [];
  const kept: string[] = [];
  for (const copy of expired) {
    if (r.mustKeep && await r.mustKeep(copy)) {
      kept.push(copy.identifier);
    } else if ((await deleteOwnCopy(copy, r.copyPrefix, r.region)) === 'deleted') {
      deleted.push(copy.identifier);
    }
  }
  log('info', 'Applied retention', {
    ...(r.region ? { region: r.region } : {}),
    sourceAccount: r.sourceAccount,
    clusterIdentifier: r.clusterIdentifier,
    retain: r.retain,
    available: available.length,
    deleted,
    keptForReplicas: kept,
  });
  return { deleted, expired: expired.map((copy) => copy.identifier) };
}
