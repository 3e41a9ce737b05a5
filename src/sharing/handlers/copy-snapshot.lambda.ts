import { awaitCopySlot, manualQuotaHasRoom, outOfTime } from './copy-slots.lambda-shared';
import { deadlineFromNow, parsePlan } from './run-plan.lambda-shared';
import { createdSnapshotTags } from './snapshot-tags.lambda-shared';
import { assertOwnSnapshot } from './snapshots.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';
import { requireEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';
import { translateRdsFault } from '../../shared/rds-faults.lambda-shared';
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';

/**
 * Copies the temporary snapshot, re-encrypting it with the sharing key, once a copy slot is free
 * (CopyLimitReached until then, see copy-slots.lambda-shared.ts), and starts the wait for the copy.
 */
async function run(event: RunPlan): Promise<RunPlan> {
  const ownerId = requireEnv(ENV.OWNER_ID);
  const sharingKeyArn = requireEnv(ENV.SHARING_KEY_ARN);
  const plan = parsePlan(event, snapshotNaming());
  // The source: this run's temporary snapshot once found available, or (snapshotSource) the
  // automated snapshot Prepare found available, copied straight to the shared snapshot.
  const source = plan.sourceSnapshotIdentifier ?? plan.temporarySnapshotIdentifier;
  if (!plan.copyRequired || !source) {
    return plan;
  }
  if (!plan.sourceSnapshotIdentifier && (plan.awaitingSnapshotIdentifier !== plan.temporarySnapshotIdentifier || !plan.snapshotArn)) {
    throw new InvalidInput(`Snapshot '${plan.temporarySnapshotIdentifier}' has not been found available yet; nothing to copy`);
  }
  const target = plan.sharedSnapshotIdentifier;
  const ownership = { ownerId, clusterIdentifier: plan.clusterIdentifier, role: 'shared', runId: plan.runId } as const;

  const kind = plan.databaseKind;
  await awaitCopySlot(plan, target);
  try {
    await snapshotApi(kind).copy({ source, target, kmsKeyId: sharingKeyArn, tags: createdSnapshotTags(ownership) });
    log('info', 'Copying snapshot with the sharing key', { source, target });
  } catch (error) {
    await translateRdsFault('copy', error, {
      clusterIdentifier: plan.clusterIdentifier,
      kind,
      snapshotIdentifier: target,
      sourceSnapshotIdentifier: source,
      kmsKeyArn: sharingKeyArn,
      alreadyExists: () => assertOwnSnapshot(target, ownership, kind),
      manualQuotaHasRoom: () => manualQuotaHasRoom(kind),
    }).catch((translated: unknown) => { throw outOfTime(translated, plan); });
  }
  // The ARN in the plan is the temporary snapshot's: drop it, so only the check that finds the copy
  // available sets the ARN that ShareSnapshot and the run's result rely on. The copy phase's
  // deadline is spent: the check's deadline counts from the copy call.
  const { snapshotArn: _temporaryArn, copyDeadline: _copyDeadline, ...rest } = plan;
  return { ...rest, awaitingSnapshotIdentifier: target, deadline: deadlineFromNow() };
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('copySnapshot', run);
