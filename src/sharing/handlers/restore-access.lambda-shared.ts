import { DescribeDBClusterSnapshotAttributesCommand, ModifyDBClusterSnapshotAttributeCommand } from '@aws-sdk/client-rds';
import { rds } from '../../shared/clients.lambda-shared';

/**
 * Who may restore a snapshot: its `restore` attribute, which holds account ids or `all` (public).
 * Revocation makes it exactly the current targets on every shared snapshot this construct keeps, so
 * an account removed from `targetAccountIds` loses access to the retained ones at the next run.
 */

const RESTORE = 'restore';

/** The accounts in the snapshot's `restore` attribute (a missing answer counts as none). */
export async function restoreAccounts(snapshotIdentifier: string): Promise<string[]> {
  const out = await rds.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: snapshotIdentifier }));
  const restore = out?.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes?.find((a) => a.AttributeName === RESTORE);
  return restore?.AttributeValues ?? [];
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
export async function setRestoreAccounts(snapshotIdentifier: string, current: string[], targets: string[]): Promise<RestoreChange> {
  const removed = current.filter((account) => !targets.includes(account));
  const added = targets.filter((account) => !current.includes(account));
  if (removed.length > 0) {
    await rds.send(new ModifyDBClusterSnapshotAttributeCommand({
      DBClusterSnapshotIdentifier: snapshotIdentifier, AttributeName: RESTORE, ValuesToRemove: removed,
    }));
  }
  if (added.length > 0) {
    await rds.send(new ModifyDBClusterSnapshotAttributeCommand({
      DBClusterSnapshotIdentifier: snapshotIdentifier, AttributeName: RESTORE, ValuesToAdd: added,
    }));
  }
  return { added, removed };
}
