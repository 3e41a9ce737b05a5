/**
 * Facts of `RefreshedDatabase` (src/refreshing/): its environment keys, error names, tag keys,
 * defaults and limits, in the units the handlers read them.
 *
 * A fact module (see ../constants.ts): imported by the constructs and the handlers, so it imports
 * only other fact modules.
 */
import { METRICS_NAMESPACE } from './metrics';

/** Environment variables of the refresh's functions (besides `ENV.OWNER_ID`, `ENV.STATE_MACHINE_ARN`). */
export const REFRESH_ENV = {
  /** The kind of database (`aurora-cluster`): which RDS calls restore, rename and delete it. */
  KIND: 'REFRESH_KIND',
  /** The identifier the serving database keeps; also the start of every other name this instance uses. */
  DATABASE_IDENTIFIER: 'REFRESH_DATABASE_IDENTIFIER',
  /** Where the copies come from: the receiver's copy prefix, its owner id, the source cluster (and account). */
  COPY_PREFIX: 'REFRESH_COPY_PREFIX',
  COPY_OWNER_ID: 'REFRESH_COPY_OWNER_ID',
  SOURCE_CLUSTER: 'REFRESH_SOURCE_CLUSTER',
  SOURCE_ACCOUNT: 'REFRESH_SOURCE_ACCOUNT',
  /** The restore's settings, as a JSON object (`RestoreSettings`). */
  RESTORE_SETTINGS: 'REFRESH_RESTORE_SETTINGS',
  /** 'true': take a final snapshot of each previous database deleted. */
  FINAL_SNAPSHOT: 'REFRESH_FINAL_SNAPSHOT',
  /** Seconds a previous database is kept after the swap; absent: until the next refresh. */
  KEEP_PREVIOUS_SECONDS: 'REFRESH_KEEP_PREVIOUS_SECONDS',
  /** Seconds the restore, its instances and the password reset may take. */
  RESTORE_TIMEOUT_SECONDS: 'REFRESH_RESTORE_TIMEOUT_SECONDS',
  /** Seconds after its generation that a database being restored by another run is a leftover (the run's longest time before its swap). */
  STALE_AFTER_SECONDS: 'REFRESH_STALE_AFTER_SECONDS',
  /** 'true' when the functions run in a VPC: a restore test's built-in check then connects to the database's port. */
  CONNECT: 'REFRESH_CONNECT',
  /** `refresh` or `restore-test`. */
  MODE: 'REFRESH_MODE',
} as const;

/** The refresh's error names (it also throws `InvalidInput`). */
export const REFRESH_ERROR = {
  /** No available copy of the source cluster carries the receiver's owner id. */
  NoCopyAvailable: 'NoCopyAvailable',
  /** The stable identifier (or a name this instance derives) is held by a database it did not create. */
  DatabaseNotOwned: 'DatabaseNotOwned',
  /** Another refresh of this instance is restoring a database now. */
  RefreshInProgress: 'RefreshInProgress',
  /** RDS refused the restore, or the database ended in a status other than `available`. */
  RestoreFailed: 'RestoreFailed',
  /** A database, instance or rename is still in progress: retried every `waitInterval`. */
  DatabaseNotReady: 'DatabaseNotReady',
  /** The restore, its instances or the password reset outlasted `restoreTimeout`. */
  RestoreTimeout: 'RestoreTimeout',
  /** The user's post-restore step failed or timed out: the refresh is abandoned. */
  PostRestoreFailed: 'PostRestoreFailed',
  /** A rename of the swap failed; the names were rolled back. */
  SwapFailed: 'SwapFailed',
  /** The names could not be rolled back after a failed swap: the stable identifier may be unserved. */
  RollbackFailed: 'RollbackFailed',
  /** Deleting a database this instance created is still in progress: retried. */
  DeletionInProgress: 'DeletionInProgress',
  /** A database could not be deleted within the clean-up's deadline. */
  DeletionTimeout: 'DeletionTimeout',
  /** A restore test's check of the restored database failed. */
  RestoreTestFailed: 'RestoreTestFailed',
} as const;

/** Tag keys on every database and instance the refresh creates; a deletion or rename re-checks them all. */
export const REFRESH_TAG_OWNER = 'refreshed-database:owner';
export const REFRESH_TAG_DATABASE = 'refreshed-database:database';
export const REFRESH_TAG_GENERATION = 'refreshed-database:generation';
/** `restoring` (made by a refresh in progress), `serving`, `previous`, `restore-test`. */
export const REFRESH_TAG_ROLE = 'refreshed-database:role';
export const REFRESH_TAG_RUN = 'refreshed-database:run';
/** The copy it was restored from (ARN), and when the source snapshot was taken (ISO-8601): the data's age. */
export const REFRESH_TAG_SOURCE_SNAPSHOT = 'refreshed-database:source-snapshot-arn';
export const REFRESH_TAG_SOURCE_TIME = 'refreshed-database:source-snapshot-time';
/** On a previous database: when it may be deleted (ISO-8601); absent: at the next refresh. */
export const REFRESH_TAG_DELETE_AFTER = 'refreshed-database:delete-after';
/** Tags under this prefix are the refresh's own: `tags` may not set them. */
export const REFRESH_RESERVED_TAG_PREFIX = 'refreshed-database:';
/** The tags the refresh itself puts on a database (owner, database, generation, role, run, source snapshot, source time, delete-after). */
export const OWN_DATABASE_TAG_COUNT = 8;

export type DatabaseRole = 'restoring' | 'serving' | 'previous' | 'restore-test';

/** Defaults of `RefreshedDatabase`'s props, in the units the handlers read them. */
export const REFRESH_DEFAULTS = {
  /** `schedule`: daily at 05:00 UTC. */
  scheduleHourUtc: 5,
  /** `restoreTimeout`: restore, instances and password reset. */
  restoreTimeoutSeconds: 3 * 3600,
  /** `postRestoreTimeout`. */
  postRestoreTimeoutSeconds: 3600,
  /** `waitInterval`. */
  waitIntervalSeconds: 60,
  /** `maxDataAge`: two daily cycles of the source, plus two hours. */
  maxDataAgeHours: 50,
  /** `instances`. */
  instances: 1,
  /** `serverlessV2`: from 0.5 to 4 ACU. */
  minCapacity: 0.5,
  maxCapacity: 4,
  /** `deletionProtection` of the serving database. */
  deletionProtection: true,
} as const;

/** The most instances one refreshed Aurora cluster may have (Aurora: a writer and up to 15 readers). */
export const MAX_REFRESH_INSTANCES = 16;
/**
 * The generation suffix of every non-serving name: '-' and the run's UTC minute (`yyyymmddhhmm`);
 * an instance adds '-<n>' (at most 3 characters), a final snapshot '-final'.
 */
export const GENERATION_SUFFIX_LENGTH = 13;
/** The longest `databaseIdentifier`: its instances' names (`<id>-<generation>-<n>`) must fit RDS's 63 characters. */
export const MAX_DATABASE_IDENTIFIER_LENGTH = 63 - GENERATION_SUFFIX_LENGTH - 3;
/** How long a rename may take to resolve, and a deletion to finish, before the workflow gives up. */
export const SWAP_TIMEOUT_SECONDS = 3600;
export const DELETION_TIMEOUT_SECONDS = 2 * 3600;
/** Aurora Serverless v2 capacity bounds, in ACU (0 needs auto-pause support: Aurora User Guide). */
export const MIN_SERVERLESS_CAPACITY = 0;
export const MAX_SERVERLESS_CAPACITY = 256;

/** The refresh's metrics (embedded metric format), under the library's one namespace. */
export const REFRESH_METRIC = {
  namespace: METRICS_NAMESPACE,
  /** Seconds since the source snapshot of the serving database's data was taken; hourly. */
  servingDataAge: 'ServingDataAge',
  /** 1 for a restore test that passed, 0 for one that failed. */
  restoreTestPassed: 'RestoreTestPassed',
  /** Every record carries the instance's owner id and the stable identifier. */
  ownerDimension: 'OwnerId',
  databaseDimension: 'Database',
} as const;
