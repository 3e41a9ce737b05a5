import { DBSnapshot, DescribeAccountAttributesCommand, DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { retryTransient } from './retry.lambda-shared';
import { ownershipOf } from './tags.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import { SNAPSHOTS_IN_PROGRESS_PER_CLUSTER } from '../../shared/constants';
import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';
import { SnapshotQuotaExceeded } from '../../shared/errors.lambda-shared';
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';

/** At its peak a run holds a temporary snapshot and its copy per cluster. */
export const SNAPSHOTS_PER_CLUSTER = SNAPSHOTS_IN_PROGRESS_PER_CLUSTER;

/**
 * Fails the whole run before anything is started when the Region's manual cluster snapshot quota
 * cannot hold this run's snapshots: at its peak two per cluster.
 *
 * A retried starter (Lambda retries a failed asynchronous invocation) finds the snapshots its first
 * attempt's executions already made counted in `Used`. Those are part of the run's peak, not extra:
 * when the plain check fails, this owner's snapshots of this run are listed and credited, so the
 * retry needs room only for what is still to come (at most two per cluster, minus those). The listing
 * covers the Region's manual cluster snapshots, which the quota bounds, and runs only when room is
 * short; a first attempt with room makes no extra call.
 */
export async function assertQuotaHeadroom(clusters: number, ownerId: string, runId: string, kind: DatabaseKind = 'cluster'): Promise<void> {
  if (clusters === 0) return;
  const out = await retryTransient(() => rds.send(new DescribeAccountAttributesCommand({})));
  // DB instances have their own quota (`ManualSnapshots`), checked against the instances alone.
  const quota = out?.AccountQuotas?.find((q) => q.AccountQuotaName === snapshotApi(kind).quotaName);
  if (quota?.Max === undefined || quota.Used === undefined) return;
  const headroom = quota.Max - quota.Used;
  const peak = clusters * SNAPSHOTS_PER_CLUSTER;
  if (headroom >= peak) return;
  const existing = Math.min(peak, await countRunSnapshots(ownerId, runId, kind));
  if (headroom >= peak - existing) return;
  const held = existing > 0 ? `, ${existing} of which it holds already` : '';
  const what = kind === 'instance' ? ['DB instance', 'DB instances'] : ['DB cluster', 'clusters'];
  throw new SnapshotQuotaExceeded(
    `The manual ${what[0]} snapshot quota has room for ${headroom} more (${quota.Used} of ${quota.Max} used); this run of ${clusters} ${what[1]} needs up to ${peak}${held}. Nothing was started. Raise the quota or delete old manual snapshots`,
  );
}

/** One page of the Region's manual snapshots of the kind (retried on throttling), with the tags ownership reads. */
async function manualPage(kind: DatabaseKind, marker: string | undefined): Promise<{ snapshots: Pick<DBSnapshot, 'TagList'>[]; marker?: string }> {
  if (kind === 'instance') {
    const page = await retryTransient(() => rds.send(new DescribeDBSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: 100, Marker: marker })));
    return { snapshots: page?.DBSnapshots ?? [], marker: page?.Marker };
  }
  const page = await retryTransient(() => rds.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual', MaxRecords: 100, Marker: marker })));
  return { snapshots: page?.DBClusterSnapshots ?? [], marker: page?.Marker };
}

/** This owner's snapshots of this run, in any state, among the Region's manual snapshots of the kind. Paged. */
async function countRunSnapshots(ownerId: string, runId: string, kind: DatabaseKind): Promise<number> {
  let count = 0;
  let marker: string | undefined;
  do {
    const page = await manualPage(kind, marker);
    for (const snapshot of page.snapshots) {
      const ownership = ownershipOf(snapshot);
      if (ownership?.ownerId === ownerId && ownership.runId === runId) count++;
    }
    marker = page.marker;
  } while (marker);
  return count;
}
