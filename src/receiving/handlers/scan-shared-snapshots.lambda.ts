import { listOwnCopies, OwnCopy } from './copies.lambda-shared';
import { ClusterFreshness, computeFreshness, publishFreshness, SelectedDatabase, SourceCluster } from './freshness.lambda-shared';
import { assertNoOwnAccountSource } from './own-account.lambda-shared';
import { ReplicaScan, scanReplicas } from './replica-scan.lambda-shared';
import { ReceiverSettings, receiverSettings } from './settings.lambda-shared';
import {
  copyExecutionName, copyIdentifier, isSelected, parseSourceSnapshotArn, selectedIdentifiers, selectedKinds, SourceSnapshotRef, takenAt,
} from './sources.lambda-shared';
import { startCopy } from './start-copy.lambda-shared';
import { DatabaseKind, SnapshotView } from '../../shared/database-kind.lambda-shared';
import { isAwsError, StartExecutionsFailed } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';
import { scheduledRunId } from '../../shared/validate.lambda-shared';

/** What EventBridge Scheduler sends: the scheduled time of this firing. Empty for a manual run. */
export interface ScanEvent {
  readonly scheduledTime?: string;
}

export interface ScanResult {
  readonly runId: string;
  /** Source snapshot ARNs whose copy execution this scan started, or found started. */
  readonly started: string[];
  readonly alreadyStarted: string[];
  readonly failed: string[];
  readonly freshness: ClusterFreshness[];
  /** Per replica Region (`replicaRegions`): its freshness and the replicas started. */
  readonly replicas: ReplicaScan[];
}

interface SharedCandidate extends SourceCluster {
  readonly ref: SourceSnapshotRef;
  readonly created: number;
}

/** Copies in these states hold the source's place: a scan does not start another copy of it (`pending`: a queued DB snapshot copy). */
const LIVE_COPY_STATUSES = ['available', 'copying', 'creating', 'pending'];

/**
 * The catch-up scan: lists the snapshots the source accounts share with this account (cluster
 * snapshots and DB snapshots, of the kinds selected), starts a copy of the newest one of each
 * source database that has no copy yet (a lost event, or a receiver deployed after the source,
 * still converges), and publishes every database's freshness. A DB snapshot that needs an option
 * group is told by RDS's refusal of its copy (no event here to say so).
 */
export async function handler(event: ScanEvent = {}): Promise<ScanResult> {
  const runId = scheduledRunId(event, 'The scan event');
  const settings = receiverSettings();
  assertNoOwnAccountSource(settings);
  const now = Date.now();
  const kinds = selectedKinds(settings);
  const shared: SharedCandidate[] = [];
  for (const kind of kinds) shared.push(...await newestSharedPerDatabase(settings, kind));
  const copies = await listOwnCopies(settings.ownerId, settings.copyPrefix, kinds);

  const configured: SelectedDatabase[] = kinds.flatMap((kind) => selectedIdentifiers(settings, kind).map((identifier) => ({ kind, identifier })));
  const freshness = computeFreshness(copies, shared, configured, now);
  const result: ScanResult = { runId, started: [], alreadyStarted: [], failed: [], freshness, replicas: [] };
  publishFreshness(settings.ownerId, result.freshness, now);
  for (const candidate of shared) {
    if (hasCopy(copies, candidate)) continue;
    const name = copyExecutionName(copyIdentifier(settings.copyPrefix, candidate.ref), runId);
    try {
      const outcome = await startCopy({ sourceAccount: candidate.sourceAccount, snapshotArn: candidate.ref.arn }, name);
      result[outcome].push(candidate.ref.arn);
    } catch (error) {
      log('error', 'Could not start a copy', { snapshotArn: candidate.ref.arn, name, error: String(error) });
      result.failed.push(candidate.ref.arn);
    }
  }
  result.replicas.push(...await scanReplicas(settings, { kinds, copies, shared, configured, runId, now }));
  log('info', 'Scanned shared snapshots', { runId, shared: shared.length, copies: copies.length, started: result.started, alreadyStarted: result.alreadyStarted, failed: result.failed });
  const failedReplicas = result.replicas.flatMap((r) => r.failed.map((id) => `${id} (${r.region})`));
  if (result.failed.length > 0 || failedReplicas.length > 0) {
    throw new StartExecutionsFailed(`Could not start copies of ${result.failed.length} shared snapshots and ${failedReplicas.length} replicas: ${[...result.failed, ...failedReplicas].join(', ')}`);
  }
  return result;
}

/** A live copy of this snapshot exists, or an available copy (of the same kind and database) of one at least as new. */
function hasCopy(copies: OwnCopy[], candidate: SharedCandidate): boolean {
  const sameDatabase = (copy: OwnCopy) =>
    copy.kind === candidate.kind && copy.sourceAccount === candidate.sourceAccount && copy.clusterIdentifier === candidate.clusterIdentifier;
  return copies.some((copy) => sameDatabase(copy) && (
    (copy.sourceSnapshotArn === candidate.ref.arn && LIVE_COPY_STATUSES.includes(copy.status))
    || (copy.status === 'available' && Date.parse(copy.sourceSnapshotTime) >= candidate.created)));
}

/** The newest available shared snapshot of `kind` of each source account and database; others' shares are skipped. */
async function newestSharedPerDatabase(settings: ReceiverSettings, kind: DatabaseKind): Promise<SharedCandidate[]> {
  const newest = new Map<string, SharedCandidate>();
  for await (const snapshot of snapshotApi(kind).listShared()) {
    const candidate = asCandidate(snapshot, kind, settings);
    const key = candidate && `${candidate.sourceAccount}/${candidate.clusterIdentifier}`;
    if (candidate && key && (newest.get(key)?.created ?? -Infinity) < candidate.created) newest.set(key, candidate);
  }
  return [...newest.values()].sort((a, b) => a.ref.arn.localeCompare(b.ref.arn));
}

function asCandidate(snapshot: SnapshotView, kind: DatabaseKind, settings: ReceiverSettings): SharedCandidate | undefined {
  const created = takenAt(snapshot);
  if (snapshot.Status !== 'available' || !created) return undefined;
  let ref: SourceSnapshotRef;
  try {
    ref = parseSourceSnapshotArn(snapshot.DBClusterSnapshotArn, settings);
  } catch (error) {
    if (isAwsError(error, 'SnapshotNotFromSource')) return undefined;
    throw error;
  }
  const clusterIdentifier = (snapshot.DBClusterIdentifier ?? '').toLowerCase();
  if (ref.kind !== kind || !clusterIdentifier || !isSelected(settings, kind, clusterIdentifier)) return undefined;
  return { kind, sourceAccount: ref.account, clusterIdentifier, ref, created: created.getTime() };
}
