import { createSnapshotOf } from './databases.lambda-shared';
import { createdSnapshotIdentifier, deadlineFromNow, parsePlan } from './run-plan.lambda-shared';
import { createdSnapshotTags } from './snapshot-tags.lambda-shared';
import { assertOwnSnapshot } from './snapshots.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';
import { requireEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { log } from '../../shared/log.lambda-shared';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';
import { translateRdsFault } from '../../shared/rds-faults.lambda-shared';

/** Snapshots the database (a DB cluster, or a DB instance), tagged as this run's, and starts the wait for it. */
async function run(event: RunPlan): Promise<RunPlan> {
  const ownerId = requireEnv(ENV.OWNER_ID);
  const plan = parsePlan(event, snapshotNaming());
  const snapshotIdentifier = createdSnapshotIdentifier(plan);
  const role = plan.copyRequired ? 'temporary' : 'shared';
  const ownership = { ownerId, clusterIdentifier: plan.clusterIdentifier, role, runId: plan.runId } as const;

  const kind = plan.databaseKind;
  try {
    await createSnapshotOf(kind, plan.clusterIdentifier, snapshotIdentifier, createdSnapshotTags(ownership));
    log('info', 'Creating snapshot', { snapshotIdentifier, role, ...(kind ? { databaseKind: kind } : {}) });
  } catch (error) {
    await translateRdsFault('create', error, {
      clusterIdentifier: plan.clusterIdentifier,
      kind,
      snapshotIdentifier,
      alreadyExists: () => assertOwnSnapshot(snapshotIdentifier, ownership, kind),
    });
  }
  return { ...plan, awaitingSnapshotIdentifier: snapshotIdentifier, deadline: deadlineFromNow() };
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('createSnapshot', run);
