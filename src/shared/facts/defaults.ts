/**
 * Defaults of the constructs' props, in the units the handlers read them.
 *
 * A fact module (see ../constants.ts): imported by the constructs and the handlers, so it imports
 * only other fact modules.
 */
/** Defaults of the construct's props, in the units the handlers read them. */
export const DEFAULTS = {
  /** `rdsRequestsPerSecond`: leaves room under RDS's ~12 requests/s per account and Region. */
  rdsRequestsPerSecond: 8,
  /** `waitInterval`. */
  waitIntervalSeconds: 60,
  /** `snapshotTimeout`, before the cap of `MAX_CHECKS_PER_PHASE` checks. */
  snapshotTimeoutSeconds: 6 * 3600,
  /** `retainSnapshots`. */
  retainSnapshots: 1,
  /** `snapshotPrefix`. */
  snapshotPrefix: 'shared',
  /** `maxConcurrentCopies`: the documented limit of copies in progress per account and Region. */
  maxConcurrentCopies: 5,
  /** `maxConcurrentInstanceCopies`: the documented limit of DB snapshot copies in progress (MAX_CONCURRENT_INSTANCE_COPIES). */
  maxConcurrentInstanceCopies: 20,
} as const;

/** Defaults of the receiver's props, in the units the handlers read them. */
export const TARGET_DEFAULTS = {
  /** `retainCopies`. */
  retainCopies: 7,
  /** `copyPrefix`. */
  copyPrefix: 'received',
  /** `schedule`: the catch-up scan, every 6 hours. */
  scanIntervalHours: 6,
  /** `maxCopyAge`: a daily source schedule plus two hours of slack. */
  maxCopyAgeHours: 26,
} as const;

/** `memorySize` of every handler function, in MB: the handlers only wait on AWS API calls. */
export const DEFAULT_MEMORY_SIZE_MB = 256;

/** Defaults of the source side's event and freshness props, in the units the handlers read them. */
export const SOURCE_EVENTS_DEFAULTS = {
  /** `maxRetention`: a week, long enough for a receiver that was down over a weekend. */
  maxRetentionDays: 7,
  /** `maxSnapshotAge`: a daily schedule plus two hours of slack. */
  maxSnapshotAgeHours: 26,
} as const;
