import type { DBClusterSnapshot, DBSnapshot, Tag } from '@aws-sdk/client-rds';

/**
 * The kinds of database whose snapshots this library shares: `cluster`, an Aurora DB cluster or a
 * Multi-AZ DB cluster (cluster snapshots: `*DBClusterSnapshot*` calls, ARN type `cluster-snapshot`);
 * `instance`, an RDS DB instance (DB snapshots: `*DBSnapshot*` calls, ARN type `snapshot`). The two
 * kinds' snapshots live in separate namespaces with separate quotas (aws-facts.md, "DB instances").
 */
export type DatabaseKind = 'cluster' | 'instance';

export const DATABASE_KINDS: readonly DatabaseKind[] = ['cluster', 'instance'];

export function isDatabaseKind(value: unknown): value is DatabaseKind {
  return value === 'cluster' || value === 'instance';
}

/**
 * Status values that mean "still working"; `available` means done; anything else is a failure.
 * `pending`: a DB snapshot copy queued behind another copy of the same instance's snapshots ("they're
 * queued internally", RDS User Guide, "Copying a DB snapshot"; the status name is not confirmed, and
 * counting it as in progress is the safe reading).
 */
export const IN_PROGRESS_STATUSES = ['creating', 'copying', 'pending'];

/**
 * A snapshot of either kind in one shape: the DBClusterSnapshot field names (a DB snapshot's are
 * mapped onto them), plus the DB snapshot fields a cluster snapshot does not have. So the code that
 * reads ownership tags, statuses and times serves both kinds.
 */
export type SnapshotView = DBClusterSnapshot & Pick<DBSnapshot, 'OriginalSnapshotCreateTime' | 'OptionGroupName'>;

/** The snapshot calls of one kind, answering in the one shape. Faults pass through as the SDK throws them. */
export interface SnapshotApi {
  readonly kind: DatabaseKind;
  /** The `AccountQuotaName` of this kind's manual snapshot quota in DescribeAccountAttributes. */
  readonly quotaName: string;
  /** The resource type of this kind's snapshot ARNs: `cluster-snapshot` or `snapshot` (`arn:<partition>:rds:<region>:<account>:<type>:<id>`). */
  readonly arnType: 'cluster-snapshot' | 'snapshot';
  /** The SDK exception names of this kind's snapshot faults. */
  readonly faults: { readonly snapshotNotFound: string; readonly snapshotState: string; readonly snapshotExists: string };
  /** This account's snapshot with this identifier (or an ARN another account shares), or undefined when there is none. */
  find(snapshotIdentifier: string): Promise<SnapshotView | undefined>;
  /** Every manual snapshot in the account and Region, or of one database, page by page. */
  listManual(databaseIdentifier?: string): AsyncGenerator<SnapshotView>;
  /**
   * A snapshot another account shares with this one, by its ARN, as this account sees it; undefined
   * when it is not shared with this account (or gone). SDK model (Describe*SnapshotsMessage): an
   * identifier may be combined with SnapshotType, and `shared` returns the manual snapshots shared
   * with this account.
   */
  describeShared(arn: string): Promise<SnapshotView | undefined>;
  /** Every snapshot other accounts share with this one (`SnapshotType: 'shared'`), page by page. */
  listShared(): AsyncGenerator<SnapshotView>;
  copy(input: SnapshotCopy): Promise<void>;
  remove(snapshotIdentifier: string): Promise<void>;
  /** The accounts in the snapshot's `restore` attribute. */
  restoreAccounts(snapshotIdentifier: string): Promise<string[]>;
  modifyRestore(snapshotIdentifier: string, change: { readonly add?: string[]; readonly remove?: string[] }): Promise<void>;
}

export interface SnapshotCopy {
  readonly source: string;
  readonly target: string;
  readonly kmsKeyId?: string;
  readonly tags: Tag[];
  /** DB snapshots only: the option group of the copy (a copy of a shared snapshot that needs one). */
  readonly optionGroupName?: string;
}
