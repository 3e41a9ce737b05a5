import { AddTagsToResourceCommand, DBClusterSnapshot } from '@aws-sdk/client-rds';
import { decideRetention, receiversNamedBy, receiversOf, retainsUntilCopied } from './confirmed-retention.lambda-shared';
import { parsePlan } from './run-plan.lambda-shared';
import { deleteOwnedSnapshot, findSnapshot, isOlderThanAnyLiveRun, isShared, listOwnedSnapshots } from './snapshots.lambda-shared';
import { ownershipOf } from './tags.lambda-shared';
import type { RunPlan, RunResult } from './workflow-state.lambda-shared';
import { inRegion, rds } from '../../shared/clients.lambda-shared';
import { integerEnv, requireEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { COPY_PENDING, ENV, TAG_COPIED_PREFIX } from '../../shared/constants';
import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';

/**
 * Runs only after the new snapshot is shared. Deletes this run's temporary snapshot, then this
 * construct's older shared snapshots of the cluster beyond `retainSnapshots`, newest kept first.
 * A plan in another Region (`regions`) cleans up that Region's copies, by `retainSnapshots` alone
 * (receivers confirm the home Region's snapshots), and its result names the Region.
 */
async function run(event: RunPlan): Promise<RunResult> {
  const plan = parsePlan(event, snapshotNaming());
  return inRegion(plan.region, () => cleanUp(plan));
}

async function cleanUp(plan: RunPlan): Promise<RunResult> {
  const ownerId = requireEnv(ENV.OWNER_ID);
  const retain = integerEnv(ENV.RETAIN_SNAPSHOTS);
  const untilCopied = retainsUntilCopied() && plan.region === undefined;
  if (!plan.sharedWith || plan.sharedWith.length === 0 || !plan.snapshotArn) {
    throw new InvalidInput('Clean-up runs only after the new snapshot is shared (sharedWith and snapshotArn are missing)');
  }
  const { clusterIdentifier, runId, databaseKind: kind } = plan;

  if (plan.temporarySnapshotIdentifier) {
    await deleteOwnedSnapshot(plan.temporarySnapshotIdentifier, { ownerId, clusterIdentifier, role: 'temporary', runId }, kind);
  }

  const owned = await listOwnedSnapshots(ownerId, clusterIdentifier, kind);
  const { restorePoints, orphans } = await classifyOlderSnapshots(owned, plan.sharedSnapshotIdentifier, kind);
  const expired = selectExpiredSharedSnapshots(restorePoints, plan.sharedSnapshotIdentifier, retain);
  for (const snapshot of [...(untilCopied ? prunable(expired, owned) : expired), ...orphans]) {
    await deleteOwnedSnapshot(snapshot.DBClusterSnapshotIdentifier!, {
      ownerId,
      clusterIdentifier,
      role: 'shared',
      runId: ownershipOf(snapshot)!.runId,
    }, kind);
  }

  // The run result is the `Cluster Snapshot Shared` event's detail: the workflow puts it as it is.
  const current = owned.find((s) => s.DBClusterSnapshotIdentifier === plan.sharedSnapshotIdentifier)
    ?? await findSnapshot(plan.sharedSnapshotIdentifier, kind);
  if (untilCopied) await awaitReceivers(plan.snapshotArn, current, owned);
  log('info', 'Run complete', { clusterIdentifier, snapshotIdentifier: plan.sharedSnapshotIdentifier });
  return {
    clusterIdentifier,
    databaseKind: kind ?? 'cluster',
    databaseIdentifier: clusterIdentifier,
    ...(plan.requiredOptions ? { optionGroupName: plan.optionGroupName, requiredOptions: plan.requiredOptions } : {}),
    snapshotSource: plan.sourceSnapshotIdentifier ? 'automated' : 'new',
    ...(plan.sourceSnapshotIdentifier
      ? { sourceSnapshotIdentifier: plan.sourceSnapshotIdentifier, sourceSnapshotTime: plan.sourceSnapshotTime }
      : {}),
    snapshotIdentifier: plan.sharedSnapshotIdentifier,
    snapshotArn: plan.snapshotArn,
    ...(current?.KmsKeyId ? { kmsKeyArn: current.KmsKeyId } : {}),
    sharedWith: plan.sharedWith,
    runId,
    // Found available by the status check, so RDS reports its time; the fallback is never older.
    // A DB snapshot copy reports when its data was taken as OriginalSnapshotCreateTime.
    snapshotCreateTime: (current?.OriginalSnapshotCreateTime ?? current?.SnapshotCreateTime ?? new Date()).toISOString(),
    ...(plan.region ? { region: plan.region } : {}),
  };
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('cleanUp', run);

/**
 * Marks the new snapshot as awaited (`copied-<account>` = `pending`) by every receiver not named on
 * it yet, read before any deletion: who runs a receiver then outlives the snapshots they confirmed.
 */
async function awaitReceivers(snapshotArn: string, current: DBClusterSnapshot | undefined, owned: DBClusterSnapshot[]): Promise<void> {
  const named = new Set(current ? receiversNamedBy(current) : []);
  const awaited = receiversOf(owned).filter((account) => !named.has(account));
  if (awaited.length === 0) return;
  await rds.send(new AddTagsToResourceCommand({
    ResourceName: snapshotArn,
    Tags: awaited.map((account) => ({ Key: `${TAG_COPIED_PREFIX}${account}`, Value: COPY_PENDING })),
  }));
}

/**
 * With `retainUntilCopied`, only the expired snapshots that every receiver confirmed, or that are
 * older than `maxRetention`; the others are kept, and the log says why.
 */
function prunable(expired: DBClusterSnapshot[], owned: DBClusterSnapshot[]): DBClusterSnapshot[] {
  return decideRetention(expired, owned).filter((decision) => {
    if (!decision.prune) {
      log('info', 'Keeping an expired snapshot until every receiver confirms its copy, or it is older than maxRetention', {
        snapshotIdentifier: decision.snapshot.DBClusterSnapshotIdentifier,
        awaiting: decision.awaiting,
        ageSeconds: decision.ageSeconds,
      });
    }
    return decision.prune;
  }).map((decision) => decision.snapshot);
}

/**
 * Splits this owner's older shared-role snapshots of the cluster into restore points (shared with
 * someone) and orphans: copies a run that died before sharing left behind, never shared, and older
 * than any live run could be. Orphans do not count against `retainSnapshots`.
 */
async function classifyOlderSnapshots(owned: DBClusterSnapshot[], current: string, kind: DatabaseKind | undefined) {
  const restorePoints: DBClusterSnapshot[] = [];
  const orphans: DBClusterSnapshot[] = [];
  for (const snapshot of owned) {
    const id = snapshot.DBClusterSnapshotIdentifier!;
    if (id === current || ownershipOf(snapshot)?.role !== 'shared' || snapshot.Status !== 'available') continue;
    if (await isShared(id, kind)) {
      restorePoints.push(snapshot);
    } else if (isOlderThanAnyLiveRun(snapshot)) {
      orphans.push(snapshot);
    }
  }
  return { restorePoints, orphans };
}

/**
 * The shared snapshots to delete from `owned` (this owner's snapshots of the cluster): `available`
 * shared-role ones beyond the newest `retain`, where the current run's snapshot always counts as the
 * newest. Snapshots still in progress, temporary ones and anything without all ownership tags are
 * never selected.
 */
export function selectExpiredSharedSnapshots(
  owned: DBClusterSnapshot[],
  currentSnapshotIdentifier: string,
  retain: number,
): DBClusterSnapshot[] {
  const older = owned
    .filter((s) => ownershipOf(s)?.role === 'shared')
    .filter((s) => s.Status === 'available')
    .filter((s) => s.DBClusterSnapshotIdentifier !== currentSnapshotIdentifier)
    .sort(newestFirst);
  return older.slice(Math.max(retain - 1, 0));
}

function newestFirst(a: DBClusterSnapshot, b: DBClusterSnapshot): number {
  const byTime = (b.SnapshotCreateTime?.getTime() ?? 0) - (a.SnapshotCreateTime?.getTime() ?? 0);
  if (byTime !== 0) return byTime;
  return ownershipOf(b)!.runId.localeCompare(ownershipOf(a)!.runId);
}
