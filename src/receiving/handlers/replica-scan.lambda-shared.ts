import { listOwnCopies, newestFirst, OwnCopy } from './copies.lambda-shared';
import { ClusterFreshness, computeFreshness, publishFreshness, SelectedDatabase, SourceCluster } from './freshness.lambda-shared';
import { replicaExecutionName, replicaRegions } from './replicas.lambda-shared';
import type { ReceiverSettings } from './settings.lambda-shared';
import { startReplica } from './start-copy.lambda-shared';
import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/** What the scan found and did in one replica Region. */
export interface ReplicaScan {
  readonly region: string;
  readonly freshness: ClusterFreshness[];
  /** Copy identifiers whose replica execution the scan started, found started, or could not start. */
  readonly started: string[];
  readonly alreadyStarted: string[];
  readonly failed: string[];
}

const LIVE_STATUSES = ['available', 'copying', 'creating', 'pending'];

/** What the scan found in the receiver's own Region. */
export interface HomeScan {
  readonly kinds: readonly DatabaseKind[];
  readonly copies: OwnCopy[];
  readonly shared: SourceCluster[];
  readonly configured: SelectedDatabase[];
  readonly runId: string;
  readonly now: number;
}

/**
 * Per replica Region: publishes the freshness of its replicas (with the Region dimension: one
 * alarm per Region), and starts a replica of the newest available copy of each source cluster that
 * the Region lacks (a failed or lost replica converges at the next scan).
 */
export async function scanReplicas(settings: ReceiverSettings, home: HomeScan): Promise<ReplicaScan[]> {
  const { copies, now } = home;
  const newest = newestAvailablePerDatabase(copies);
  const scans: ReplicaScan[] = [];
  for (const { region } of replicaRegions()) {
    const replicas = await listOwnCopies(settings.ownerId, settings.copyPrefix, home.kinds, region);
    const freshness = computeFreshness(replicas, [...home.shared, ...copies], home.configured, now);
    const scan: ReplicaScan = { region, freshness, started: [], alreadyStarted: [], failed: [] };
    publishFreshness(settings.ownerId, scan.freshness, now, region);
    for (const copy of newest.filter((c) => !hasReplica(replicas, c))) {
      const input = { copyIdentifier: copy.identifier, region, ...(copy.kind === 'instance' ? { kind: copy.kind } : {}) };
      try {
        scan[await startReplica(input, replicaExecutionName(copy.identifier, region, copy.kind, home.runId))].push(copy.identifier);
      } catch (error) {
        log('error', 'Could not start a replica', { copyIdentifier: copy.identifier, region, error: String(error) });
        scan.failed.push(copy.identifier);
      }
    }
    scans.push(scan);
  }
  return scans;
}

function newestAvailablePerDatabase(copies: OwnCopy[]): OwnCopy[] {
  const newest = new Map<string, OwnCopy>();
  for (const copy of copies.filter((c) => c.status === 'available').sort(newestFirst)) {
    const key = `${copy.kind}/${copy.sourceAccount}/${copy.clusterIdentifier}`;
    if (!newest.has(key)) newest.set(key, copy);
  }
  return [...newest.values()];
}

/** A live replica of this copy, or an available replica of a source snapshot at least as new. */
function hasReplica(replicas: OwnCopy[], copy: OwnCopy): boolean {
  return replicas.some((r) => r.kind === copy.kind && r.sourceAccount === copy.sourceAccount && r.clusterIdentifier === copy.clusterIdentifier && (
    (r.identifier === copy.identifier && LIVE_STATUSES.includes(r.status))
    || (r.status === 'available' && Date.parse(r.sourceSnapshotTime) >= Date.parse(copy.sourceSnapshotTime))));
}
