import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { ReplicaRegion } from './replica-region';
import { HandlerFunctionProps } from '../shared/function-props';

/** Properties of {@link ReceivedClusterSnapshots}. */
export interface ReceivedClusterSnapshotsProps extends HandlerFunctionProps {
  /**
   * The accounts whose shared snapshots are copied: 1 to 20 twelve-digit account ids, not including
   * this stack's own account. Only events from these accounts are accepted (the default event bus
   * policy lets exactly these put `Cluster Snapshot Shared` events), and only their snapshots copied.
   */
  readonly sourceAccountIds: string[];

  /**
   * Copy only shared snapshots whose identifier starts with this, e.g. the source's `snapshotPrefix`.
   * Set it when the source accounts also share snapshots that this account should not copy; IAM
   * then allows copying only such snapshots. Lowercase letters, digits and hyphens, starting with a
   * letter; a literal string.
   *
   * @default - every snapshot the source accounts share
   */
  readonly sourceSnapshotPrefix?: string;

  /**
   * Copy only snapshots of these source clusters (their identifiers in the source accounts). Set it
   * to receive a subset, and to have the freshness alarm fire for a listed cluster that never
   * arrives. When it or `instanceIdentifiers` is set, only the listed databases are copied: a list
   * of clusters alone copies no DB instance. At most 40, with `instanceIdentifiers`.
   *
   * @default - snapshots of every cluster the source accounts share, unless `instanceIdentifiers` is set
   */
  readonly clusterIdentifiers?: string[];

  /**
   * Copy only snapshots of these source DB instances (their identifiers in the source accounts): the
   * counterpart of `clusterIdentifiers` for the DB instances `SharedClusterSnapshots` selects with
   * its `instanceIdentifiers` or `instanceTag`, with the same rules (1-63 letters, digits or
   * hyphens, starting with a letter). When it or `clusterIdentifiers` is set, only the listed
   * databases are copied: a list of DB instances alone copies no cluster. At most 40, with
   * `clusterIdentifiers`.
   *
   * @default - snapshots of every DB instance the source accounts share, unless `clusterIdentifiers` is set
   */
  readonly instanceIdentifiers?: string[];

  /**
   * The option group of this account that a copy of a shared DB snapshot is made with when the snapshot needs one.
   *
   * That is an Oracle snapshot whose option group holds the permanent options `Timezone` or `OLS`:
   * RDS copies it into another account only with a target option group holding them
   * (CopyDBSnapshot `OptionGroupName`). Create the group in this account and Region for that engine
   * and major version, with those options. The source's `Cluster Snapshot Shared` event names the
   * options (`requiredOptions`); the catch-up scan learns it from RDS's refusal. Used for no other
   * snapshot.
   *
   * @default - none: a DB snapshot that needs an option group is not copied, and its copy fails with `OptionGroupRequired`
   */
  readonly optionGroupName?: string;

  /**
   * The KMS key of this account that every copy is encrypted with. Pass your own to use a key your
   * restore procedures already rely on.
   *
   * @default - a new customer-managed key with rotation on, retained on stack deletion
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How many available copies to keep per source account and database (cluster or DB instance). Older copies this instance
   * made are deleted once a newer one is available. Raise it for more restore points (each copy is
   * billed in full); 1 to 100.
   *
   * @default 7
   */
  readonly retainCopies?: number;

  /**
   * The start of every copy's identifier. IAM lets this instance copy to and delete only snapshots
   * with this prefix. 1 to 24 lowercase letters, digits or hyphens, starting with a letter; a literal
   * string. Change it when two receivers share an account and Region.
   *
   * @default 'received'
   */
  readonly copyPrefix?: string;

  /**
   * When the catch-up scan runs: it copies the newest shared snapshot of each source cluster that has
   * no copy yet (a lost event, a receiver deployed after the source) and publishes the freshness
   * metric. Run it more often for a faster recovery and alarm; a cron expression must fire at least
   * daily, a rate at most every 6 days.
   *
   * @default ScheduleExpression.rate(Duration.hours(6))
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * The freshness alarm fires when the newest copy of any source cluster was taken longer ago than
   * this, or when no freshness data arrives. Set it to the source's schedule interval plus the time a
   * snapshot, share and copy take. Between 1 hour and 366 days.
   *
   * @default Duration.hours(26)
   */
  readonly maxCopyAge?: Duration;

  /**
   * Once a copy is available, put a `Cluster Snapshot Copied` event on the source account's default
   * event bus. Turn it on when the source uses `retainUntilCopied`, which prunes a shared snapshot
   * only once its targets confirmed their copies (the source must let this account put events).
   *
   * @default false
   */
  readonly confirmCopies?: boolean;

  /**
   * Regions that keep replicas of the copies, for disaster recovery: each new copy, once available,
   * is copied into every listed Region under that Region's key, by one replica execution per
   * Region. Each Region has its own copy limit, retention (`retainCopies`), freshness alarm
   * (`replicaFreshnessAlarms`) and `Cluster Snapshot Replicated` events on this account's default
   * bus. A slow or failed replica never holds up or deletes the copy here, nor the other Regions;
   * a copy here stays while its replica is copying. Each replica is a full copy (billed in full per
   * Region) and its transfer out of this Region is billed. At most 5.
   *
   * @default - no replicas: copies live in this stack's Region only
   */
  readonly replicaRegions?: ReplicaRegion[];

  /**
   * An SNS topic the failure alarm and the freshness alarm notify. Give one so a failed copy and
   * stale copies reach someone.
   *
   * @default - the alarms are created without actions
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * How long the state machine's and handlers' logs are kept. Lengthen it to meet an audit
   * retention rule; shorten it to pay less for logs.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Adds a CloudWatch dashboard of this instance (see `addDashboard()`): copies succeeded and
   * failed, their durations, the errors of the receive-event and scan functions, and the age of the
   * newest copy. Turn it on for a team that watches the copies in the console; leave it off to keep
   * the stack minimal (a dashboard costs a monthly fee beyond the free tier's three).
   *
   * @default false
   */
  readonly dashboard?: boolean;

  // ---- For platform teams: the key's removal policy, as SharedClusterSnapshots has it. The
  // ---- functions' network, architecture and memory: HandlerFunctionProps.

  /**
   * What happens to the KMS key this construct creates when it is removed from the stack or the
   * stack is deleted. Use `RemovalPolicy.DESTROY` only for test stacks, so they do not leave keys
   * behind: KMS then schedules the key's deletion, and once it is deleted, no copy encrypted with it
   * can be restored. Ignored, with a warning, when `encryptionKey` is given.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly keyRemovalPolicy?: RemovalPolicy;
}
