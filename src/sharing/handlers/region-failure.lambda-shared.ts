import { sharingKeyIn } from './regions.lambda-shared';
import { DeleteOutcome, deleteOwnedSnapshot, isShared } from './snapshots.lambda-shared';
import type { CaughtError, RunResult } from './workflow-state.lambda-shared';
import { inRegion } from '../../shared/clients.lambda-shared';
import { requireEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { isDatabaseKind } from '../../shared/database-kind.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import type { SnapshotFailedDetail } from '../../shared/events';
import { log } from '../../shared/log.lambda-shared';
import { isValidIdentifier, isValidRunId, snapshotIdentifier } from '../../shared/naming.lambda-shared';
import { preview } from '../../shared/validate.lambda-shared';

/** A Region's failed part of a run (`CleanUpRegionFailedRun-<region>`): the Region, the home run result, the error. */
export interface RegionFailureEvent {
  readonly region: string;
  readonly run: RunResult;
  readonly error: CaughtError;
}

export interface RegionFailureResult {
  readonly error: CaughtError;
  readonly cleanedUp: Record<string, DeleteOutcome>;
  readonly failedEvent: SnapshotFailedDetail;
}

/**
 * Deletes what a Region's failed part of a run created there, and nothing else: this run's copy in
 * that Region, unless it is shared there (a failure after the share, e.g. of its event). Never a
 * snapshot of the home Region, whose run succeeded, nor an older copy. The `Cluster Snapshot Failed`
 * detail names the Region.
 */
export async function cleanUpRegionFailure(event: RegionFailureEvent, error: CaughtError): Promise<RegionFailureResult> {
  const region = event.region;
  sharingKeyIn(region);
  const { clusterIdentifier, runId, databaseKind } = event.run ?? {};
  if (typeof clusterIdentifier !== 'string' || !isValidIdentifier(clusterIdentifier) || typeof runId !== 'string' || !isValidRunId(runId)) {
    throw new InvalidInput(`A Region's failure names no valid run: ${preview(event.run)}`);
  }
  const kind = isDatabaseKind(databaseKind) ? databaseKind : 'cluster';
  const copy = snapshotIdentifier(snapshotNaming(), clusterIdentifier, runId, 'shared');
  const ownerId = requireEnv(ENV.OWNER_ID);
  const cleanedUp: Record<string, DeleteOutcome> = await inRegion(region, async () => (await isShared(copy, kind)
    ? {}
    : { [copy]: await deleteOwnedSnapshot(copy, { ownerId, clusterIdentifier, role: 'shared', runId }, kind) }));
  log('warn', 'A Region\'s part of the run failed; cleaned up its copy there', { clusterIdentifier, runId, region, error: error.Error, cleanedUp });
  const failedEvent: SnapshotFailedDetail = {
    clusterIdentifier,
    databaseKind: kind,
    databaseIdentifier: clusterIdentifier,
    runId,
    region,
    error: error.Error,
    ...(error.Cause !== undefined ? { cause: error.Cause } : {}),
  };
  return { error, cleanedUp, failedEvent };
}
