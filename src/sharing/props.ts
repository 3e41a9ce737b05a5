import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { ClusterTag } from './cluster-tag';
import type { DatabaseKindProps } from './instance-props';
import type { RegionProps } from './region-props';
import { HandlerFunctionProps } from '../shared/function-props';

/**
 * Properties of {@link SharedClusterSnapshots}. At least one of `clusterIdentifiers`, `clusterTag`,
 * `instanceIdentifiers` and `instanceTag` is required.
 */
export interface SharedClusterSnapshotsProps extends HandlerFunctionProps, DatabaseKindProps, RegionProps {
  /**
   * The DB clusters to snapshot, by identifier. CDK tokens (e.g. `cluster.clusterIdentifier`) are allowed.
   * Each must be in this stack's account and Region. List clusters here when the set is small and
   * stable; for a large or changing fleet, tag the clusters and use `clusterTag`.
   *
   * Each cluster is allowed by its ARN in the CreateSnapshot role's IAM policies, split across
   * managed policies (IAM holds 10 of 6,144 characters per role): at least 450 identifiers of 63
   * characters fit in any partition and Region, at least 500 in `eu-west-1`, more if they are
   * shorter. Past that, synth fails and names the limit.
   *
   * At least one of `clusterIdentifiers`, `clusterTag`, `instanceIdentifiers` and `instanceTag` is required.
   *
   * @default - no explicit clusters; only those found by `clusterTag`
   */
  readonly clusterIdentifiers?: string[];

  /**
   * Also snapshot every DB cluster that carries this tag, found when each run starts.
   * Use it when clusters come and go: tagging a new cluster is enough to include it.
   *
   * @default - no tag discovery; only `clusterIdentifiers`
   */
  readonly clusterTag?: ClusterTag;

  /**
   * The AWS accounts to share every snapshot with: 1 to 20 twelve-digit account ids, not including
   * this stack's own account.
   */
  readonly targetAccountIds: string[];

  /**
   * The customer-managed KMS key the shared snapshots are encrypted with. Its key policy must let
   * the target accounts use it (see the README). Pass your own to reuse a key the target accounts
   * already trust.
   *
   * Pass the key itself (`kms.Key.fromKeyArn` with the key ARN), not an alias: CDK cannot grant on
   * an imported alias, and RDS reports snapshots by key ARN. The key must be in this stack's
   * Region. Its key policy must also allow this account's principals `kms:CreateGrant` and
   * `kms:DescribeKey` (by delegating to IAM, or by naming the CopySnapshot role); the role's own
   * policy allows them only through RDS and only for grants for AWS resources.
   *
   * @default - a new key with rotation on, retained on stack deletion, whose policy lets the target accounts decrypt and create grants for AWS resources
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * When the run starts. Use a time zone to follow local business hours, and move it out of the
   * clusters' backup and maintenance windows (a cluster that is `backing-up` delays its run). At most
   * one run an hour (checked at synth where the firings are known); a firing while a cluster's
   * previous run is still in progress skips that cluster (`metricRunSkipped()`), it does not fail.
   *
   * @default - daily at 03:00 UTC
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * The time between two status checks of a snapshot or copy in progress. Shorter notices a finished
   * snapshot sooner; longer costs fewer state transitions and RDS calls. Between 1 second and 1 hour.
   *
   * @default Duration.minutes(1)
   */
  readonly waitInterval?: Duration;

  /**
   * The most time one snapshot, or one copy, may take. It is also how long a run waits for a cluster that
   * is not `available` (e.g. `backing-up`). At least `waitInterval`, and at most 2,000 checks.
   * Raise it for very large clusters.
   *
   * @default - 6 hours, or 2,000 × `waitInterval` if that is shorter
   */
  readonly snapshotTimeout?: Duration;

  /**
   * How many shared snapshots to keep per cluster. Older ones this construct created are deleted
   * once the new one is shared. Raise it to give the target accounts several restore points (each
   * is a full copy, billed in full).
   *
   * @default 1
   */
  readonly retainSnapshots?: number;

  /**
   * The start of every snapshot identifier this construct creates. IAM lets it delete only
   * snapshots with this prefix. 1 to 24 lowercase letters, digits or hyphens, starting with a letter;
   * a literal string, since IAM policies and names are derived from it at synth time.
   * Change it when two instances share an account and Region.
   *
   * @default 'shared'
   */
  readonly snapshotPrefix?: string;

  /**
   * Share snapshots of unencrypted clusters as they are. Aurora cannot encrypt on copy, so the
   * target accounts then receive unencrypted data. Turn it on only for clusters whose data may
   * leave the account unencrypted (test or synthetic data), until they are encrypted.
   *
   * @default false - an unencrypted cluster fails its run with `UnencryptedCluster`
   */
  readonly allowUnencrypted?: boolean;

  /**
   * An SNS topic the failure alarm notifies. Give one so a failed run reaches someone, since the
   * target account otherwise only notices a stale snapshot.
   *
   * @default - the alarm is created without actions
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The sustained rate of RDS API calls, per second, that one run of the whole fleet may use. RDS
   * allows about 12 per second per account and Region, shared with every other tool, so the default
   * leaves room. The starter spreads the executions' starts in minute waves and, once the fleet
   * would poll faster, asks RDS only on every n-th status check (detection then takes up to n ×
   * `waitInterval`). Lower it when other tools need the API at the same time; raise it for a faster
   * run of a large fleet. Between 1 and 100.
   *
   * @default 8
   */
  readonly rdsRequestsPerSecond?: number;

  /**
   * The most snapshot copies this construct keeps in progress in the account and Region at once.
   * Further copies wait for a slot (checked every `waitInterval`, within `snapshotTimeout`). RDS
   * allows up to 5 copies in progress per account and destination Region, shared with every other
   * tool that copies snapshots there: lower it to leave room for them. Between 1 and 5.
   *
   * @default 5
   */
  readonly maxConcurrentCopies?: number;

  /**
   * How long the state machine's and handlers' logs are kept. Lengthen it to meet an audit
   * retention rule; shorten it to pay less for logs.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  // ---- For platform teams: the key's removal policy; extra snapshot tags; the schedule's state
  // ---- (snapshot-tags.ts). The functions' network, architecture and memory: HandlerFunctionProps.

  /**
   * What happens to the KMS key this construct creates when it is removed from the stack or the
   * stack is deleted. Use `RemovalPolicy.DESTROY` only for test stacks, so they do not leave keys
   * behind: KMS then schedules the key's deletion, and once it is deleted, no shared snapshot
   * encrypted with it (and no copy of one in a target account) can be restored. Ignored, with a
   * warning, when `encryptionKey` is given.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly keyRemovalPolicy?: RemovalPolicy;

  /**
   * Extra tags on every snapshot this construct creates (the temporary and the shared ones), e.g. for
   * cost allocation. Keys starting with `shared-cluster-snapshots:` (this construct's own), `aws:` or
   * `rds:` are refused, as are keys and values RDS would refuse. Keys must be literal strings; values
   * may be tokens. RDS allows 50 tags per snapshot, of which this construct uses 4, and with
   * `retainUntilCopied` one more per target account (its copy confirmations). Tags are applied
   * when a snapshot is created: changing them does not retag existing snapshots.
   *
   * @default - only this construct's own tags
   */
  readonly snapshotTags?: { [key: string]: string };

  /**
   * Whether the schedule starts runs. Set it to `false` to deploy with the schedule disabled (state
   * `DISABLED`), e.g. to test runs started by hand first, or to pause the snapshots without
   * removing anything. Runs started by hand still work.
   *
   * @default true
   */
  readonly scheduleEnabled?: boolean;

  /**
   * Adds a CloudWatch dashboard of this instance (see `addDashboard()`): runs succeeded and failed,
   * execution durations, RDS calls per run and, where published, snapshot freshness. Turn it on
   * for a team that watches the snapshots in the console; leave it off to keep the stack minimal
   * (a dashboard costs a monthly fee beyond the free tier's three).
   *
   * @default false
   */
  readonly dashboard?: boolean;

  // ---- Events, confirmations and freshness (the handoff to ReceivedClusterSnapshots) ----

  /**
   * Also put each `Cluster Snapshot Shared` event on every target account's default event bus
   * (it always goes to this account's default bus). Turn it on when the targets run
   * `ReceivedClusterSnapshots`, which then copies each snapshot as soon as it is shared instead of at
   * its next catch-up scan; the receiver's bus policy must allow this account. Each target gets its
   * own PutEvents: one that refuses the event (no receiver) is retried alone, the others still get
   * it, and the run then ends in `SharedEventNotPut`, deleting nothing, so the failure alarm tells.
   *
   * @default false - the event goes to this account's default bus only
   */
  readonly notifyTargetAccounts?: boolean;

  /**
   * Keep a shared snapshot past `retainSnapshots` until every target that runs a receiver has
   * confirmed its copy (`Cluster Snapshot Copied`, sent by `ReceivedClusterSnapshots` with
   * `confirmCopies`), or until it is older than `maxRetention`. A target counts as running a receiver
   * once it has confirmed any snapshot of the cluster. Turn it on when the targets must own a copy of
   * every snapshot before the source prunes it. The construct lets the target accounts put
   * `Cluster Snapshot Copied` events on this account's default bus and records each confirmation as
   * a tag on the snapshot. The newest shared snapshot is never deleted.
   *
   * @default false - older snapshots are pruned by `retainSnapshots` alone
   */
  readonly retainUntilCopied?: boolean;

  /**
   * With `retainUntilCopied`, the longest an unconfirmed snapshot is kept past `retainSnapshots`:
   * older ones are pruned even without every confirmation, so a receiver that is down does not keep
   * snapshots (billed in full) forever. Lengthen it to ride out a longer receiver outage. Between 1
   * and 366 days, in whole seconds.
   *
   * @default Duration.days(7)
   */
  readonly maxRetention?: Duration;

  /**
   * The freshness alarm fires when the newest shared snapshot of any selected cluster was taken
   * longer ago than this, or when no freshness data arrives: "nothing failed, but nothing was shared"
   * (a disabled schedule, a renamed cluster). Set it to the schedule's interval plus the time a run
   * takes. Between 1 hour and 366 days, in whole hours, and at least the schedule's longest interval
   * between runs; a value you set that leaves a run less than `snapshotTimeout` after it is warned about.
   *
   * @default Duration.hours(26)
   */
  readonly maxSnapshotAge?: Duration;
}
