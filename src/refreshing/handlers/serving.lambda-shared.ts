import { DatabaseNotOwned } from './errors.lambda-shared';
import type { DatabaseKind } from './kind.lambda-shared';
import { listOwnDatabases } from './listing.lambda-shared';
import { asOwnDatabase, OwnDatabase } from './ownership.lambda-shared';
import type { RefreshSettings } from './settings.lambda-shared';

/**
 * The database of this instance that serves now, or undefined. Renaming: the one holding the
 * stable identifier (DatabaseNotOwned when a database this instance did not create holds it). With
 * an endpoint record: the newest of its databases tagged `serving`, which the record points at (the
 * swap tags the new one before the old one: a swap interrupted between leaves the newer serving).
 * `own`, when given, is this instance's databases as just listed.
 */
export async function servingDatabase(kind: DatabaseKind, settings: RefreshSettings, own?: OwnDatabase[]): Promise<OwnDatabase | undefined> {
  if (settings.endpointRecord) {
    const serving = (own ?? await listOwnDatabases(settings)).filter((d) => d.role === 'serving' && d.view.identifier !== settings.databaseIdentifier);
    return serving.sort((a, b) => b.generation.localeCompare(a.generation))[0];
  }
  const view = await kind.describe(settings.databaseIdentifier);
  const serving = view && asOwnDatabase(view, settings);
  if (view && !serving) {
    throw new DatabaseNotOwned(`'${settings.databaseIdentifier}' is a database this RefreshedDatabase did not create: rename or delete it before the first refresh`);
  }
  return serving;
}
