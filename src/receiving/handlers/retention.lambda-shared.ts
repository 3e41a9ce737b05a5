import type { RDSClient } from '@aws-sdk/client-rds';
import { deleteOwnCopy, listOwnCopies, newestFirst, OwnCopy } from './copies.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/** Whose copies to keep, where, and how many. */
export interface Retention {
  readonly client: RDSClient;
  /** For the log: the receiver's Region or a replica Region. */
  readonly region: string;
  readonly ownerId: string;
  readonly copyPrefix: string;
  readonly sourceAccount: string;
  readonly clusterIdentifier: string;
  readonly retain: number;
  /** A copy past `retain` that must stay anyway (its replica is still copying). */
  readonly mustKeep?: (copy: OwnCopy) => Promise<boolean>;
  /** The Region's copies when the caller listed them already. */
  readonly copies?: OwnCopy[];
}

/**
 * Keeps the newest `retain` available copies of the source account and cluster in the client's
 * Region (by when the source snapshot was taken) and deletes older ones this instance owns. Copies
 * still in progress neither count nor are deleted, so the newest available copy stays until a newer
 * one is available. Returns the identifiers deleted and those expired (deleted or not).
 */
export async function retainNewest(r: Retention): Promise<{ deleted: string[]; expired: string[] }> {
  const all = r.copies ?? await listOwnCopies(r.ownerId, r.copyPrefix, r.client);
  const available = all
    .filter((copy) => copy.sourceAccount === r.sourceAccount && copy.clusterIdentifier === r.clusterIdentifier && copy.status === 'available')
    .sort(newestFirst);
  const expired = available.slice(r.retain);
  const deleted: string[] = [];
  const kept: string[] = [];
  for (const copy of expired) {
    if (r.mustKeep && await r.mustKeep(copy)) {
      kept.push(copy.identifier);
    } else if ((await deleteOwnCopy(copy, r.copyPrefix, r.client)) === 'deleted') {
      deleted.push(copy.identifier);
    }
  }
  log('info', 'Applied retention', {
    region: r.region, sourceAccount: r.sourceAccount, clusterIdentifier: r.clusterIdentifier, retain: r.retain, available: available.length, deleted, keptForReplicas: kept,
  });
  return { deleted, expired: expired.map((copy) => copy.identifier) };
}
