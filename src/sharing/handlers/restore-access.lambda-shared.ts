import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';

/**
 * Who may restore a snapshot: its `restore` attribute, which holds account ids or `all` (public).
 * Revocation makes it exactly the current targets on every shared snapshot this construct keeps, so
 * an account removed from `targetAccountIds` loses access to the retained ones at the next run.
 */

/** The accounts in the snapshot's `restore` attribute (a missing answer counts as none). */
export async function restoreAccounts(snapshotIdentifier: string, kind?: DatabaseKind): Promise<string[]> {
  return snapshotApi(kind).restoreAccounts(snapshotIdentifier);
}

export interface RestoreChange {
  readonly added: string[];
  readonly removed: string[];
}

/**
 * Makes the `restore` attribute exactly `targets`, given its `current` value: removes the others
 * first (`all` included: never public), so that swapping accounts never passes RDS's 20-account
 * limit, then adds the missing targets. Calls RDS only for what differs.
 */
export async function setRestoreAccounts(
  snapshotIdentifier: string, current: string[], targets: string[], kind?: DatabaseKind,
): Promise<RestoreChange> {
  const removed = current.filter((account) => !targets.includes(account));
  const added = targets.filter((account) => !current.includes(account));
  const api = snapshotApi(kind);
  if (removed.length > 0) await api.modifyRestore(snapshotIdentifier, { remove: removed });
  if (added.length > 0) await api.modifyRestore(snapshotIdentifier, { add: added });
  return { added, removed };
}
