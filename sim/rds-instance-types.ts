import type { Encryption } from './rds-encryption';
import type { Outcome } from './rds-types';

/** One option of an option group, with the flags RDS reports (`Option.Permanent`, `Option.Persistent` in the SDK model). */
export interface OptionSpec {
  /** e.g. `TDE` (Oracle and SQL Server Transparent Data Encryption), `Timezone`, `OLS`, `S3_INTEGRATION`. */
  readonly name: string;
  /** A permanent option can't be removed from an option group (RDS User Guide, "Working with option groups"). */
  readonly permanent?: boolean;
  /** An option group with a persistent option can't be removed from a DB instance while the option is in it. */
  readonly persistent?: boolean;
}

export interface OptionGroupSpec {
  readonly name: string;
  /** `EngineName`, e.g. `oracle-ee`, `sqlserver-ee`, `postgres`. */
  readonly engine: string;
  readonly majorEngineVersion?: string;
  readonly options?: readonly OptionSpec[];
}

export interface InstanceSpec {
  readonly identifier: string;
  /**
   * `postgres`, `mysql`, `mariadb`, `oracle-ee`, `sqlserver-se`, `db2-se`...; `aurora-postgresql` or
   * `aurora-mysql` for an Aurora cluster member (with `clusterIdentifier`). @default 'postgres'
   */
  readonly engine?: string;
  /** As ClusterSpec.kmsKeyId: a key ARN, AWS_OWNED_KEY, null for unencrypted. @default the AWS-managed aws/rds key */
  readonly kmsKeyId?: string | null;
  /** The instance's option group. @default `default:<engine>-<major version>`, with no options */
  readonly optionGroupName?: string;
  /** An Aurora (or Multi-AZ DB cluster) member: `DBClusterIdentifier`. */
  readonly clusterIdentifier?: string;
  /** A read replica of this instance: `ReadReplicaSourceDBInstanceIdentifier`. */
  readonly readReplicaSourceIdentifier?: string;
  readonly tags?: Record<string, string>;
  /** How long a snapshot of this instance takes. @default 10 minutes */
  readonly snapshotMs?: number;
  /** How long a copy of one of its snapshots takes. @default 10 minutes */
  readonly copyMs?: number;
  readonly snapshotOutcome?: Outcome;
  readonly copyOutcome?: Outcome;
  /** The instance is `backing-up` until this virtual time. */
  readonly busyUntil?: number;
  /** A status other than `available` for good, e.g. `stopped` or `storage-full`. */
  readonly status?: string;
}

export type Instance = InstanceSpec & {
  readonly arn: string;
  readonly encryption: Encryption;
  readonly engine: string;
  readonly optionGroupName: string;
};

/** The option group an instance gets without one of its own: `default:<engine>-<major version>` (RDS names it so). */
export function defaultOptionGroupName(engine: string, majorEngineVersion = '16'): string {
  return `default:${engine}-${majorEngineVersion}`;
}
