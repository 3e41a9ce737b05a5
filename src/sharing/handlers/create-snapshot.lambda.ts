import { CreateDBClusterSnapshotCommand } from '@aws-sdk/client-rds';
import { createdSnapshotIdentifier, deadlineFromNow, parsePlan } from './run-plan.lambda-shared';
import { createdSnapshotTags } from './snapshot-tags.lambda-shared';
import { assertOwnSnapshot } from './snapshots.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import { requireEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { log } from '../../shared/log.lambda-shared';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';
import { translateRdsFault } from '../../shared/rds-faults.lambda-shared';

/** Snapshots the cluster, tagged as this run's, and starts the wait for it. */
async function run(event: RunPlan): Promise<RunPlan> {
  const ownerId = requireEnv(ENV.OWNER_ID);
  const plan = parsePlan(event, snapshotNaming());
  const snapshotIdentifier = createdSnapshotIdentifier(plan);
  const role = plan.copyRequired ? 'temporary' : 'shared';
  const ownership = { ownerId, clusterIdentifier: plan.clusterIdentifier, role, runId: plan.runId } as const;

  try {
    await rds.send(new CreateDBClusterSnapshotCommand({
      DBClusterIdentifier: plan.clusterIdentifier,
      DBClusterSnapshotIdentifier: snapshotIdentifier,
      Tags: createdSnapshotTags(ownership),
    }));
    log('info', 'Creating snapshot', { snapshotIdentifier, role });
  } catch (error) {
    await translateRdsFault('create', error, {
      clusterIdentifier: plan.clusterIdentifier,
      snapshotIdentifier,
      alreadyExists: () => assertOwnSnapshot(snapshotIdentifier, ownership),
    });
  }
  return { ...plan, awaitingSnapshotIdentifier: snapshotIdentifier, deadline: deadlineFromNow() };
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('createSnapshot', run);
