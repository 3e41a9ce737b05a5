import type { ClusterTag } from './cluster-tag';

/**
 * The DB instances a {@link SharedClusterSnapshots} snapshots beside its DB clusters, and how their
 * snapshots are copied (part of {@link SharedClusterSnapshotsProps}).
 */
export interface InstanceSelectionProps {
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
}
