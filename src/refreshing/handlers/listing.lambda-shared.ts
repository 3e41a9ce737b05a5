import { databaseKind } from './kind.lambda-shared';
import { asOwnDatabase, OwnDatabase } from './ownership.lambda-shared';
import type { RefreshSettings } from './settings.lambda-shared';

/**
 * Every database of this instance in the account and Region: those whose tags and names mark them
 * as this instance's in a listing, each re-read with its members.
 */
export async function listOwnDatabases(settings: RefreshSettings): Promise<OwnDatabase[]> {
  const kind = databaseKind(settings.kind);
  const candidates = (await kind.list()).filter((view) => asOwnDatabase(view, settings)).map((view) => view.identifier);
  const own: OwnDatabase[] = [];
  for (const identifier of candidates) {
    const view = await kind.describe(identifier);
    const database = view && asOwnDatabase(view, settings);
    if (database) own.push(database);
  }
  return own;
}
