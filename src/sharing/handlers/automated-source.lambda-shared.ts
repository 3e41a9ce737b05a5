import { DBSnapshot, DescribeDBSnapshotsCommand } from '@aws-sdk/client-rds';
import { rds } from '../../shared/clients.lambda-shared';
import { ENV } from '../../shared/constants';
import { log } from '../../shared/log.lambda-shared';

/** The automated snapshot a run copies instead of taking a new snapshot (`snapshotSource`). */
export interface AutomatedSource {
  /** `rds:<instance>-<yyyy-mm-dd-hh-mm>`. */
  readonly sourceSnapshotIdentifier: string;
  /** When it was taken (ISO-8601): the shared copy's data is this old. */
  readonly sourceSnapshotTime: string;
}

/** The prefix of every automated DB snapshot of an instance (RDS names them `rds:<instance>-<time>`). */
export function automatedPrefix(instanceIdentifier: string): string {
  return `rds:${instanceIdentifier}-`;
}

/**
 * With `snapshotSource` `newestAutomatedSnapshot(maxAge)` (AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS set):
 * the instance's newest `available` automated snapshot taken within `maxAge`, or undefined (then a
 * new snapshot is taken). Automated snapshots "cannot be shared or modified": they are copied to a
 * manual one first, and a copy may re-encrypt in the same call (RDS User Guide, "Sharing a DB
 * snapshot", "Copying a DB snapshot"). Listed by DescribeDBSnapshots with `SnapshotType: 'automated'`.
 */
export async function newestAutomatedSource(instanceIdentifier: string, now: number = Date.now()): Promise<AutomatedSource | undefined> {
  const raw = process.env[ENV.AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS];
  if (!raw) return undefined;
  const maxAgeMs = Number(raw) * 1000;
  let newest: DBSnapshot | undefined;
  let marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: instanceIdentifier, SnapshotType: 'automated', MaxRecords: 100, Marker: marker }));
    for (const snapshot of page?.DBSnapshots ?? []) {
      const taken = snapshot.SnapshotCreateTime?.getTime();
      const usable = snapshot.Status === 'available' && taken !== undefined && now - taken <= maxAgeMs
        && snapshot.DBSnapshotIdentifier?.startsWith(automatedPrefix(instanceIdentifier));
      if (usable && (!newest || taken > newest.SnapshotCreateTime!.getTime())) newest = snapshot;
    }
    marker = page?.Marker;
  } while (marker);
  if (!newest) {
    log('info', 'No automated snapshot young enough; taking a new snapshot', { instanceIdentifier, maxAgeSeconds: Number(raw) });
    return undefined;
  }
  return { sourceSnapshotIdentifier: newest.DBSnapshotIdentifier!, sourceSnapshotTime: newest.SnapshotCreateTime!.toISOString() };
}
