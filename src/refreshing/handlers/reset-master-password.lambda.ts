import { DatabaseNotReady, RestoreFailed } from './errors.lambda-shared';
import { databaseKind } from './kind.lambda-shared';
import { ownDatabaseAt } from './own-database.lambda-shared';
import { refreshSettings } from './settings.lambda-shared';
import { planOf } from './state.lambda-shared';
import { isAwsError } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/**
 * Replaces the master password the restore kept from the source with one RDS generates into a new
 * Secrets Manager secret of this account (ManageMasterUserPassword). Done once the database manages
 * a secret of this account, so a retried step resets nothing twice.
 */
export async function handler(event: unknown): Promise<{ identifier: string }> {
  const settings = refreshSettings();
  const plan = planOf(event, 'The ResetMasterPassword input');
  const kind = databaseKind(settings.kind);
  const own = await ownDatabaseAt(kind, settings, plan.newIdentifier, plan.generation);
  if (!own) throw new RestoreFailed(`Database '${plan.newIdentifier}' no longer exists`);
  const account = own.view.arn.split(':')[4];
  if (own.view.masterUserSecret?.arn.split(':')[4] === account) return { identifier: plan.newIdentifier };
  if (own.view.status !== 'available') throw new DatabaseNotReady(`Database '${plan.newIdentifier}' is '${own.view.status}'`);
  try {
    await kind.resetMasterPassword(plan.newIdentifier, settings.restore);
  } catch (error) {
    if (isAwsError(error, 'InvalidDBClusterStateFault', 'InvalidDBInstanceStateFault')) throw new DatabaseNotReady(`Database '${plan.newIdentifier}' cannot be modified now`);
    throw error;
  }
  log('info', 'Resetting the master password into a new managed secret', { identifier: plan.newIdentifier });
  return { identifier: plan.newIdentifier };
}
