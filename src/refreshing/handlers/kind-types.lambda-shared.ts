import type { Tag } from '@aws-sdk/client-rds';
import type { RestoreSettings } from './settings.lambda-shared';

/*
 * What the refresh does to a database, whatever its kind. The workflow's handlers speak only this
 * interface; each kind (Aurora DB clusters now, DB instances later) implements it with its own RDS
 * calls, faults and member resources (kind.lambda-shared.ts picks one).
 */

/** An instance of a database (an Aurora cluster's member), as the refresh reads it. */
export interface MemberView {
  readonly identifier: string;
  readonly status: string;
  readonly tags: Record<string, string>;
}

/** A database as the refresh reads it. */
export interface DatabaseView {
  readonly identifier: string;
  readonly arn: string;
  readonly resourceId: string;
  readonly status: string;
  readonly engine: string;
  readonly endpoint?: string;
  readonly port?: number;
  readonly deletionProtection: boolean;
  readonly masterUserSecret?: { readonly arn: string; readonly status: string };
  readonly members: MemberView[];
  readonly tags: Record<string, string>;
}

/** The copy a restore starts from. */
export interface CopyToRestore {
  readonly arn: string;
  readonly engine: string;
}

export interface DatabaseKind {
  readonly name: string;
  /** Every database of this kind in the account and Region, with its tags only (no members). */
  list(): Promise<DatabaseView[]>;
  /** The database that holds `identifier` now, or undefined. */
  describe(identifier: string): Promise<DatabaseView | undefined>;
  /** Starts the restore; throws RestoreFailed (refused) or the RDS fault for an identifier taken. */
  restore(identifier: string, copy: CopyToRestore, settings: RestoreSettings, tags: Tag[]): Promise<void>;
  /** The member names a database of this generation needs (none for a kind without members). */
  memberNames(databaseIdentifier: string, generation: string, settings: RestoreSettings): string[];
  /** Creates one member; throws DBInstanceAlreadyExistsFault when it exists. */
  createMember(database: DatabaseView, member: string, settings: RestoreSettings, tags: Tag[]): Promise<void>;
  /** Has RDS generate a new master password into a new Secrets Manager secret. */
  resetMasterPassword(identifier: string, settings: RestoreSettings): Promise<void>;
  /** Renames at once, setting deletion protection in the same call. */
  rename(identifier: string, newIdentifier: string, deletionProtection: boolean): Promise<void>;
  setDeletionProtection(identifier: string, on: boolean): Promise<void>;
  deleteMember(member: string): Promise<void>;
  /** Deletes the database itself (its members gone), with a final snapshot when named. */
  deleteDatabase(identifier: string, finalSnapshot?: string): Promise<void>;
  tag(database: DatabaseView, tags: Record<string, string>): Promise<void>;
}
