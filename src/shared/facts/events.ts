/**
 * The EventBridge source and detail-types of the handoff between the two sides.
 *
 * A fact module (see ../constants.ts): imported by the constructs and the handlers, so it imports
 * only other fact modules.
 */
/** The `source` of every event either side puts on an event bus. */
export const EVENT_SOURCE = 'cdk-shared-cluster-snapshots';

/** The `detail-type` of each event. */
export const EVENT_DETAIL_TYPE = {
  /** Put by the source side after each successful share; detail: `SnapshotSharedDetail`. */
  shared: 'Cluster Snapshot Shared',
  /** Put by the source side after a failed run; detail: `SnapshotFailedDetail`. */
  failed: 'Cluster Snapshot Failed',
  /** Put by the target side on the source account's default bus once its copy is available; detail: `SnapshotCopiedDetail`. */
  copied: 'Cluster Snapshot Copied',
  /** Put by the target side on its own account's default bus once its copy is available; detail: `SnapshotReceivedDetail`. */
  received: 'Cluster Snapshot Received',
  /**
   * Put by the target side on its own default bus once a replica of its copy is available in a
   * replica Region (`replicaRegions`); detail: `SnapshotReplicatedDetail`.
   */
  replicated: 'Cluster Snapshot Replicated',
  /** Put by `RefreshedDatabase` on its own account's default bus after a swap; detail: `DatabaseRefreshedDetail`. */
  databaseRefreshed: 'Database Refreshed',
  /** Put by `RefreshedDatabase` when a refresh fails; detail: `DatabaseRefreshFailedDetail`. */
  databaseRefreshFailed: 'Database Refresh Failed',
  /** Put by `RefreshedDatabase` in restore-test mode after each test; detail: `DatabaseRestoreTestedDetail`. */
  databaseRestoreTested: 'Database Restore Tested',
} as const;
