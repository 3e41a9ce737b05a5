/**
 * The event details the two sides exchange. Type-only: imported by the handlers of both sides and
 * by tests, never at run time. Every field a receiver reads from an event is untrusted input: the
 * receiver checks the event's `account` and re-reads the snapshot from RDS before acting on it.
 */

/** `Cluster Snapshot Shared`: a snapshot the source account has just shared with its targets. */
export interface SnapshotSharedDetail {
  /**
   * The database's identifier: the DB cluster's, or for a DB instance (`databaseKind` 'instance')
   * the instance's. Kept under its first name so every event, of either kind, has it.
   */
  readonly clusterIdentifier: string;
  /**
   * `cluster` (an Aurora or Multi-AZ DB cluster: a cluster snapshot) or `instance` (a DB instance:
   * a DB snapshot, ARN type `snapshot`). Absent in events of versions before DB instances: a cluster.
   */
  readonly databaseKind?: 'cluster' | 'instance';
  /** The database's identifier, the same as `clusterIdentifier`. */
  readonly databaseIdentifier?: string;
  /**
   * A DB instance whose option group holds Oracle `Timezone` or `OLS`: a copy in the target account
   * needs a target option group (CopyDBSnapshot `OptionGroupName`) holding `requiredOptions`.
   * `optionGroupName` is the source instance's group. Absent otherwise.
   */
  readonly optionGroupName?: string;
  readonly requiredOptions?: string[];
  /**
   * What the shared snapshot was made from: `new`, a snapshot taken by this run (at
   * `snapshotCreateTime`); `automated`, a copy of the DB instance's automated snapshot
   * `sourceSnapshotIdentifier`, taken at `sourceSnapshotTime` (`snapshotSource`). Absent in events
   * of versions before it: `new`.
   */
  readonly snapshotSource?: 'new' | 'automated';
  readonly sourceSnapshotIdentifier?: string;
  readonly sourceSnapshotTime?: string;
  readonly snapshotIdentifier: string;
  readonly snapshotArn: string;
  /** The key the shared snapshot is encrypted with (the sharing key), or absent when unencrypted. */
  readonly kmsKeyArn?: string;
  readonly sharedWith: string[];
  readonly runId: string;
  /** ISO-8601. */
  readonly snapshotCreateTime: string;
  /**
   * `regions`: the other Region this copy of the snapshot is shared in (`snapshotArn` is that
   * Region's). Absent: the Region of the event bus it was put on, the source stack's own.
   */
  readonly region?: string;
}

/** `Cluster Snapshot Failed`: a source-side run that failed. */
export interface SnapshotFailedDetail {
  /** The database's identifier (a DB cluster's or a DB instance's), as in `SnapshotSharedDetail`. */
  readonly clusterIdentifier: string;
  /** As in `SnapshotSharedDetail`; absent when a run failed before its input could be read. */
  readonly databaseKind?: 'cluster' | 'instance';
  readonly databaseIdentifier?: string;
  readonly runId?: string;
  /** `regions`: the other Region whose copy failed; the snapshot is shared in the stack's own Region. Absent: the run failed at home. */
  readonly region?: string;
  readonly error: string;
  readonly cause?: string;
}

/** `Cluster Snapshot Copied`: the target's confirmation that it owns a copy of a shared snapshot. */
export interface SnapshotCopiedDetail {
  /** The account that shared the snapshot (the event goes to its default bus). */
  readonly sourceAccount: string;
  readonly sourceSnapshotArn: string;
  /** The source database's identifier (a DB cluster's or a DB instance's), as in `SnapshotSharedDetail`. */
  readonly clusterIdentifier: string;
  /** As in `SnapshotSharedDetail`: `instance` for a copy of a DB snapshot; absent in confirmations of versions before DB instances (a cluster). */
  readonly databaseKind?: 'cluster' | 'instance';
  readonly databaseIdentifier?: string;
  readonly copyArn: string;
  /** The account that made the copy. */
  readonly targetAccount: string;
}

/**
 * `Cluster Snapshot Received`: a receiver's copy is available, on the receiver's own account's
 * default bus (a `RefreshedDatabase` with `runOnNewCopy` starts a run on it).
 */
export interface SnapshotReceivedDetail {
  /** The source database's identifier, as in `SnapshotSharedDetail`. */
  readonly clusterIdentifier: string;
  readonly sourceAccount: string;
  readonly sourceSnapshotArn: string;
  /** When the source snapshot was taken (ISO-8601). */
  readonly sourceSnapshotTime: string;
  readonly copyArn: string;
  readonly copyIdentifier: string;
  /** The receiver's `copyPrefix` and owner id: which receiver made the copy. */
  readonly copyPrefix: string;
  readonly ownerId: string;
}

/** `Cluster Snapshot Replicated`: the target's copy now also lives in a replica Region, under that Region's key. */
export interface SnapshotReplicatedDetail {
  /** The account that shared the source snapshot. */
  readonly sourceAccount: string;
  readonly sourceSnapshotArn: string;
  readonly clusterIdentifier: string;
  /** The copy in the receiver's own Region, which the replica was copied from. */
  readonly copyArn: string;
  /** The replica, in `region`. */
  readonly replicaArn: string;
  readonly region: string;
  /** The replica's key, in `region`. */
  readonly kmsKeyArn: string;
}

/** `Database Refreshed`: the stable identifier now serves a database restored from a newer copy. */
export interface DatabaseRefreshedDetail {
  /** The stable identifier. */
  readonly databaseIdentifier: string;
  readonly kind: string;
  /** The generation now serving (the UTC minute of its refresh, `yyyymmddhhmm`). */
  readonly generation: string;
  /** The serving database's endpoint; with `endpointRecord`, the record's name (the database is `<databaseIdentifier>-<generation>`). */
  readonly endpoint: string;
  readonly port: number;
  /** The Secrets Manager secret RDS manages for the new database's master user. */
  readonly masterUserSecretArn: string;
  /** The copy restored, and when its source snapshot was taken (ISO-8601): the age of the data. */
  readonly sourceSnapshotArn: string;
  readonly sourceSnapshotTime: string;
  /** The database renamed away, kept for `keepPrevious` (absent on the first refresh). */
  readonly previousIdentifier?: string;
}

/** `Database Refresh Failed`: nothing was swapped (or the names were rolled back); the serving database is unchanged. */
export interface DatabaseRefreshFailedDetail {
  readonly databaseIdentifier: string;
  readonly error: string;
  readonly cause?: string;
}

/** `Database Restore Tested`: a restore test restored a copy, checked it and deleted it. */
export interface DatabaseRestoreTestedDetail {
  readonly databaseIdentifier: string;
  readonly sourceSnapshotArn?: string;
  readonly sourceSnapshotTime?: string;
  readonly passed: boolean;
  readonly error?: string;
  readonly cause?: string;
}
