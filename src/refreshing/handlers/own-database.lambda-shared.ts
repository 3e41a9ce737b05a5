import { DatabaseNotOwned } from './errors.lambda-shared';
import type { DatabaseKind } from './kind.lambda-shared';
import { asOwnDatabase, OwnDatabase } from './ownership.lambda-shared';
import type { RefreshSettings } from './settings.lambda-shared';

/**
 * The database that holds `identifier`, when it is this instance's of `generation`; undefined when
 * none holds it; DatabaseNotOwned when another does.
 */
export async function ownDatabaseAt(
  kind: DatabaseKind, settings: RefreshSettings, identifier: string, generation: string,
): Promise<OwnDatabase | undefined> {
  const view = await kind.describe(identifier);
  if (!view) return undefined;
  const own = asOwnDatabase(view, settings);
  if (!own || own.generation !== generation) {
    throw new DatabaseNotOwned(`'${identifier}' is not this RefreshedDatabase's database of generation ${generation}`);
  }
  return own;
}

/** The same, but undefined (not DatabaseNotOwned) when another database holds `identifier`. */
export async function ownDatabaseOrNone(
  kind: DatabaseKind, settings: RefreshSettings, identifier: string, generation: string,
): Promise<OwnDatabase | undefined> {
  const view = await kind.describe(identifier);
  const own = view && asOwnDatabase(view, settings);
  return own && own.generation === generation ? own : undefined;
}
