import { DatabaseNotOwned, RefreshInProgress } from './errors.lambda-shared';
import { databaseKind } from './kind.lambda-shared';
import { asOwnDatabase, ownTags } from './ownership.lambda-shared';
import { refreshSettings } from './settings.lambda-shared';
import { planOf } from './state.lambda-shared';
import { isAwsError } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/**
 * Restores the planned copy under the run's generation name, in the configured network, key,
 * parameter group and capacity, tagged as this instance's and without deletion protection. A
 * database of that name that this run restored already is success (a retried step); any other is
 * DatabaseNotOwned or RefreshInProgress.
 */
export async function handler(event: unknown): Promise<{ identifier: string }> {
  const settings = refreshSettings();
  const plan = planOf(event, 'The RestoreDatabase input');
  const kind = databaseKind(settings.kind);
  const role = settings.mode === 'refresh' ? 'restoring' : 'restore-test';
  const tags = ownTags(settings, {
    generation: plan.generation, role, run: plan.run, sourceSnapshotArn: plan.copy.arn, sourceSnapshotTime: plan.copy.sourceSnapshotTime,
  });
  try {
    await kind.restore(plan.newIdentifier, plan.copy, settings.restore, tags);
    log('info', 'Restoring', { identifier: plan.newIdentifier, copy: plan.copy.arn });
  } catch (error) {
    if (!isAwsError(error, 'DBClusterAlreadyExistsFault', 'DBInstanceAlreadyExistsFault')) throw error;
    const existing = await kind.describe(plan.newIdentifier);
    const own = existing && asOwnDatabase(existing, settings);
    if (!own) throw new DatabaseNotOwned(`'${plan.newIdentifier}' exists and is not this RefreshedDatabase's`);
    if (own.generation !== plan.generation || own.run !== plan.run) throw new RefreshInProgress(`Run '${own.run}' restored '${plan.newIdentifier}' already`);
  }
  return { identifier: plan.newIdentifier };
}
