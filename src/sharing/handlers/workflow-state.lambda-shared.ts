import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';
import type { SnapshotSharedDetail } from '../../shared/events';

/** What one execution carries from state to state. Every handler returns it, extended. */
export interface RunPlan {
  /** What is snapshotted: absent (or `cluster`) for a DB cluster, `instance` for a DB instance. */
  readonly databaseKind?: DatabaseKind;
  /**
   * The database's identifier: the DB cluster's or, with `databaseKind` 'instance', the DB
   * instance's (the name predates instances; the ownership tag `shared-cluster-snapshots:cluster`
   * holds it for both kinds).
   */
  readonly clusterIdentifier: string;
  readonly runId: string;
  /** The snapshot that ends up shared with the target accounts. */
  readonly sharedSnapshotIdentifier: string;
  /** The snapshot taken of the cluster before re-encryption; absent when no copy is needed, or the copy starts from an automated snapshot. */
  readonly temporarySnapshotIdentifier?: string;
  /**
   * A DB instance's automated snapshot (`rds:<instance>-...`) the copy starts from instead of a new
   * snapshot (`snapshotSource`), and when it was taken (ISO-8601). Only with `copyRequired`.
   */
  readonly sourceSnapshotIdentifier?: string;
  readonly sourceSnapshotTime?: string;
  readonly copyRequired: boolean;
  /** The snapshot the next status check waits for, and when that wait ends. */
  readonly awaitingSnapshotIdentifier?: string;
  readonly deadline?: string;
  /**
   * When the copy phase ends: `snapshotTimeout` after the temporary snapshot was found available.
   * CopySnapshot waits for a copy slot (CopyLimitReached) until then. Only with `copyRequired`.
   */
  readonly copyDeadline?: string;
  /** ARN of the last snapshot found available. */
  readonly snapshotArn?: string;
  /** A DB instance whose copies need a target option group: its option group, and the options the target's must hold. */
  readonly optionGroupName?: string;
  readonly requiredOptions?: string[];
  /** Set once the shared snapshot is shared: from then on nothing may delete it. */
  readonly sharedWith?: string[];
  /**
   * Fleet pacing: only every `pollStride`-th status check calls RDS, so a large fleet stays within
   * the RDS request budget. Absent means every check calls RDS.
   */
  readonly pollStride?: number;
  /**
   * `regions`: the other Region this plan's steps work in (its copy of the shared snapshot: the
   * same identifier, shared with the same targets, cleaned up there). Absent: the stack's own Region.
   */
  readonly region?: string;
}

/** The error a Catch recorded under `$.error`. */
export interface CaughtError {
  readonly Error: string;
  readonly Cause?: string;
}

/**
 * The execution's result on success, which is also the detail of the `Cluster Snapshot Shared`
 * event the workflow puts: nothing else may be added to it.
 */
export type RunResult = SnapshotSharedDetail;
