import type { Tag } from '@aws-sdk/client-rds';
import { ownershipTags, type Ownership } from './tags.lambda-shared';
import { ENV, RESERVED_TAG_PREFIX } from '../../shared/constants';

/**
 * The user's extra tags (`snapshotTags`), from the environment. The construct sets the variable
 * only when there are tags (so the 4 KB environment and the template stay as they were without
 * them): absent means none. Set but malformed is a deployment error, not "no tags".
 */
export function extraSnapshotTags(): Tag[] {
  const raw = process.env[ENV.SNAPSHOT_TAGS];
  if (raw === undefined || raw === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new Error(`Environment variable ${ENV.SNAPSHOT_TAGS} is not a JSON object of string values: '${raw}'`);
  }
  return Object.entries(parsed as Record<string, string>).map(([Key, Value]) => {
    // The construct refuses these at synth; an edited environment must not override the ownership tags.
    if (Key.toLowerCase().startsWith(RESERVED_TAG_PREFIX)) {
      throw new Error(`Environment variable ${ENV.SNAPSHOT_TAGS} holds the reserved tag key '${Key}'`);
    }
    return { Key, Value };
  });
}

/** The tags of a snapshot this construct creates: its ownership tags, then the user's extra tags. */
export function createdSnapshotTags(ownership: Ownership): Tag[] {
  return [...ownershipTags(ownership), ...extraSnapshotTags()];
}
