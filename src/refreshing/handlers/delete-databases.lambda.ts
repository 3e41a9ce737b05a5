import { DeletionInProgress } from './errors.lambda-shared';
import { DatabaseKind, databaseKind } from './kind.lambda-shared';
import { finalSnapshotName } from './names.lambda-shared';
import { asOwnDatabase, isOwnMember } from './ownership.lambda-shared';
import { refreshSettings, RefreshSettings } from './settings.lambda-shared';
import { planOf, SwapResult } from './state.lambda-shared';
import { DatabaseRole } from '../../shared/constants';
import { InvalidInput, isAwsError } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { preview } from '../../shared/validate.lambda-shared';

/**
 * What is deleted: `obsolete` (Prepare's list: leftovers and expired previous databases), `failed`
 * (this run's restore, when the run fails before its swap), `tested` (a restore test's database),
 * `previous` (the database the swap renamed away, after `keepPrevious`).
 */
export type DeleteStep = 'obsolete' | 'failed' | 'tested' | 'previous';

export interface DeleteEvent {
  readonly step: DeleteStep;
  readonly state: unknown;
}

export interface DeleteResult {
  readonly deleted: string[];
  /** Databases left alone because their tags or name no longer mark them as this instance's. */
  readonly refused: string[];
}

type Outcome = 'gone' | 'in-progress' | 'refused';

/**
 * Moves each database's deletion one step on: its instances first, then (deletion protection off,
 * a final snapshot of a previous database when asked) the database. Before each call the database
 * is re-read and its owner, database and generation tags, role and name checked again; the serving
 * name is never deleted. Throws DeletionInProgress (retried every `waitInterval`) until every
 * database is gone or refused.
 */
export async function handler(event: DeleteEvent): Promise<DeleteResult> {
  const settings = refreshSettings();
  const plan = planOf(event?.state, 'The DeleteDatabases input');
  const kind = databaseKind(settings.kind);
  const targets = targetsOf(event.step, plan, (event.state as { swap?: SwapResult }).swap);
  const outcomes = new Map<string, Outcome>();
  for (const { identifier, roles, generation } of targets) {
    outcomes.set(identifier, await deleteStep(kind, settings, identifier, roles, generation));
  }
  const pending = [...outcomes].filter(([, o]) => o === 'in-progress').map(([id]) => id);
  if (pending.length > 0) throw new DeletionInProgress(`Deleting ${pending.join(', ')}`);
  return {
    deleted: [...outcomes].filter(([, o]) => o === 'gone').map(([id]) => id),
    refused: [...outcomes].filter(([, o]) => o === 'refused').map(([id]) => id),
  };
}

interface Target {
  readonly identifier: string;
  readonly roles: readonly DatabaseRole[];
  /** The generation it must carry, when known. */
  readonly generation?: string;
}

function targetsOf(step: DeleteStep, plan: ReturnType<typeof planOf>, swap: SwapResult | undefined): Target[] {
  switch (step) {
    case 'obsolete':
      return plan.obsolete.map((identifier) => ({ identifier, roles: ['restoring', 'restore-test', 'previous', 'serving'] }));
    case 'failed':
      return [{ identifier: plan.newIdentifier, roles: ['restoring'], generation: plan.generation }];
    case 'tested':
      return [{ identifier: plan.newIdentifier, roles: ['restore-test'], generation: plan.generation }];
    case 'previous':
      return swap?.previousIdentifier ? [{ identifier: swap.previousIdentifier, roles: ['previous'], generation: plan.servingGeneration }] : [];
    default:
      throw new InvalidInput(`step must be obsolete, failed, tested or previous, got ${preview(step)}`);
  }
}

async function deleteStep(
  kind: DatabaseKind, settings: RefreshSettings, identifier: string, roles: readonly DatabaseRole[], generation?: string,
): Promise<Outcome> {
  if (identifier === settings.databaseIdentifier) return refuse(identifier, 'it holds the stable identifier');
  const view = await kind.describe(identifier);
  if (!view) return 'gone';
  const own = asOwnDatabase(view, settings);
  if (!own || !roles.includes(own.role) || (generation !== undefined && own.generation !== generation)) {
    return refuse(identifier, 'its tags or name no longer mark it as this instance\'s');
  }
  const strangers = view.members.filter((m) => !isOwnMember(m, own, settings));
  if (strangers.length > 0) return refuse(identifier, `it has instances this instance did not create (${strangers.map((m) => m.identifier).join(', ')})`);
  try {
    for (const member of view.members.filter((m) => m.status !== 'deleting')) await kind.deleteMember(member.identifier);
    if (view.members.length > 0 || view.status === 'deleting') return 'in-progress';
    if (view.deletionProtection) {
      await kind.setDeletionProtection(identifier, false);
      return 'in-progress';
    }
    const finalSnapshot = settings.finalSnapshot && own.role === 'previous' ? finalSnapshotName(settings.databaseIdentifier, own.generation) : undefined;
    await kind.deleteDatabase(identifier, finalSnapshot);
    log('info', 'Deleting database', { identifier, role: own.role, finalSnapshot });
    return 'in-progress';
  } catch (error) {
    if (isAwsError(error, 'DBClusterNotFoundFault', 'DBInstanceNotFoundFault')) return 'in-progress';
    if (isAwsError(error, 'InvalidDBClusterStateFault', 'InvalidDBInstanceStateFault')) return 'in-progress';
    throw error;
  }
}

function refuse(identifier: string, why: string): Outcome {
  log('warn', `Refusing to delete '${identifier}': ${why}`, { identifier });
  return 'refused';
}
