import { restoreAccounts, setRestoreAccounts } from './restore-access.lambda-shared';
import { parsePlan } from './run-plan.lambda-shared';
import { listOwnedSnapshots } from './snapshots.lambda-shared';
import { ownershipOf } from './tags.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';
import { inRegion } from '../../shared/clients.lambda-shared';
import { listEnv, requireEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { InvalidInput, isAwsError } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';
import { translateRdsFault } from '../../shared/rds-faults.lambda-shared';
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';

/**
 * Shares the new snapshot with exactly the target accounts, then makes every other retained shared
 * snapshot of the cluster restorable by exactly them too: removed targets (and `all`) lose access,
 * new targets gain it. Idempotent. A retained snapshot never shared (a dead run's copy) stays unshared.
 * A plan in another Region (`regions`) does all of this there, to that Region's copies.
 */
async function run(event: RunPlan): Promise<RunPlan> {
  const plan = parsePlan(event, snapshotNaming());
  return inRegion(plan.region, () => share(plan));
}

async function share(plan: RunPlan): Promise<RunPlan> {
  const ownerId = requireEnv(ENV.OWNER_ID);
  const targets = listEnv(ENV.TARGET_ACCOUNT_IDS);
  if (targets.length === 0) throw new Error(`Environment variable ${ENV.TARGET_ACCOUNT_IDS} is empty`);
  if (plan.awaitingSnapshotIdentifier !== plan.sharedSnapshotIdentifier || !plan.snapshotArn) {
    throw new InvalidInput(`Snapshot '${plan.sharedSnapshotIdentifier}' has not been found available yet; nothing to share`);
  }
  const { clusterIdentifier, databaseKind: kind } = plan;
  // A retained snapshot deleted meanwhile (retention, a user) has nobody left to revoke.
  const shareOne = async (snapshotIdentifier: string, retained: boolean) => {
    try {
      const current = await restoreAccounts(snapshotIdentifier, kind);
      if (retained && current.length === 0) return undefined;
      return await setRestoreAccounts(snapshotIdentifier, current, targets, kind);
    } catch (error) {
      if (retained && isAwsError(error, snapshotApi(kind).faults.snapshotNotFound)) return undefined;
      await translateRdsFault('share', error, { clusterIdentifier, kind, snapshotIdentifier, accounts: targets });
      return undefined;
    }
  };

  await shareOne(plan.sharedSnapshotIdentifier, false);
  log('info', 'Shared snapshot', { snapshotIdentifier: plan.sharedSnapshotIdentifier, targets });

  const retained = (await listOwnedSnapshots(ownerId, clusterIdentifier, kind)).filter((s) =>
    ownershipOf(s)?.role === 'shared' && s.Status === 'available' && s.DBClusterSnapshotIdentifier !== plan.sharedSnapshotIdentifier);
  for (const snapshotIdentifier of retained.map((s) => s.DBClusterSnapshotIdentifier!)) {
    const change = await shareOne(snapshotIdentifier, true);
    if (change && (change.added.length > 0 || change.removed.length > 0)) {
      log('info', 'Updated who may restore a retained snapshot', { snapshotIdentifier, ...change });
    }
  }
  return { ...plan, sharedWith: targets };
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('shareSnapshot', run);
