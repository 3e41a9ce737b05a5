import type * as kms from 'aws-cdk-lib/aws-kms';
import type { ClusterTag } from './cluster-tag';
import type { SnapshotSource } from './snapshot-source';

/**
 * The database kinds beside Aurora DB clusters (part of {@link SharedClusterSnapshotsProps}): the DB
 * instances a {@link SharedClusterSnapshots} snapshots, how their snapshots are copied, and the keys
 * a snapshot may already be on to be shared without a copy (the only way for a Multi-AZ DB cluster).
 */
export interface DatabaseKindProps {
  /**
   * The RDS DB instances to snapshot, by identifier (PostgreSQL, MySQL, MariaDB, Oracle, SQL Server,
   * Db2). CDK tokens (e.g. `instance.instanceIdentifier`) are allowed. Each must be in this stack's
   * account and Region. Not an Aurora cluster's instances (select the cluster) nor a read replica
   * (select its source): a run names each such instance in its error.
   *
   * Each instance is allowed by its ARN in the CreateSnapshot role's IAM policies, as clusters are.
   *
   * @default - no explicit DB instances; only those found by `instanceTag`
   */
  readonly instanceIdentifiers?: string[];

  /**
   * Also snapshot every DB instance that carries this tag, found when each run starts.
   *
   * @default - no tag discovery of DB instances; only `instanceIdentifiers`
   */
  readonly instanceTag?: ClusterTag;

  /**
   * The most DB (instance) snapshot copies this construct keeps in progress in the account and
   * Region at once, apart from cluster snapshot copies (`maxConcurrentCopies`). RDS allows "up to 20
   * snapshot copy requests in progress to a single destination Region per account" (RDS User Guide,
   * "Copying a DB snapshot"); whether same-Region copies count, and whether cluster copies share the
   * count, is not stated. Lower it to leave room for other tools. Between 1 and 20.
   *
   * @default 20
   */
  readonly maxConcurrentInstanceCopies?: number;

  /**
   * What each DB instance's shared snapshot starts from. `SnapshotSource.newestAutomatedSnapshot(maxAge)`
   * reuses the instance's newest automated snapshot when it is younger than `maxAge`: one copy with
   * the sharing key instead of a snapshot and a copy, no temporary snapshot, and no snapshot I/O on
   * the instance (a Single-AZ instance may pause I/O briefly during a snapshot; not confirmed in
   * current AWS docs). The data is then as old as that automated snapshot: the event and the run
   * result say which source was used and its time, and freshness counts from it. Set `maxAge` below
   * `maxSnapshotAge` less the schedule's interval.
   *
   * @default SnapshotSource.newSnapshot() - a new snapshot every run
   */
  readonly snapshotSource?: SnapshotSource;

  /**
   * Customer-managed KMS keys, besides the sharing key, whose key policy already lets the target
   * accounts use them (as the README describes for `encryptionKey`): a snapshot already encrypted
   * with one of them is shared as it is, without a re-encrypting copy. This is the only way to share
   * a Multi-AZ DB cluster (RDS for MySQL or PostgreSQL in a DB cluster) that is not on the sharing
   * key, since RDS does not copy its snapshots; without it such a cluster fails its run with
   * `MultiAzClusterNotShareable` before anything is created. The construct cannot check the keys'
   * policies: a target that may not use a key cannot restore or copy what is shared on it. Pass keys
   * (`kms.Key.fromKeyArn`), not aliases, in this stack's Region.
   *
   * @default - none: only snapshots on the sharing key (or unencrypted ones, with `allowUnencrypted`) are shared without a copy
   */
  readonly additionalSharingKeys?: kms.IKey[];
}
