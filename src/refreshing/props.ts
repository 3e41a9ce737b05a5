import type { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { PostRestoreStep } from './post-restore-step';
import type { HandlerFunctionProps } from '../shared/function-props';
import type { IOwnedClusterSnapshotCopies } from '../shared/snapshot-copies';

/**
 * What kind of database a `RefreshedDatabase` keeps fresh. The props mean the same for every kind;
 * the kind decides which RDS calls restore, rename and delete it.
 */
export enum DatabaseKind {
  /** An Aurora DB cluster, restored from a DB cluster snapshot copy, with its DB instances. */
  AURORA_CLUSTER = 'aurora-cluster',
}

/** What each run does with the newest copy. */
export enum RefreshMode {
  /** Restore it, run the post-restore step, and swap it in under `databaseIdentifier`. */
  REFRESH = 'refresh',
  /**
   * Restore it, check it (the post-restore step, or the built-in check: it is available and, from
   * functions in `vpc`, accepts a TCP connection on its port), publish the result as a metric and a
   * `Database Restore Tested` event, and delete it: proves every day that the copies restore.
   */
  RESTORE_TEST = 'restore-test',
}

/** Aurora Serverless v2 capacity of the restored database's instances, in Aurora capacity units (ACU). */
export interface ServerlessV2Capacity {
  /**
   * The least capacity, from 0 to 256 ACU in steps of 0.5. 0 lets an idle database pause (Aurora
   * PostgreSQL 13.15 or later, MySQL 3.08.0 or later; not with RDS Proxy), which makes a refreshed
   * copy that sits idle cheap.
   */
  readonly minCapacity: number;
  /** The most capacity, from 1 to 256 ACU in steps of 0.5, at least `minCapacity`. */
  readonly maxCapacity: number;
  /**
   * How long an idle database waits before it pauses, with `minCapacity` 0 (5 minutes to 1 day).
   *
   * @default - Aurora's default (5 minutes)
   */
  readonly secondsUntilAutoPause?: Duration;
}

/**
 * Properties of {@link RefreshedDatabase}. The functions' network, architecture and memory
 * (`HandlerFunctionProps`) are the other constructs'; in restore-test mode the built-in check also
 * connects from `vpc` to the restored database's port.
 */
export interface RefreshedDatabaseProps extends HandlerFunctionProps {
  /**
   * Where the copies come from: a `ReceivedClusterSnapshots` of this stack, or
   * `OwnedClusterSnapshotCopies.fromAttributes(...)` for one elsewhere. Each run restores the newest
   * available copy of `sourceClusterIdentifier` that carries its owner id.
   */
  readonly source: IOwnedClusterSnapshotCopies;

  /** The identifier of the database in the source account whose copies are restored. */
  readonly sourceClusterIdentifier: string;

  /**
   * Restore only copies of snapshots shared by this account (when several source accounts share a
   * cluster of the same name).
   *
   * @default - copies from any source account of the receiver
   */
  readonly sourceAccountId?: string;

  /**
   * The identifier the refreshed database keeps, so its endpoint stays the same across refreshes.
   * Every other database and instance this construct creates is named `<databaseIdentifier>-...`, and
   * IAM lets it restore, rename and delete only those (and only when they carry its owner tag).
   * Lowercase letters, digits and hyphens, starting with a letter, at most 47 characters. When it
   * already names a database this construct did not create, every run fails with `DatabaseNotOwned`:
   * rename or delete that database first.
   */
  readonly databaseIdentifier: string;

  /**
   * The kind of database.
   *
   * @default DatabaseKind.AURORA_CLUSTER
   */
  readonly kind?: DatabaseKind;

  /**
   * Refresh the database, or only test that the copies restore.
   *
   * @default RefreshMode.REFRESH
   */
  readonly mode?: RefreshMode;

  /** The DB subnet group the restored database is placed in: its VPC and subnets. */
  readonly subnetGroup: rds.ISubnetGroup;

  /** The VPC security groups of the restored database (1 to 5): who may connect to it. */
  readonly databaseSecurityGroups: ec2.ISecurityGroup[];

  /**
   * The KMS key the restored database is encrypted with. The copy's key must allow this account to
   * use it through RDS either way.
   *
   * @default - the copy's key (`source.encryptionKey`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The parameter group of the restored database, by name (a DB cluster parameter group for Aurora).
   *
   * @default - the engine's default parameter group
   */
  readonly parameterGroupName?: string;

  /**
   * The engine version to restore to. It must be the copy's version or a version it can be upgraded
   * to on restore.
   *
   * @default - the copy's engine version
   */
  readonly engineVersion?: string;

  /**
   * The instance class of the restored database's instances, e.g. `db.r6g.large`. Leave it out to
   * run them as Aurora Serverless v2 (`serverlessV2`).
   *
   * @default - `db.serverless`, with `serverlessV2`'s capacity
   */
  readonly instanceClass?: string;

  /**
   * The Serverless v2 capacity, when `instanceClass` is not given.
   *
   * @default - 0.5 to 4 ACU
   */
  readonly serverlessV2?: ServerlessV2Capacity;

  /**
   * How many instances the restored database gets: one writer, the rest readers. 1 to 16.
   *
   * @default 1
   */
  readonly instances?: number;

  /**
   * The port the restored database listens on.
   *
   * @default - the engine's default port (5432 for PostgreSQL, 3306 for MySQL)
   */
  readonly port?: number;

  /**
   * The KMS key that encrypts the master user's secret, which RDS creates in Secrets Manager when it
   * resets the restored database's password.
   *
   * @default - the account's `aws/secretsmanager` key
   */
  readonly masterUserSecretKey?: kms.IKey;

  /**
   * Whether the serving database has deletion protection. A database being restored never has it,
   * and a previous one loses it when it is renamed away, so this construct can delete them.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * Extra tags on every database and instance this construct creates. Keys starting with
   * `refreshed-database:` (this construct's own), `aws:` or `rds:` are refused.
   *
   * @default - only this construct's own tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * A step to run on each restored database before it is swapped in (sanitize, migrate, grant): a
   * Lambda function or a state machine. It receives the database's temporary identifier, endpoint,
   * port and master user secret; its failure (or timeout) abandons the refresh. In restore-test
   * mode it is the check.
   *
   * @default - none
   */
  readonly postRestore?: PostRestoreStep;

  /**
   * How long the post-restore step may run.
   *
   * @default Duration.hours(1)
   */
  readonly postRestoreTimeout?: Duration;

  /**
   * How long the restore, its instances and the password reset may take together.
   *
   * @default Duration.hours(3)
   */
  readonly restoreTimeout?: Duration;

  /**
   * How long the previous database is kept after a refresh, to fall back on. It is deleted after
   * this time (or at the next refresh when that comes first and the time has passed).
   *
   * @default - until the next refresh
   */
  readonly keepPrevious?: Duration;

  /**
   * Take a final snapshot of each previous database when it is deleted (named
   * `<its identifier>-final`, never deleted by this construct).
   *
   * @default false
   */
  readonly finalSnapshot?: boolean;

  /**
   * When refreshes run. A run does nothing when the serving database already holds the newest copy.
   *
   * @default - daily at 05:00 UTC
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * How often the workflow checks a restore, an instance or a rename.
   *
   * @default Duration.minutes(1)
   */
  readonly waitInterval?: Duration;

  /**
   * The staleness alarm fires when the serving database's data (the time its source snapshot was
   * taken) is older than this, or when no database serves. Between 1 hour and 366 days.
   *
   * @default Duration.hours(50)
   */
  readonly maxDataAge?: Duration;

  /**
   * An SNS topic the failure and staleness alarms notify.
   *
   * @default - the alarms are created without actions
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * How long the state machine's and handlers' logs are kept.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}
