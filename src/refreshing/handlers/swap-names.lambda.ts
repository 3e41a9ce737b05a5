import { DatabaseNotReady, SwapFailed } from './errors.lambda-shared';
import { DatabaseKind, databaseKind } from './kind.lambda-shared';
import { generationName } from './names.lambda-shared';
import { ownDatabaseAt, ownDatabaseOrNone } from './own-database.lambda-shared';
import { refreshSettings, RefreshSettings } from './settings.lambda-shared';
import { planOf, RefreshPlan, SwapResult } from './state.lambda-shared';
import { REFRESH_TAG_DELETE_AFTER, REFRESH_TAG_ROLE } from '../../shared/constants';
import { InvalidInput, isAwsError } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { preview } from '../../shared/validate.lambda-shared';

/**
 * `away`: the serving database takes its generation name back (deletion protection off);
 * `intoPlace`: the new database takes the stable identifier (deletion protection as configured);
 * `rollBack`: after a failed swap, both get their names from before the swap again.
 */
export type SwapStep = 'away' | 'intoPlace' | 'rollBack';

const NO_PREVIOUS: SwapResult = { previousIdentifier: null };

export interface SwapEvent {
  readonly step: SwapStep;
  readonly state: unknown;
}

/**
 * One step of the swap. A rename frees the old name at once and takes the new one within minutes,
 * the database `renaming` meanwhile (RDS User Guide, "Renaming"); a database that is not
 * `available` yet is DatabaseNotReady (retried). Each step re-reads both databases and checks their
 * tags, so a retried or repeated step renames nothing twice.
 */
export async function handler(event: SwapEvent): Promise<SwapResult> {
  const settings = refreshSettings();
  const plan = planOf(event?.state, 'The SwapNames input');
  const kind = databaseKind(settings.kind);
  switch (event.step) {
    case 'away': return renameAway(kind, settings, plan);
    case 'intoPlace': return renameIntoPlace(kind, settings, plan, (event.state as { swap?: SwapResult }).swap ?? NO_PREVIOUS);
    case 'rollBack': return rollBack(kind, settings, plan);
    default: throw new InvalidInput(`step must be away, intoPlace or rollBack, got ${preview(event?.step)}`);
  }
}

async function renameAway(kind: DatabaseKind, settings: RefreshSettings, plan: RefreshPlan): Promise<SwapResult> {
  if (!plan.servingGeneration) return NO_PREVIOUS;
  const stable = settings.databaseIdentifier;
  const previousIdentifier = generationName(stable, plan.servingGeneration);
  const serving = await ownDatabaseAt(kind, settings, stable, plan.servingGeneration);
  if (!serving) {
    // Renamed by an earlier attempt of this step (or deleted by someone): nothing serves it now.
    const renamed = await ownDatabaseAt(kind, settings, previousIdentifier, plan.servingGeneration);
    if (renamed) await tagAfterRename(kind, previousIdentifier, previousTags(settings));
    return renamed ? { previousIdentifier } : NO_PREVIOUS;
  }
  await renameOrRetry(kind, stable, previousIdentifier, false);
  await tagAfterRename(kind, previousIdentifier, previousTags(settings));
  log('info', 'Renamed the serving database away', { from: stable, to: previousIdentifier });
  return { previousIdentifier };
}

async function renameIntoPlace(kind: DatabaseKind, settings: RefreshSettings, plan: RefreshPlan, swap: SwapResult): Promise<SwapResult> {
  const stable = settings.databaseIdentifier;
  if (!(await ownDatabaseAt(kind, settings, plan.newIdentifier, plan.generation))) {
    if (await ownDatabaseOrNone(kind, settings, stable, plan.generation)) return swap;
    throw new SwapFailed(`Database '${plan.newIdentifier}' disappeared before the swap`);
  }
  await renameOrRetry(kind, plan.newIdentifier, stable, settings.restore.deletionProtection);
  await tagAfterRename(kind, stable, { [REFRESH_TAG_ROLE]: 'serving', [REFRESH_TAG_DELETE_AFTER]: '' });
  log('info', 'Renamed the new database into place', { from: plan.newIdentifier, to: stable });
  return swap;
}

/** Until both hold their names from before the swap: the new one its generation name, the old one the stable identifier. */
async function rollBack(kind: DatabaseKind, settings: RefreshSettings, plan: RefreshPlan): Promise<SwapResult> {
  const stable = settings.databaseIdentifier;
  const atStable = await kind.describe(stable);
  const newAtStable = atStable && (await ownDatabaseOrNone(kind, settings, stable, plan.generation));
  if (newAtStable) {
    await renameOrRetry(kind, stable, plan.newIdentifier, false);
    await tagAfterRename(kind, plan.newIdentifier, { [REFRESH_TAG_ROLE]: 'restoring' });
    throw new DatabaseNotReady(`Renaming '${stable}' back to '${plan.newIdentifier}'`);
  }
  if (!plan.servingGeneration) return NO_PREVIOUS;
  if (atStable) {
    if (!(await ownDatabaseOrNone(kind, settings, stable, plan.servingGeneration))) {
      throw new SwapFailed(`'${stable}' is held by a database this RefreshedDatabase did not create: the previous database cannot take its name back`);
    }
    await tagAfterRename(kind, stable, { [REFRESH_TAG_ROLE]: 'serving', [REFRESH_TAG_DELETE_AFTER]: '' });
    return NO_PREVIOUS;
  }
  const previousIdentifier = generationName(stable, plan.servingGeneration);
  if (!(await ownDatabaseAt(kind, settings, previousIdentifier, plan.servingGeneration))) {
    throw new SwapFailed(`Neither '${stable}' nor '${previousIdentifier}' holds the database that served before the swap`);
  }
  await renameOrRetry(kind, previousIdentifier, stable, settings.restore.deletionProtection);
  await tagAfterRename(kind, stable, { [REFRESH_TAG_ROLE]: 'serving', [REFRESH_TAG_DELETE_AFTER]: '' });
  log('info', 'Rolled the serving database\'s name back', { from: previousIdentifier, to: stable });
  return NO_PREVIOUS;
}

function previousTags(settings: RefreshSettings): Record<string, string> {
  const keep = settings.keepPreviousSeconds;
  return { [REFRESH_TAG_ROLE]: 'previous', [REFRESH_TAG_DELETE_AFTER]: keep === undefined ? '' : new Date(Date.now() + keep * 1000).toISOString() };
}

/** A database busy with another change is not ready; a name held by another database fails the swap. */
async function renameOrRetry(kind: DatabaseKind, from: string, to: string, deletionProtection: boolean): Promise<void> {
  try {
    await kind.rename(from, to, deletionProtection);
  } catch (error) {
    if (isAwsError(error, 'InvalidDBClusterStateFault', 'InvalidDBInstanceStateFault')) throw new DatabaseNotReady(`'${from}' cannot be renamed now: ${(error as Error).message}`);
    if (isAwsError(error, 'DBClusterAlreadyExistsFault', 'DBInstanceAlreadyExistsFault')) throw new SwapFailed(`'${to}' is taken: ${(error as Error).message}`);
    throw error;
  }
}

/** The role tags follow the rename: the tags stay with the database, under its new name (RDS User Guide). */
async function tagAfterRename(kind: DatabaseKind, identifier: string, tags: Record<string, string>): Promise<void> {
  const view = await kind.describe(identifier);
  if (view) await kind.tag(view, tags);
}
