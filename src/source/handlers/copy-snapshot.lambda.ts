import { CopyDBClusterSnapshotCommand } from '@aws-sdk/client-rds';
import { deadlineFromNow, parsePlan } from './run-plan.lambda-shared';
import { assertOwnSnapshot } from './snapshots.lambda-shared';
import { ownershipTags } from './tags.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import { requireEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { InvalidInput, isAwsError, KmsKeyNotAccessible, SnapshotFailed, SnapshotQuotaExceeded } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/** Copies the temporary snapshot, re-encrypting it with the sharing key, and starts the wait for the copy. */
export async function handler(event: RunPlan): Promise<RunPlan> {
  const ownerId = requireEnv(ENV.OWNER_ID);
  const sharingKeyArn = requireEnv(ENV.SHARING_KEY_ARN);
  const plan = parsePlan(event, snapshotNaming());
  if (!plan.copyRequired || !plan.temporarySnapshotIdentifier) {
    return plan;
  }
  if (plan.awaitingSnapshotIdentifier !== plan.temporarySnapshotIdentifier || !plan.snapshotArn) {
    throw new InvalidInput(`Snapshot '${plan.temporarySnapshotIdentifier}' has not been found available yet; nothing to copy`);
  }
  const target = plan.sharedSnapshotIdentifier;
  const ownership = { ownerId, clusterIdentifier: plan.clusterIdentifier, role: 'shared', runId: plan.runId } as const;

  try {
    await rds.send(new CopyDBClusterSnapshotCommand({
      SourceDBClusterSnapshotIdentifier: plan.temporarySnapshotIdentifier,
      TargetDBClusterSnapshotIdentifier: target,
      KmsKeyId: sharingKeyArn,
      CopyTags: false,
      Tags: ownershipTags(ownership),
    }));
    log('info', 'Copying snapshot with the sharing key', { source: plan.temporarySnapshotIdentifier, target });
  } catch (error) {
    if (isAwsError(error, 'DBClusterSnapshotAlreadyExistsFault')) {
      await assertOwnSnapshot(target, ownership);
    } else if (isAwsError(error, 'KMSKeyNotAccessibleFault')) {
      throw new KmsKeyNotAccessible(`RDS cannot use the sharing key ${sharingKeyArn} to copy '${plan.temporarySnapshotIdentifier}': check the key policy and that the key is enabled`);
    } else if (isAwsError(error, 'SnapshotQuotaExceededFault')) {
      throw new SnapshotQuotaExceeded(`The manual DB cluster snapshot quota is used up; cannot copy to '${target}'`);
    } else if (isAwsError(error, 'DBClusterSnapshotNotFoundFault', 'InvalidDBClusterSnapshotStateFault')) {
      throw new SnapshotFailed(`Cannot copy '${plan.temporarySnapshotIdentifier}': ${(error as Error).message}`);
    } else {
      throw error;
    }
  }
  // The ARN in the plan is the temporary snapshot's: drop it, so only the check that finds the copy
  // available sets the ARN that ShareSnapshot and the run's result rely on.
  const { snapshotArn: _temporaryArn, ...rest } = plan;
  return { ...rest, awaitingSnapshotIdentifier: target, deadline: deadlineFromNow() };
}
