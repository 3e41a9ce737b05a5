import type { Tag } from '@aws-sdk/client-rds';
import type { DatabaseView, MemberView } from './kind.lambda-shared';
import { generationInName, generationName } from './names.lambda-shared';
import type { RefreshSettings } from './settings.lambda-shared';
import { tagList } from './tags.lambda-shared';
import {
  DatabaseRole, REFRESH_TAG_DATABASE, REFRESH_TAG_DELETE_AFTER, REFRESH_TAG_GENERATION, REFRESH_TAG_OWNER, REFRESH_TAG_ROLE, REFRESH_TAG_RUN,
  REFRESH_TAG_SOURCE_SNAPSHOT, REFRESH_TAG_SOURCE_TIME,
} from '../../shared/constants';

/*
 * What marks a database as this instance's: its owner tag, the stable identifier it belongs to and
 * its generation, each re-read before any rename or deletion, and a name that agrees with them
 * (`<id>` while serving, `<id>-<generation>` otherwise). A user's database with a similar name, or
 * one whose tags were changed, is never touched.
 */

/** A database of this instance, read back from its tags. */
export interface OwnDatabase {
  readonly view: DatabaseView;
  readonly generation: string;
  readonly role: DatabaseRole;
  readonly run: string;
  readonly sourceSnapshotArn: string;
  readonly sourceSnapshotTime: string;
  /** When a previous database may be deleted (ms); undefined: at the next refresh. */
  readonly deleteAfter?: number;
}

/** What a database's tags record about its origin. */
export interface Origin {
  readonly generation: string;
  readonly role: DatabaseRole;
  readonly run: string;
  readonly sourceSnapshotArn: string;
  readonly sourceSnapshotTime: string;
}

/** The tags a new database or member gets: the user's, then this instance's own (which win). */
export function ownTags(settings: RefreshSettings, origin: Origin): Tag[] {
  return tagList({
    ...settings.restore.tags,
    [REFRESH_TAG_OWNER]: settings.ownerId,
    [REFRESH_TAG_DATABASE]: settings.databaseIdentifier,
    [REFRESH_TAG_GENERATION]: origin.generation,
    [REFRESH_TAG_ROLE]: origin.role,
    [REFRESH_TAG_RUN]: origin.run,
    [REFRESH_TAG_SOURCE_SNAPSHOT]: origin.sourceSnapshotArn,
    [REFRESH_TAG_SOURCE_TIME]: origin.sourceSnapshotTime,
  });
}

const ROLES: readonly string[] = ['restoring', 'serving', 'previous', 'restore-test'];

/**
 * The database as one of this instance's, or undefined: the owner and database tags must match,
 * and the name must be the stable identifier or `<id>-<generation>` of its generation tag.
 */
export function asOwnDatabase(view: DatabaseView, settings: RefreshSettings): OwnDatabase | undefined {
  const t = view.tags;
  const generation = t[REFRESH_TAG_GENERATION];
  if (t[REFRESH_TAG_OWNER] !== settings.ownerId || t[REFRESH_TAG_DATABASE] !== settings.databaseIdentifier || !generation) return undefined;
  const named = view.identifier === settings.databaseIdentifier || generationInName(settings.databaseIdentifier, view.identifier) === generation;
  if (!named || !ROLES.includes(t[REFRESH_TAG_ROLE])) return undefined;
  const deleteAfter = t[REFRESH_TAG_DELETE_AFTER] ? Date.parse(t[REFRESH_TAG_DELETE_AFTER]) : undefined;
  return {
    view,
    generation,
    role: t[REFRESH_TAG_ROLE] as DatabaseRole,
    run: t[REFRESH_TAG_RUN] ?? '',
    sourceSnapshotArn: t[REFRESH_TAG_SOURCE_SNAPSHOT] ?? '',
    sourceSnapshotTime: t[REFRESH_TAG_SOURCE_TIME] ?? '',
    deleteAfter: Number.isNaN(deleteAfter) ? undefined : deleteAfter,
  };
}

/** A member (instance) is this instance's when its tags name this owner, database and the database's generation. */
export function isOwnMember(member: MemberView, database: OwnDatabase, settings: RefreshSettings): boolean {
  return member.tags[REFRESH_TAG_OWNER] === settings.ownerId
    && member.tags[REFRESH_TAG_DATABASE] === settings.databaseIdentifier
    && member.tags[REFRESH_TAG_GENERATION] === database.generation;
}

/** The name a database of this generation has when it does not serve. */
export function restingName(settings: RefreshSettings, generation: string): string {
  return generationName(settings.databaseIdentifier, generation);
}
