import { DatabaseNotReady, RestoreFailed, RestoreTimeout } from './errors.lambda-shared';
import { databaseKind } from './kind.lambda-shared';
import { ownDatabaseAt, ownDatabaseOrNone } from './own-database.lambda-shared';
import type { OwnDatabase } from './ownership.lambda-shared';
import { refreshSettings } from './settings.lambda-shared';
import { planOf, RefreshPlan, RestoredDatabase } from './state.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { preview } from '../../shared/validate.lambda-shared';

/** What is awaited: the restored database, its instances and secret, or the swap's new name. */
export type CheckStep = 'restored' | 'ready' | 'serving';

/** The stable identifier's database once it serves this run's generation. */
export interface ServingDatabase {
  readonly identifier: string;
  readonly endpoint: string;
  readonly port: number;
}

export interface CheckEvent {
  readonly step: CheckStep;
  readonly state: unknown;
}

/**
 * Statuses a database or instance passes through on its way to `available` (Aurora and RDS User
 * Guides, "Viewing DB cluster status" and "Viewing DB instance status"). Any other status that is
 * not `available` is terminal for a refresh: `failed`, `incompatible-*`, `inaccessible-encryption-credentials`...
 */
const ON_THE_WAY = [
  'creating', 'backing-up', 'modifying', 'renaming', 'resetting-master-credentials', 'configuring-enhanced-monitoring',
  'configuring-iam-database-auth', 'configuring-log-exports', 'upgrading', 'maintenance', 'starting', 'rebooting', 'storage-optimization',
];

/**
 * One check of what the workflow waits for. Not there yet: DatabaseNotReady (retried every
 * `waitInterval`), RestoreTimeout past the restore's deadline; a terminal status: RestoreFailed.
 */
export async function handler(event: CheckEvent): Promise<RestoredDatabase | ServingDatabase | { identifier: string }> {
  const settings = refreshSettings();
  const plan = planOf(event?.state, 'The CheckDatabase input');
  const kind = databaseKind(settings.kind);
  switch (event.step) {
    case 'restored': {
      const own = await awaited(await ownDatabaseAt(kind, settings, plan.newIdentifier, plan.generation), plan);
      assertProgress(own.view.status, `Database '${plan.newIdentifier}'`, plan);
      return { identifier: plan.newIdentifier };
    }
    case 'ready': {
      const own = await awaited(await ownDatabaseAt(kind, settings, plan.newIdentifier, plan.generation), plan);
      return ready(own, plan, kind.memberNames(plan.databaseIdentifier, plan.generation, settings.restore));
    }
    case 'serving': {
      const own = await ownDatabaseOrNone(kind, settings, plan.databaseIdentifier, plan.generation);
      if (!own || own.view.status !== 'available' || own.view.members.some((m) => m.status !== 'available')) {
        throw new DatabaseNotReady(`'${plan.databaseIdentifier}' does not serve generation ${plan.generation} yet (${own?.view.status ?? 'not found'})`);
      }
      return { identifier: plan.databaseIdentifier, endpoint: own.view.endpoint ?? '', port: own.view.port ?? 0 };
    }
    default:
      throw new InvalidInput(`step must be restored, ready or serving, got ${preview(event?.step)}`);
  }
}

/** A database not found right after the restore may not be visible yet; past the deadline it is gone. */
async function awaited(own: OwnDatabase | undefined, plan: RefreshPlan): Promise<OwnDatabase> {
  if (own) return own;
  if (Date.now() >= Date.parse(plan.deadline)) throw new RestoreFailed(`Database '${plan.newIdentifier}' does not exist`);
  throw new DatabaseNotReady(`Database '${plan.newIdentifier}' is not visible yet`);
}

function assertProgress(status: string, what: string, plan: RefreshPlan): void {
  if (status === 'available') return;
  if (!ON_THE_WAY.includes(status)) throw new RestoreFailed(`${what} is '${status}'`);
  if (Date.now() >= Date.parse(plan.deadline)) throw new RestoreTimeout(`${what} is still '${status}' at the restore's deadline ${plan.deadline}`);
  throw new DatabaseNotReady(`${what} is '${status}'`);
}

/** The database, every instance it needs, and its new master secret are available. */
function ready(own: OwnDatabase, plan: RefreshPlan, memberNames: string[]): RestoredDatabase {
  const { view } = own;
  assertProgress(view.status, `Database '${view.identifier}'`, plan);
  for (const name of memberNames) {
    const member = view.members.find((m) => m.identifier === name);
    assertProgress(member?.status ?? 'creating', `Instance '${name}'`, plan);
  }
  assertProgress(view.masterUserSecret?.status === 'active' ? 'available' : 'resetting-master-credentials', `The master secret of '${view.identifier}'`, plan);
  return { identifier: view.identifier, endpoint: view.endpoint ?? '', port: view.port ?? 0, masterUserSecretArn: view.masterUserSecret!.arn };
}
