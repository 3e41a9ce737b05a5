/**
 * The event details the two sides exchange. Type-only: imported by the handlers of both sides and
 * by tests, never at run time. Every field a receiver reads from an event is untrusted input: the
 * receiver checks the event's `account` and re-reads the snapshot from RDS before acting on it.
 */

/** `Cluster Snapshot Shared`: a snapshot the source account has just shared with its targets. */
export interface SnapshotSharedDetail {
  readonly clusterIdentifier: string;
  readonly snapshotIdentifier: string;
  readonly snapshotArn: string;
  /** The key the shared snapshot is encrypted with (the sharing key), or absent when unencrypted. */
  readonly kmsKeyArn?: string;
  readonly sharedWith: string[];
  readonly runId: string;
  /** ISO-8601. */
  readonly snapshotCreateTime: string;
}

/** `Cluster Snapshot Failed`: a source-side run that failed. */
export interface SnapshotFailedDetail {
  readonly clusterIdentifier: string;
  readonly runId?: string;
  readonly error: string;
  readonly cause?: string;
}

/** `Cluster Snapshot Copied`: the target's confirmation that it owns a copy of a shared snapshot. */
export interface SnapshotCopiedDetail {
  /** The account that shared the snapshot (the event goes to its default bus). */
  readonly sourceAccount: string;
  readonly sourceSnapshotArn: string;
  readonly clusterIdentifier: string;
  readonly copyArn: string;
  /** The account that made the copy. */
  readonly targetAccount: string;
}
