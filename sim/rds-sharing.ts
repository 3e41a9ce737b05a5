/**
 * RDS across accounts, for the handoff simulation (sim/handoff.ts): what one account sees of the
 * snapshots another account shares with it, and copying one of them into this account.
 *
 * - A snapshot is visible to another account while that account (or `all`) is in its `restore`
 *   attribute and it exists: it follows the owner's ModifyDBClusterSnapshotAttribute and deletions.
 * - It is described by its ARN, listed with `SnapshotType: 'shared'` or with `IncludeShared` and
 *   no type (SDK model text of DescribeDBClusterSnapshotsMessage: "shared - Return all manual DB
 *   cluster snapshots that have been shared to my Amazon Web Services account"; "IncludeShared ...
 *   don't apply for SnapshotType values of manual or automated").
 * - "You can't copy a DB cluster snapshot across Regions and accounts in a single step. A shared
 *   encrypted snapshot is copied by its ARN, and KmsKeyId is then required" (aws-facts.md). The
 *   error for a missing KmsKeyId is not documented: InvalidParameterCombination is assumed.
 * - Copying needs the source key's policy to let the copying account use the key (kms:Decrypt and
 *   kms:CreateGrant at least, aws-facts.md "Sharing encrypted snapshots"); otherwise RDS answers
 *   KMSKeyNotAccessibleFault (the fault the CopyDBClusterSnapshot API reference lists).
 */
import { CopyDBClusterSnapshotMessage, DBClusterSnapshotNotFoundFault, InvalidDBClusterSnapshotStateFault, KMSKeyNotAccessibleFault } from '@aws-sdk/client-rds';
import { accountOf, snapshotArn, snapshotIdOf } from './aws-env';
import type { Encryption } from './rds-encryption';
import type { Snapshot } from './rds-types';
import { clientError } from './rds-types';

/** What one account's RDS needs to know of the others. */
export interface RdsNetwork {
  /** The snapshots `owner` has, by id (undefined for an account that is not simulated). */
  snapshotsOf(owner: string): ReadonlyMap<string, Snapshot> | undefined;
  /** Whether the policy of `keyArn` lets `account` use the key through RDS. */
  keyAllows(keyArn: string, account: string): boolean;
  /** Brings a snapshot of `owner` up to date with the clock. */
  progress(owner: string, s: Snapshot): void;
}

/** A snapshot of another account, as `viewer` may see it now: shared with it, visible, not deleted. */
export interface SharedSnapshot {
  readonly owner: string;
  readonly snapshot: Snapshot;
}

export function sharedSnapshot(network: RdsNetwork | undefined, viewer: string, arn: string | undefined): SharedSnapshot | undefined {
  const owner = accountOf(arn);
  if (!network || !owner || owner === viewer) return undefined;
  const s = network.snapshotsOf(owner)?.get(snapshotIdOf(arn) ?? '');
  if (!s || Date.now() < s.visibleAt || !(s.restore.includes(viewer) || s.restore.includes('all'))) return undefined;
  network.progress(owner, s);
  return { owner, snapshot: s };
}

/** Every snapshot shared with `viewer` by a simulated account. */
export function sharedWith(network: RdsNetwork | undefined, viewer: string, accounts: readonly string[]): SharedSnapshot[] {
  if (!network) return [];
  return accounts.filter((a) => a !== viewer).flatMap((owner) => [...(network.snapshotsOf(owner)?.values() ?? [])]
    .map((s) => sharedSnapshot(network, viewer, snapshotArn(s.id, owner)))
    .filter((found): found is SharedSnapshot => found !== undefined));
}

/** Checks a copy of a shared snapshot into `viewer`; returns the source, or throws what RDS throws. */
export function assertSharedCopy(network: RdsNetwork | undefined, viewer: string, input: CopyDBClusterSnapshotMessage): Snapshot {
  const arn = input.SourceDBClusterSnapshotIdentifier;
  const found = sharedSnapshot(network, viewer, arn);
  if (!found) throw new DBClusterSnapshotNotFoundFault({ message: `DBClusterSnapshot ${arn} not found.`, $metadata: {} });
  const source = found.snapshot;
  if (source.status !== 'available') {
    throw new InvalidDBClusterSnapshotStateFault({ message: `Snapshot ${arn} is ${source.status}, not available.`, $metadata: {} });
  }
  if (source.encryption.type !== 'none' && !input.KmsKeyId) {
    throw clientError('InvalidParameterCombination', `KmsKeyId is required to copy the shared encrypted snapshot ${arn}.`);
  }
  const key = keyOf(source.encryption);
  if (key && !network!.keyAllows(key, viewer)) {
    throw new KMSKeyNotAccessibleFault({ message: `The source snapshot KMS key ${key} does not exist, is not enabled or you do not have permissions to access it.`, $metadata: {} });
  }
  return source;
}

function keyOf(e: Encryption): string | undefined {
  return e.type === 'sse-kms' ? e.keyArn : undefined;
}
