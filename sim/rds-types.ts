import { RDSServiceException, Tag } from '@aws-sdk/client-rds';
import type { Encryption } from './rds-encryption';
import type { OptionSpec } from './rds-instance-types';

export type Outcome = 'available' | 'failed' | 'stuck';

export interface ClusterSpec {
  readonly identifier: string;
  /**
   * `aurora-postgresql` or `aurora-mysql` for Aurora; `postgres` or `mysql` for a Multi-AZ DB
   * cluster (the non-Aurora kind: RDS User Guide, "Multi-AZ DB cluster deployments"), whose
   * snapshots cannot be copied. @default 'aurora-postgresql'
   */
  readonly engine?: string;
  /**
   * A KMS key ARN (`sse-kms`), `AWS_OWNED_KEY` for the AWS-owned key (`sse-rds`), or null for an
   * unencrypted cluster (`none`). @default the AWS-managed aws/rds key
   */
  readonly kmsKeyId?: string | null;
  /**
   * Leave `StorageEncryptionType` out of the responses, as RDS did before the field existed and as
   * an older SDK does (it drops fields it does not know). @default false
   */
  readonly omitStorageEncryptionType?: boolean;
  readonly tags?: Record<string, string>;
  /** How long a snapshot of this cluster takes. @default 10 minutes */
  readonly snapshotMs?: number;
  /** How long a copy of its snapshot takes. @default 10 minutes */
  readonly copyMs?: number;
  readonly snapshotOutcome?: Outcome;
  readonly copyOutcome?: Outcome;
  /** The cluster is `backing-up` until this virtual time. */
  readonly busyUntil?: number;
}

export type Cluster = ClusterSpec & { readonly arn: string; readonly encryption: Encryption };

/** Cluster snapshots and DB (instance) snapshots live in separate namespaces, with separate APIs, ARNs and quotas. */
export type SnapshotKind = 'cluster' | 'instance';

export interface Snapshot {
  id: string;
  kind: SnapshotKind;
  /** The DB cluster or DB instance it was taken of. */
  databaseId: string;
  engine: string;
  /** DB snapshots only: the option group of the instance when the snapshot was taken (`OptionGroupName`). */
  optionGroupName?: string;
  /** DB snapshots only: that option group's options then; they decide whether it can be shared. */
  options?: readonly OptionSpec[];
  type: 'manual' | 'automated';
  status: string;
  createdAt: number;
  /** Describe calls do not show it before this virtual time (eventual consistency). */
  visibleAt: number;
  /** When it leaves creating/copying; undefined while stuck. */
  readyAt?: number;
  outcome: Outcome;
  encryption: Encryption;
  omitStorageEncryptionType?: boolean;
  tags: Tag[];
  restore: string[];
  /** Source snapshot id while this is a copy in progress. */
  copyOf?: string;
  /**
   * DB snapshot copies only: the copy waits (`pending`) until this time, behind earlier copies of
   * the same DB instance's snapshots ("When you request multiple snapshot copies for the same
   * source DB instance, they're queued internally": RDS User Guide, "Copying a DB snapshot"; the
   * status name `pending` while queued is not confirmed).
   */
  queuedUntil?: number;
  /** A copy's source's creation time, for `OriginalSnapshotCreateTime` (DB snapshots). */
  originalCreatedAt?: number;
  /** A copy into this account of a snapshot another account shared, or of its own in another Region: the source's ARN (`SourceDBSnapshotIdentifier`). */
  sourceArn?: string;
  /** A cross-Region copy: the source's Region (a full copy, its transfer billed: sim/rds-regions.ts). */
  sourceRegion?: string;
}

export interface RdsCall {
  readonly at: number;
  readonly api: string;
  readonly caller: string;
  /** The calling function (see `callContext`), when a handler made the call. */
  readonly functionId?: string;
  readonly snapshot?: string;
  readonly error?: string;
  /** The Region the call was made in, when not the home Region (sim/rds-regions.ts). */
  readonly region?: string;
}

/** What happened to one snapshot, kept after it is deleted. */
export interface SnapshotLifecycle {
  readonly id: string;
  readonly kind: SnapshotKind;
  /** The cluster, or for a DB snapshot the DB instance, it was taken of. */
  readonly clusterId: string;
  readonly createdBy: string;
  readonly createdAt: number;
  /** The tags it was created with, so tests can find it by role and run after it is deleted. */
  readonly tags: readonly Tag[];
  /** When it became available (its copy or creation finished). */
  availableAt?: number;
  /** When a Describe call first showed it available: the workflow's detection. */
  observedAvailableAt?: number;
  /** When a target account was first added to its restore attribute. */
  sharedAt?: number;
  deletedAt?: number;
}

export interface FaultOptions {
  /** Share of calls (0-1) that fail with `Throttling`, for every API or per API name. */
  readonly throttleRate?: number | Record<string, number>;
  /** Throttling applies only inside this virtual time window. */
  readonly throttleWindow?: { from: number; to: number };
  /** Share of calls that fail with a transient 5xx `InternalFailure`. */
  readonly serverErrorRate?: number;
  /** Keys RDS cannot use (KMSKeyNotAccessibleFault on copy). */
  readonly inaccessibleKeys?: string[];
  /** Manual cluster snapshot quota for the Region. @default 100 */
  readonly manualSnapshotQuota?: number;
  /**
   * Manual DB instance snapshot quota for the Region (`ManualSnapshots`), separate from the cluster
   * one (RDS User Guide, "Quotas in Amazon RDS": 100 manual DB instance snapshots). @default 100
   */
  readonly manualInstanceSnapshotQuota?: number;
  /**
   * DB snapshot copies in progress (queued ones included) before RDS refuses another. @default 20:
   * "You can have up to 20 snapshot copy requests in progress to a single destination Region per
   * account" (RDS User Guide, "Copying a DB snapshot"). Whether same-Region copies count, and
   * whether cluster and instance copies share one count, is not stated: modelled as counting, apart.
   */
  readonly instanceCopiesInProgressLimit?: number;
  /** Accounts a snapshot may be shared with. @default 20 */
  readonly sharedAccountsQuota?: number;
  /** Copies in progress per account and Region before RDS refuses another. @default 5 (documented) */
  readonly copiesInProgressLimit?: number;
  /**
   * How long a new snapshot or copy stays invisible to DescribeDBClusterSnapshots after the call
   * that made it. RDS documents no read-after-write guarantee (aws-facts.md, "Visibility"). @default 0
   */
  readonly visibilityDelayMs?: number;
  /**
   * Encryption types RDS refuses to re-encrypt on copy, and the error it answers with. Not
   * confirmed for any type: re-encrypting `sse-rds` and `aws/rds` is expected to work (aws-facts.md).
   */
  readonly reEncryptionRefused?: { readonly types: readonly ('sse-rds' | 'sse-kms')[]; readonly errorName?: string };
  /** How long a copy of a snapshot shared by another account takes in this account. @default 10 minutes */
  readonly sharedCopyMs?: number;
  /** How such a copy ends. @default 'available' */
  readonly sharedCopyOutcome?: Outcome;
  /** How long a cross-Region copy takes (a model, not measured: sim/rds-regions.ts). @default CROSS_REGION_COPY_MS (1 hour) */
  readonly crossRegionCopyMs?: number;
  /** How a cross-Region copy ends. @default 'available' */
  readonly crossRegionCopyOutcome?: Outcome;
}

export function toTags(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** One page of `items` as RDS pages it: an opaque Marker while more remain. */
export function page<K extends string, T>(items: T[], marker: string | undefined, maxRecords: number, key: K): Record<K, T[]> & { Marker?: string } {
  const start = marker ? Number(marker) : 0;
  const next = start + maxRecords;
  return { [key]: items.slice(start, next), Marker: next < items.length ? String(next) : undefined } as Record<K, T[]> & { Marker?: string };
}

/** An RDS error the SDK has no class for; `name` is what handlers and Retry/Catch match on. */
export function clientError(name: string, message: string): RDSServiceException {
  return new RDSServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
}
