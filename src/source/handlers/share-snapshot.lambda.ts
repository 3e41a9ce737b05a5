import { ModifyDBClusterSnapshotAttributeCommand } from '@aws-sdk/client-rds';
import { parsePlan } from './run-plan.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import { listEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { InvalidInput, isAwsError, SharedSnapshotQuotaExceeded, SnapshotFailed } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/** Adds every target account to the shared snapshot's `restore` attribute. Idempotent. */
export async function handler(event: RunPlan): Promise<RunPlan> {
  const plan = parsePlan(event, snapshotNaming());
  const targets = listEnv(ENV.TARGET_ACCOUNT_IDS);
  if (targets.length === 0) throw new Error(`Environment variable ${ENV.TARGET_ACCOUNT_IDS} is empty`);
  if (plan.awaitingSnapshotIdentifier !== plan.sharedSnapshotIdentifier || !plan.snapshotArn) {
    throw new InvalidInput(`Snapshot '${plan.sharedSnapshotIdentifier}' has not been found available yet; nothing to share`);
  }

  try {
    await rds.send(new ModifyDBClusterSnapshotAttributeCommand({
      DBClusterSnapshotIdentifier: plan.sharedSnapshotIdentifier,
      AttributeName: 'restore',
      ValuesToAdd: targets,
    }));
  } catch (error) {
    if (isAwsError(error, 'SharedSnapshotQuotaExceededFault')) {
      throw new SharedSnapshotQuotaExceeded(`Snapshot '${plan.sharedSnapshotIdentifier}' cannot be shared with ${targets.length} more accounts: at most 20 are allowed`);
    }
    if (isAwsError(error, 'DBClusterSnapshotNotFoundFault', 'InvalidDBClusterSnapshotStateFault')) {
      throw new SnapshotFailed(`Cannot share '${plan.sharedSnapshotIdentifier}': ${(error as Error).message}`);
    }
    throw error;
  }
  log('info', 'Shared snapshot', { snapshotIdentifier: plan.sharedSnapshotIdentifier, targets });
  return { ...plan, sharedWith: targets };
}
