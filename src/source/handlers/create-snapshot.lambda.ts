import { CreateDBClusterSnapshotCommand } from '@aws-sdk/client-rds';
import { createdSnapshotIdentifier, deadlineFromNow, parsePlan } from './run-plan.lambda-shared';
import { assertOwnSnapshot } from './snapshots.lambda-shared';
import { ownershipTags } from './tags.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import { requireEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import {
  ClusterNotAvailable,
  ClusterNotFound,
  isAwsError,
  SnapshotQuotaExceeded,
} from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/** Snapshots the cluster, tagged as this run's, and starts the wait for it. */
export async function handler(event: RunPlan): Promise<RunPlan> {
  const ownerId = requireEnv(ENV.OWNER_ID);
  const plan = parsePlan(event, snapshotNaming());
  const snapshotIdentifier = createdSnapshotIdentifier(plan);
  const role = plan.copyRequired ? 'temporary' : 'shared';
  const ownership = { ownerId, clusterIdentifier: plan.clusterIdentifier, role, runId: plan.runId } as const;

  try {
    await rds.send(new CreateDBClusterSnapshotCommand({
      DBClusterIdentifier: plan.clusterIdentifier,
      DBClusterSnapshotIdentifier: snapshotIdentifier,
      Tags: ownershipTags(ownership),
    }));
    log('info', 'Creating snapshot', { snapshotIdentifier, role });
  } catch (error) {
    if (isAwsError(error, 'DBClusterSnapshotAlreadyExistsFault')) {
      await assertOwnSnapshot(snapshotIdentifier, ownership);
    } else if (isAwsError(error, 'InvalidDBClusterStateFault')) {
      throw new ClusterNotAvailable(`Cluster '${plan.clusterIdentifier}' cannot be snapshotted now: ${(error as Error).message}`);
    } else if (isAwsError(error, 'DBClusterNotFoundFault')) {
      throw new ClusterNotFound(`Cluster '${plan.clusterIdentifier}' does not exist`);
    } else if (isAwsError(error, 'SnapshotQuotaExceededFault')) {
      throw new SnapshotQuotaExceeded(`The manual DB cluster snapshot quota is used up; cannot create '${snapshotIdentifier}'`);
    } else {
      throw error;
    }
  }
  return { ...plan, awaitingSnapshotIdentifier: snapshotIdentifier, deadline: deadlineFromNow() };
}
