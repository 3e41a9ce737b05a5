import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * DB cluster snapshot copies this account owns, as a `ReceivedClusterSnapshots` makes them: each
 * named `<copyPrefix>-...`, tagged with the receiver's owner id and its source cluster, and
 * encrypted with `encryptionKey`. A `RefreshedDatabase` restores the newest of them.
 */
export interface IOwnedClusterSnapshotCopies {
  /** The start of every copy's identifier. */
  readonly copyPrefix: string;
  /** The value of the `received-cluster-snapshots:owner` tag on every copy. */
  readonly ownerId: string;
  /** The key the copies are encrypted with: restoring one needs it. */
  readonly encryptionKey: kms.IKey;
}

/** Attributes of copies made by a `ReceivedClusterSnapshots` of another stack or app. */
export interface OwnedClusterSnapshotCopiesAttributes {
  /** The receiver's `copyPrefix`. */
  readonly copyPrefix: string;
  /** The receiver's `ownerId` (its copies' owner tag). */
  readonly ownerId: string;
  /** The receiver's `encryptionKey`. */
  readonly encryptionKey: kms.IKey;
}

/** Copies of cluster snapshots this account owns, named without the receiver that made them. */
export class OwnedClusterSnapshotCopies {
  /** The copies a receiver of another stack or app makes, by its prefix, owner id and key. */
  public static fromAttributes(attributes: OwnedClusterSnapshotCopiesAttributes): IOwnedClusterSnapshotCopies {
    return { copyPrefix: attributes.copyPrefix, ownerId: attributes.ownerId, encryptionKey: attributes.encryptionKey };
  }

  private constructor() {}
}
