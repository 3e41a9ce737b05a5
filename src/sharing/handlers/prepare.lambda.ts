import { DBCluster, DescribeDBClustersCommand, StorageEncryptionType } from '@aws-sdk/client-rds';
import { encryptionOf, isShareableKey } from './encryption.lambda-shared';
import { isMultiAzCluster, multiAzNotShareable } from './multi-az.lambda-shared';
import { prepareInstance } from './prepare-instance.lambda-shared';
import { deadlineFromNow, isPollStride } from './run-plan.lambda-shared';
import { reportRunSkipped } from './run-skipped.lambda-shared';
import { clusterSelection } from './selection.lambda-shared';
import { deleteOwnedSnapshot, IN_PROGRESS_STATUSES, isOlderThanAnyLiveRun, listOwnedSnapshots, READS_ITS_SOURCE_STATUSES } from './snapshots.lambda-shared';
import { ownershipOf, tagValue } from './tags.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import { requireEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { ENV, MAX_POLL_STRIDE, MAX_START_DELAY_SECONDS } from '../../shared/constants';
import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';
import {
  ClusterNotAvailable,
  ClusterNotConfigured,
  ClusterNotFound,
  InvalidInput,
  isAwsError,
  RunInProgress,
  UnencryptedCluster,
} from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';
import { runIdFromTime, snapshotIdentifier } from '../../shared/naming.lambda-shared';
import {
  optionalRunId, preview, rejectUnknownKeys, requireClusterIdentifier, requireInstanceIdentifier, requireObject,
} from '../../shared/validate.lambda-shared';

/**
 * The execution input, as a user or the starter gives it (`clusterIdentifier` for a DB cluster,
 * `instanceIdentifier` for a DB instance), and the execution's start time.
 */
export interface PrepareEvent {
  readonly input: { clusterIdentifier?: string; instanceIdentifier?: string; runId?: string; startDelaySeconds?: number; pollStride?: number };
  readonly executionStartTime: string;
}

/**
 * Checks the database (exists, configured, `available`, encryption; for a DB instance also that it
 * is no cluster member or read replica), decides whether a re-encrypting copy is needed, removes
 * stale temporary snapshots of earlier runs, and derives this run's names.
 */
async function run(event: PrepareEvent): Promise<RunPlan> {
  const { databaseKind, clusterIdentifier, runId, pollStride } = parseEvent(event);
  const ownerId = requireEnv(ENV.OWNER_ID);
  const naming = snapshotNaming();

  const instance = databaseKind === 'instance' ? await prepareInstance(clusterIdentifier) : undefined;
  // An automated snapshot is never shared as it is: it is always copied, straight to the shared snapshot.
  const automated = instance?.automated;
  const copyRequired = automated !== undefined || (instance ? instance.copyRequired : await prepareCluster(clusterIdentifier));

  await clearEarlierRuns(ownerId, clusterIdentifier, runId, databaseKind);

  const plan: RunPlan = {
    ...(databaseKind === 'instance' ? { databaseKind } : {}),
    clusterIdentifier,
    runId,
    sharedSnapshotIdentifier: snapshotIdentifier(naming, clusterIdentifier, runId, 'shared'),
    temporarySnapshotIdentifier: copyRequired && !automated ? snapshotIdentifier(naming, clusterIdentifier, runId, 'temporary') : undefined,
    copyRequired,
    // The copy phase, waiting for a copy slot included, starts now.
    ...(automated ? { ...automated, copyDeadline: deadlineFromNow() } : {}),
    ...instance?.options,
    ...(pollStride > 1 ? { pollStride } : {}),
  };
  log('info', 'Prepared run', { ...plan });
  return plan;
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('prepare', run);

/** A DB cluster: checks it, and decides whether its snapshot needs the re-encrypting copy. */
async function prepareCluster(clusterIdentifier: string): Promise<boolean> {
  const cluster = await describeCluster(clusterIdentifier);
  assertConfigured(cluster, clusterIdentifier);
  if (cluster.Status !== 'available') {
    throw new ClusterNotAvailable(`Cluster '${clusterIdentifier}' is '${cluster.Status}', not 'available'`);
  }
  return decideCopy(cluster, clusterIdentifier);
}

interface ParsedInput {
  readonly databaseKind: DatabaseKind;
  readonly clusterIdentifier: string;
  readonly runId: string;
  readonly pollStride: number;
}

function parseEvent(event: PrepareEvent): ParsedInput {
  const outer = requireObject(event, 'The task payload');
  const input = requireObject(outer.input, 'The execution input');
  rejectUnknownKeys(input, ['clusterIdentifier', 'instanceIdentifier', 'runId', 'startDelaySeconds', 'pollStride'], 'The execution input');
  if ((input.clusterIdentifier === undefined) === (input.instanceIdentifier === undefined)) {
    throw new InvalidInput('The execution input must name either a clusterIdentifier or an instanceIdentifier');
  }
  const databaseKind: DatabaseKind = input.instanceIdentifier === undefined ? 'cluster' : 'instance';
  const clusterIdentifier = databaseKind === 'instance'
    ? requireInstanceIdentifier(input.instanceIdentifier, 'instanceIdentifier')
    : requireClusterIdentifier(input.clusterIdentifier, 'clusterIdentifier');
  if (input.startDelaySeconds !== undefined && !isStartDelay(input.startDelaySeconds)) {
    throw new InvalidInput(`startDelaySeconds must be a whole number from 0 to ${MAX_START_DELAY_SECONDS}, got ${preview(input.startDelaySeconds)}`);
  }
  if (input.pollStride !== undefined && !isPollStride(input.pollStride)) {
    throw new InvalidInput(`pollStride must be a whole number from 1 to ${MAX_POLL_STRIDE}, got ${preview(input.pollStride)}`);
  }
  const pollStride = (input.pollStride as number | undefined) ?? 1;
  const explicitRunId = optionalRunId(input.runId, 'runId');
  if (explicitRunId) return { databaseKind, clusterIdentifier, runId: explicitRunId, pollStride };
  const start = new Date(String(outer.executionStartTime));
  if (Number.isNaN(start.getTime())) {
    throw new InvalidInput(`executionStartTime must be an ISO-8601 time, got ${preview(outer.executionStartTime)}`);
  }
  return { databaseKind, clusterIdentifier, runId: runIdFromTime(start), pollStride };
}

function isStartDelay(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_START_DELAY_SECONDS;
}

async function describeCluster(clusterIdentifier: string): Promise<DBCluster> {
  try {
    const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterIdentifier }));
    const cluster = out.DBClusters?.[0];
    if (!cluster) throw new ClusterNotFound(`Cluster '${clusterIdentifier}' does not exist`);
    return cluster;
  } catch (error) {
    if (isAwsError(error, 'DBClusterNotFoundFault')) {
      throw new ClusterNotFound(`Cluster '${clusterIdentifier}' does not exist in this account and Region`);
    }
    throw error;
  }
}

/** A manual start may name only a configured cluster; IAM enforces the same for mutating calls. */
function assertConfigured(cluster: DBCluster, clusterIdentifier: string): void {
  const selection = clusterSelection();
  if (selection.clusterIdentifiers.includes(clusterIdentifier)) return;
  if (selection.tag && tagValue(cluster.TagList, selection.tag.key) === selection.tag.value) return;
  throw new ClusterNotConfigured(
    `Cluster '${clusterIdentifier}' is not one of the configured clusterIdentifiers` +
      (selection.tag ? ` and does not carry the tag ${selection.tag.key}=${selection.tag.value}` : ''),
  );
}

export { encryptionOf };

/**
 * Share as it is only what is already on the sharing key (or one of `additionalSharingKeys`), or,
 * with `allowUnencrypted`, what is not encrypted at all. Everything else is copied with the sharing
 * key: an AWS-owned key (`sse-rds`), `aws/rds` and other customer keys cannot be shared. A type this
 * code does not know is copied too. A Multi-AZ DB cluster's snapshots cannot be copied: one that
 * would need the copy is refused before anything is created (multi-az.lambda-shared.ts).
 */
function decideCopy(cluster: DBCluster, clusterIdentifier: string): boolean {
  const encryption = encryptionOf(cluster);
  if (encryption === StorageEncryptionType.UNENCRYPTED) {
    if (process.env[ENV.ALLOW_UNENCRYPTED] === 'true') return false;
    throw new UnencryptedCluster(
      `Cluster '${clusterIdentifier}' is not encrypted; set allowUnencrypted to share its snapshots unencrypted (Aurora cannot encrypt on copy)`,
    );
  }
  const copyRequired = encryption !== StorageEncryptionType.CMK || !isShareableKey(cluster.KmsKeyId);
  if (copyRequired && isMultiAzCluster(cluster)) throw multiAzNotShareable(cluster, clusterIdentifier, encryption);
  return copyRequired;
}


/**
 * Another run still creating or copying one of our snapshots of this cluster means a concurrent
 * run: stop rather than double the work, with `RunInProgress`, which the state machine ends as a
 * skipped run (counted as `RunSkipped`, no Failed event). A temporary snapshot left by an earlier run that died is
 * deleted, so it cannot block this one or eat the quota. An in-progress snapshot older than twice
 * the snapshot timeout belongs to a dead run and no longer blocks; one whose creation time RDS does
 * not report yet counts as new. Every snapshot is checked before anything is deleted, so the source
 * of a concurrent run's copy is never removed.
 */
async function clearEarlierRuns(ownerId: string, clusterIdentifier: string, runId: string, kind: DatabaseKind): Promise<void> {
  const earlier = (await listOwnedSnapshots(ownerId, clusterIdentifier, kind))
    .map((snapshot) => ({ snapshot, ownership: ownershipOf(snapshot)!, inProgress: IN_PROGRESS_STATUSES.includes(snapshot.Status ?? '') }))
    .filter(({ ownership }) => ownership.runId !== runId);
  for (const { snapshot, ownership, inProgress } of earlier) {
    if (inProgress && !isOlderThanAnyLiveRun(snapshot)) {
      reportRunSkipped({
        clusterIdentifier,
        runId,
        detectedBy: 'Prepare',
        inProgress: `snapshot ${snapshot.DBClusterSnapshotIdentifier} of run ${ownership.runId} is '${snapshot.Status}'`,
      });
      throw new RunInProgress(
        `Snapshot '${snapshot.DBClusterSnapshotIdentifier}' of run ${ownership.runId} is still '${snapshot.Status}'; not starting run ${runId} beside it`,
      );
    }
  }
  // A temporary snapshot stays while any snapshot of its run may still read it: a copy in progress,
  // or one a failed run's clean-up cancelled that is still `deleting`.
  const busyRuns = new Set(earlier
    .filter(({ snapshot }) => READS_ITS_SOURCE_STATUSES.includes(snapshot.Status ?? ''))
    .map(({ ownership }) => ownership.runId));
  for (const { snapshot, ownership, inProgress } of earlier) {
    if (ownership.role === 'temporary' && !inProgress && !busyRuns.has(ownership.runId)) {
      await deleteOwnedSnapshot(snapshot.DBClusterSnapshotIdentifier!, { ownerId, clusterIdentifier, role: 'temporary', runId: ownership.runId }, kind);
    }
  }
}
