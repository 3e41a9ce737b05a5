import { Annotations, Duration, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { maxRetentionSeconds } from './event-props';
import type { SharedClusterSnapshotsProps } from './props';
import {
  DEFAULT_MANUAL_CLUSTER_SNAPSHOTS_QUOTA,
  DEFAULT_MANUAL_INSTANCE_SNAPSHOTS_QUOTA,
  DEFAULTS,
  SNAPSHOT_QUOTA_WARNING,
  SNAPSHOTS_IN_PROGRESS_PER_CLUSTER,
} from '../shared/constants';
import { scheduleGaps } from '../shared/schedule-gaps';

/**
 * The most manual cluster snapshots this construct holds at once: per cluster, the `retainSnapshots`
 * shared ones the previous run kept (clean-up keeps the newest `retainSnapshots`, the current one
 * included), plus the run's temporary snapshot and its copy, until clean-up deletes the temporary
 * one and the oldest shared one (clean-up.lambda.ts, quota.lambda-shared.ts).
 */
export function peakSnapshots(clusters: number, retainSnapshots: number): number {
  return clusters * (retainSnapshots + SNAPSHOTS_IN_PROGRESS_PER_CLUSTER);
}

const DAY_SECONDS = Duration.days(1).toSeconds();

/**
 * With `retainUntilCopied`, how many shared snapshots of a cluster may be kept at most: every
 * unconfirmed one younger than `maxRetention`, so one per run within it. Runs are counted at the
 * schedule's shortest interval where it is known (schedule-gaps.ts); otherwise (a token, a cron
 * expression whose days are not expanded) as one run a day.
 */
export function retainedAtMost(props: SharedClusterSnapshotsProps, retain: number): { retained: number; why: string } {
  if (!props.retainUntilCopied) return { retained: retain, why: `${retain} retained` };
  const expression = props.schedule?.expressionString;
  const shortest = expression === undefined || Token.isUnresolved(expression) ? undefined : scheduleGaps(expression).shortestSeconds;
  const runs = Math.ceil(maxRetentionSeconds(props) / (shortest ?? DAY_SECONDS));
  if (runs <= retain) return { retained: retain, why: `${retain} retained` };
  return { retained: runs, why: `up to ${runs} retained until copied: one per run within maxRetention` };
}

/**
 * Warns when the explicitly listed clusters cannot fit the Region's default quota: then the starter
 * refuses runs (SnapshotQuotaExceeded) once the quota fills. Only when the cluster count is known
 * (no `clusterTag`) and `retainSnapshots` is a literal. A warning, not an error: the quota may
 * already be raised for the account.
 */
export function warnIfQuotaTooSmall(scope: Construct, props: SharedClusterSnapshotsProps): void {
  warnIfKindQuotaTooSmall(scope, props, props.clusterTag ? undefined : props.clusterIdentifiers?.length, CLUSTER_QUOTA);
  // DB instances have their own quota, separate from the cluster one (aws-facts.md, "DB instances").
  warnIfKindQuotaTooSmall(scope, props, props.instanceTag ? undefined : props.instanceIdentifiers?.length, INSTANCE_QUOTA);
}

interface KindQuota {
  readonly quota: number;
  readonly databases: string;
  readonly snapshots: string;
  readonly quotaName: string;
}

const CLUSTER_QUOTA: KindQuota = {
  quota: DEFAULT_MANUAL_CLUSTER_SNAPSHOTS_QUOTA, databases: 'clusters', snapshots: 'manual DB cluster snapshots', quotaName: 'Manual DB cluster snapshots',
};
const INSTANCE_QUOTA: KindQuota = {
  quota: DEFAULT_MANUAL_INSTANCE_SNAPSHOTS_QUOTA, databases: 'DB instances', snapshots: 'manual DB instance snapshots', quotaName: 'Manual DB instance snapshots',
};

function warnIfKindQuotaTooSmall(scope: Construct, props: SharedClusterSnapshotsProps, count: number | undefined, kind: KindQuota): void {
  const clusters = count ?? 0;
  const retain = props.retainSnapshots ?? DEFAULTS.retainSnapshots;
  if (clusters === 0 || Token.isUnresolved(retain)) return;
  const quota = kind.quota;
  const { retained, why } = retainedAtMost(props, retain);
  const peak = peakSnapshots(clusters, retained);
  if (peak <= quota) return;
  const fitting = Math.floor(quota / clusters) - SNAPSHOTS_IN_PROGRESS_PER_CLUSTER;
  const fewerClusters = `or snapshot fewer ${kind.databases} per account and Region (at most ${Math.floor(quota / (1 + SNAPSHOTS_IN_PROGRESS_PER_CLUSTER))} fit with retainSnapshots 1)`;
  let lower = fitting >= 1 ? `or lower retainSnapshots to ${fitting} or less` : fewerClusters;
  if (retained > retain) lower = fitting >= 1 ? `or shorten maxRetention so that at most ${fitting} runs fall within it` : 'or turn retainUntilCopied off';
  Annotations.of(scope).addWarningV2(SNAPSHOT_QUOTA_WARNING,
    `${retained > retain ? 'retainUntilCopied' : `retainSnapshots ${retain}`} with ${clusters} ${kind.databases} holds up to ${peak} ${kind.snapshots} during a run `
    + `(${clusters} × (${why} + ${SNAPSHOTS_IN_PROGRESS_PER_CLUSTER} in progress: the temporary snapshot and its copy)), `
    + `more than the default quota of ${quota} per account and Region, which other ${kind.snapshots.replace('manual DB ', 'manual ')} share. `
    + 'Once the quota is full the starter refuses the run (SnapshotQuotaExceeded) and nothing is snapshotted. '
    + `Raise the quota "${kind.quotaName}" in Service Quotas to at least ${peak}, ${lower}.`);
}
