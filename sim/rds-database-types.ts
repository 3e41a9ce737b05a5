/**
 * The shapes of the simulated Aurora DB clusters and their DB instances (sim/rds-databases.ts):
 * what a restore creates, how long each operation takes, and the faults tests inject.
 */
import type { ServerlessV2ScalingConfiguration, Tag } from '@aws-sdk/client-rds';
import type { Encryption } from './rds-encryption';

/**
 * How long each asynchronous operation takes in virtual time. Only the rename delay has a
 * documented figure, and not for Aurora: "The new DNS name ... becomes effective in about two
 * minutes" for Multi-AZ DB clusters (RDS User Guide, `multi-az-db-cluster-rename.html`), about 10
 * minutes for DB instances (`USER_RenameInstance.html`). The Aurora delay is unconfirmed; 2 minutes
 * by default, set `renameMs` to 10 minutes for a pessimistic run.
 */
export interface DatabaseTimings {
  /** RestoreDBClusterFromSnapshot: `creating` until `available`. @default 15 minutes */
  readonly restoreMs: number;
  /** CreateDBInstance in a cluster: `creating` until `available`. @default 10 minutes */
  readonly instanceMs: number;
  /** ModifyDBCluster with NewDBClusterIdentifier: `renaming`, and the new name unresolvable, this long. @default 2 minutes */
  readonly renameMs: number;
  /** ModifyDBCluster with ManageMasterUserPassword: `resetting-master-credentials` (status unconfirmed). @default 1 minute */
  readonly modifyMs: number;
  /** DeleteDBCluster / DeleteDBInstance: `deleting` until gone. @default 5 minutes */
  readonly deleteMs: number;
}

export const DEFAULT_TIMINGS: DatabaseTimings = {
  restoreMs: 15 * 60_000,
  instanceMs: 10 * 60_000,
  renameMs: 2 * 60_000,
  modifyMs: 60_000,
  deleteMs: 5 * 60_000,
};

/** One scheduled change of state: at `at`, the status becomes `next` (or the resource is gone). */
export interface Transition {
  readonly at: number;
  readonly next: string | 'gone';
}

/** A secret RDS created for a cluster's master user (ManageMasterUserPassword). */
export interface ManagedSecret {
  readonly arn: string;
  readonly kmsKeyId: string;
  /** The cluster it belongs to (its resource id: it survives renames). */
  readonly clusterResourceId: string;
  readonly createdAt: number;
  /** `creating` until then, `active` after. */
  readonly activeAt: number;
  deletedAt?: number;
}

/** An Aurora DB cluster the simulated account restored (never a spec cluster of sim/rds-store.ts). */
export interface Database {
  identifier: string;
  readonly resourceId: string;
  readonly engine: string;
  readonly engineVersion: string;
  status: string;
  transition?: Transition;
  readonly createdAt: number;
  /** The ARN of the snapshot it was restored from: where its data comes from. */
  readonly restoredFrom: string;
  readonly encryption: Encryption;
  readonly subnetGroup: string;
  readonly securityGroups: string[];
  readonly parameterGroup: string;
  readonly serverlessV2?: ServerlessV2ScalingConfiguration;
  readonly port: number;
  readonly masterUsername: string;
  deletionProtection: boolean;
  tags: Tag[];
  /** Where the master password comes from: the source's, kept by the restore, or a managed secret. */
  password: { readonly kind: 'from-snapshot'; readonly snapshot: string } | { readonly kind: 'managed'; readonly secretArn: string };
  /** A rename asked for without ApplyImmediately: pending until a maintenance window never simulated. */
  pendingIdentifier?: string;
}

/** A DB instance in one of the simulated clusters. */
export interface DatabaseInstance {
  readonly identifier: string;
  readonly resourceId: string;
  readonly clusterResourceId: string;
  readonly instanceClass: string;
  readonly engine: string;
  status: string;
  transition?: Transition;
  readonly createdAt: number;
  tags: Tag[];
}

/** When a name resolved to which cluster's endpoint: DNS as clients see it. */
export interface NameRecord {
  readonly name: string;
  readonly resourceId: string;
  readonly from: number;
  to?: number;
}

/** A fault to answer one future call with, instead of serving it. */
export interface InjectedFault {
  readonly api: string;
  readonly matches: (input: any) => boolean;
  readonly errorName: string;
  times: number;
}

/** A snapshot as a restore sees it. */
export interface RestorableSnapshot {
  readonly id: string;
  readonly arn: string;
  readonly status: string;
  readonly encryption: Encryption;
  readonly engine: string;
}

/** What the database model needs from the rest of the fake RDS (sim/fake-rds.ts). */
export interface DatabaseHost {
  readonly account: string;
  /** A snapshot this account may restore (its own, or one shared with it by ARN), brought up to date. */
  snapshotFor(idOrArn: string): RestorableSnapshot | undefined;
  /** Whether a spec cluster of the fake already holds the identifier. */
  specClusterHolds(identifier: string): boolean;
  /** Creates a manual cluster snapshot (a final snapshot); throws what CreateDBClusterSnapshot throws for the id. */
  createFinalSnapshot(id: string, clusterId: string, engine: string, encryption: Encryption, tags: Tag[]): void;
  /** The key ARN behind a key id or alias; throws KMSKeyNotAccessibleFault when RDS cannot use it. */
  resolveKey(keyId: string): string;
}
