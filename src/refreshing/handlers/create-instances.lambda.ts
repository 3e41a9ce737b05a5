import { DatabaseNotOwned, DatabaseNotReady, RestoreFailed } from './errors.lambda-shared';
import { databaseKind } from './kind.lambda-shared';
import { ownDatabaseAt } from './own-database.lambda-shared';
import { ownTags } from './ownership.lambda-shared';
import { refreshSettings } from './settings.lambda-shared';
import { planOf } from './state.lambda-shared';
import { isAwsError } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/**
 * Creates the restored database's instances (`<id>-<generation>-<n>`), tagged as it is. Those that
 * exist already are skipped, so a retried step creates nothing twice.
 */
export async function handler(event: unknown): Promise<{ created: string[] }> {
  const settings = refreshSettings();
  const plan = planOf(event, 'The CreateInstances input');
  const kind = databaseKind(settings.kind);
  const own = await ownDatabaseAt(kind, settings, plan.newIdentifier, plan.generation);
  if (!own) throw new RestoreFailed(`Database '${plan.newIdentifier}' no longer exists`);
  if (own.view.status !== 'available') throw new DatabaseNotReady(`Database '${plan.newIdentifier}' is '${own.view.status}'`);
  const tags = ownTags(settings, {
    generation: plan.generation, role: own.role, run: plan.run, sourceSnapshotArn: plan.copy.arn, sourceSnapshotTime: plan.copy.sourceSnapshotTime,
  });
  const created: string[] = [];
  for (const name of kind.memberNames(plan.databaseIdentifier, plan.generation, settings.restore)) {
    if (own.view.members.some((m) => m.identifier === name)) continue;
    try {
      await kind.createMember(own.view, name, settings.restore, tags);
      created.push(name);
    } catch (error) {
      if (isAwsError(error, 'InvalidDBClusterStateFault')) throw new DatabaseNotReady(`Database '${plan.newIdentifier}' cannot take instances now`);
      if (isAwsError(error, 'DBInstanceAlreadyExistsFault')) throw new DatabaseNotOwned(`Instance '${name}' exists and is not a member of '${plan.newIdentifier}'`);
      throw error;
    }
  }
  log('info', 'Creating instances', { identifier: plan.newIdentifier, created });
  return { created };
}
