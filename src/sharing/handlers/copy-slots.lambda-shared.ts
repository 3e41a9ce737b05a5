import { DescribeAccountAttributesCommand } from '@aws-sdk/client-rds';
import { shouldPoll } from './pacing.lambda-shared';
import { IN_PROGRESS_STATUSES, manualSnapshots } from './snapshots.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';
import { rdsHere } from '../../shared/clients.lambda-shared';
import { integerEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';
import { CopyLimitReached, SnapshotTimeout } from '../../shared/errors.lambda-shared';
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';

/**
 * Copy concurrency. RDS allows "up to five snapshot copy requests in progress to a single
 * destination Region per account" (Aurora User Guide, "DB cluster snapshot copying"; whether
 * same-Region copies count is not stated, so we design for it). A copy waits for a slot by throwing
 * CopyLimitReached, which the state machine retries every `waitInterval`, until the copy phase's
 * deadline (`copyDeadline`: snapshotTimeout after the temporary snapshot was found available).
 * DB snapshot copies have their own limit and count (`maxConcurrentInstanceCopies`: "up to 20
 * snapshot copy requests in progress to a single destination Region per account", RDS User Guide,
 * "Copying a DB snapshot"; whether the two kinds share one count is not stated).
 */

/** The most copies of the kind this construct lets run at once. */
export function copyCap(kind: DatabaseKind | undefined): number {
  return integerEnv(kind === 'instance' ? ENV.MAX_CONCURRENT_INSTANCE_COPIES : ENV.MAX_CONCURRENT_COPIES);
}

/*

/**
 * Returns when the copy to `target` may start: fewer than MAX_CONCURRENT_COPIES copies are in
 * progress, or this run's copy already is one (a retried call). In a paced fleet a waiting copy
 * asks RDS only on its turn (see pacing.lambda-shared.ts); the first attempt always asks.
 */
export async function awaitCopySlot(plan: RunPlan, target: string): Promise<void> {
  const cap = copyCap(plan.databaseKind);
  const timeoutSeconds = integerEnv(ENV.SNAPSHOT_TIMEOUT_SECONDS);
  const intervalSeconds = integerEnv(ENV.WAIT_INTERVAL_SECONDS);
  const now = Date.now();
  const deadline = Date.parse(plan.copyDeadline ?? '');
  // A plan without copyDeadline (an execution started before it existed, or a copy into another
  // Region, bounded by its Retry alone) asks on every attempt.
  const firstAttempt = Number.isNaN(deadline) || now < deadline - timeoutSeconds * 1000 + (intervalSeconds * 1000) / 2;
  if (!firstAttempt && !shouldPoll({ ...plan, deadline: plan.copyDeadline }, now, intervalSeconds, timeoutSeconds)) {
    throw outOfTime(new CopyLimitReached(`Copy to '${target}' waits for a slot; not asking RDS on this attempt (fleet pacing: every ${plan.pollStride} attempts)`), plan);
  }
  const copying = await copiesInProgress(plan.databaseKind);
  if (copying.includes(target)) return;
  if (copying.length >= cap) {
    const prop = plan.databaseKind === 'instance' ? 'maxConcurrentInstanceCopies' : 'maxConcurrentCopies';
    throw outOfTime(new CopyLimitReached(`${copying.length} copies are in progress, at ${prop} (${cap}); copy to '${target}' waits for a slot`), plan);
  }
}

/** Past the copy phase's deadline, waiting for a slot is over: SnapshotTimeout instead. */
export function outOfTime(error: unknown, plan: RunPlan): unknown {
  if (!(error instanceof CopyLimitReached) || !(Date.now() >= Date.parse(plan.copyDeadline ?? ''))) return error;
  return new SnapshotTimeout(`No copy slot within snapshotTimeout (copy deadline ${plan.copyDeadline}): ${error.message}`);
}

/**
 * The identifiers of the manual snapshots of the kind being copied in this account and Region (a
 * queued DB snapshot copy, `pending`, counts: it is a copy request in progress).
 */
export async function copiesInProgress(kind?: DatabaseKind): Promise<string[]> {
  const copying: string[] = [];
  for await (const snapshot of manualSnapshots(kind)) {
    const copy = snapshot.Status !== 'creating' && IN_PROGRESS_STATUSES.includes(snapshot.Status ?? '');
    if (copy && snapshot.DBClusterSnapshotIdentifier) copying.push(snapshot.DBClusterSnapshotIdentifier);
  }
  return copying;
}

/** Whether the kind's manual snapshot quota has room (Used < Max); undefined when RDS does not say. */
export async function manualQuotaHasRoom(kind?: DatabaseKind): Promise<boolean | undefined> {
  const out = await rdsHere().send(new DescribeAccountAttributesCommand({}));
  const quota = out?.AccountQuotas?.find((q) => q.AccountQuotaName === snapshotApi(kind).quotaName);
  if (quota?.Used === undefined || quota.Max === undefined) return undefined;
  return quota.Used < quota.Max;
}
