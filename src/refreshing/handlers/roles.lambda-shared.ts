import type { DatabaseKind } from './kind.lambda-shared';
import type { RefreshSettings } from './settings.lambda-shared';
import { REFRESH_TAG_DELETE_AFTER, REFRESH_TAG_ROLE } from '../../shared/constants';

/** The role tags of the database that serves now. */
export const SERVING_TAGS: Readonly<Record<string, string>> = { [REFRESH_TAG_ROLE]: 'serving', [REFRESH_TAG_DELETE_AFTER]: '' };

/** The role tags of a database a swap replaced: previous, deleted after `keepPrevious` (or at the next refresh). */
export function previousTags(settings: RefreshSettings): Record<string, string> {
  const keep = settings.keepPreviousSeconds;
  return { [REFRESH_TAG_ROLE]: 'previous', [REFRESH_TAG_DELETE_AFTER]: keep === undefined ? '' : new Date(Date.now() + keep * 1000).toISOString() };
}

/** Re-reads the database that holds `identifier` now and sets `tags` on it (nothing when none holds it). */
export async function retag(kind: DatabaseKind, identifier: string, tags: Record<string, string>): Promise<void> {
  const view = await kind.describe(identifier);
  if (view) await kind.tag(view, tags);
}
