import { createHash } from 'crypto';
import { DBClusterSnapshot, DescribeDBClusterSnapshotsCommand } from '@aws-sdk/client-rds';
import { SharedSnapshotNotFound, SnapshotNotFromSource, SnapshotNotSelected } from './errors.lambda-shared';
import type { ReceiverSettings } from './settings.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import { MAX_EXECUTION_NAME_LENGTH, MAX_IDENTIFIER_LENGTH } from '../../shared/constants';
import { isAwsError } from '../../shared/errors.lambda-shared';
import { isValidIdentifier } from '../../shared/naming.lambda-shared';

/** A shared cluster snapshot ARN, split: `arn:<partition>:rds:<region>:<account>:cluster-snapshot:<id>`. */
export interface SourceSnapshotRef {
  readonly arn: string;
  readonly account: string;
  readonly region: string;
  readonly snapshotIdentifier: string;
}

const SNAPSHOT_ARN = /^arn:(aws[a-z-]*):rds:([a-z0-9-]+):(\d{12}):cluster-snapshot:([A-Za-z0-9-]{1,255})$/;
/** Hex digits of the source ARN's SHA-256 in each copy identifier: 48 bits, so sources never collide in practice. */
const ARN_HASH_LENGTH = 12;

/**
 * Checks that `arn` is a cluster snapshot of one of the source accounts, in this Region, with the
 * configured prefix (and, when `account` is given, of that account). Anything else is refused with
 * `SnapshotNotFromSource`, naming what did not match (`SnapshotNotSelected` for another prefix).
 */
export function parseSourceSnapshotArn(arn: unknown, settings: ReceiverSettings, account?: string): SourceSnapshotRef {
  const match = typeof arn === 'string' ? SNAPSHOT_ARN.exec(arn) : null;
  const shown = JSON.stringify(arn)?.slice(0, 200);
  if (!match) throw new SnapshotNotFromSource(`${shown} is not a DB cluster snapshot ARN`);
  const [, , region, owner, snapshotIdentifier] = match;
  if (!settings.sourceAccountIds.includes(owner)) {
    throw new SnapshotNotFromSource(`Snapshot ${shown} belongs to account ${owner}, which is not one of the source accounts (${settings.sourceAccountIds.join(', ')})`);
  }
  if (account !== undefined && owner !== account) {
    throw new SnapshotNotFromSource(`Snapshot ${shown} belongs to account ${owner}, but the event came from account ${account}`);
  }
  if (region !== settings.region) {
    throw new SnapshotNotFromSource(`Snapshot ${shown} is in Region ${region}; this receiver copies from ${settings.region} only`);
  }
  if (!snapshotIdentifier.toLowerCase().startsWith(settings.sourceSnapshotPrefix)) {
    throw new SnapshotNotSelected(`Snapshot ${shown} does not start with sourceSnapshotPrefix '${settings.sourceSnapshotPrefix}'`);
  }
  return { arn: arn as string, account: owner, region, snapshotIdentifier: snapshotIdentifier.toLowerCase() };
}

/** Refuses a source cluster outside `clusterIdentifiers` (when they are set) with `SnapshotNotSelected`. */
export function assertClusterSelected(clusterIdentifier: string | undefined, settings: ReceiverSettings, arn: string): string {
  const cluster = (clusterIdentifier ?? '').toLowerCase();
  if (!isValidIdentifier(cluster)) throw new SnapshotNotFromSource(`Snapshot '${arn}' names no valid source cluster`);
  if (settings.clusterIdentifiers.length > 0 && !settings.clusterIdentifiers.includes(cluster)) {
    throw new SnapshotNotSelected(`Snapshot '${arn}' is of cluster '${cluster}', which is not one of clusterIdentifiers (${settings.clusterIdentifiers.join(', ')})`);
  }
  return cluster;
}

/**
 * Re-reads a shared snapshot from RDS by its ARN, as this account sees it. The event's own fields
 * are never trusted: the cluster, status, key and time all come from this answer.
 * SDK model (DescribeDBClusterSnapshotsMessage): an identifier may be combined with SnapshotType
 * (only DBClusterIdentifier excludes it), and `shared` returns the manual snapshots shared with this account.
 */
export async function describeSharedSnapshot(ref: SourceSnapshotRef): Promise<DBClusterSnapshot> {
  try {
    const out = await rds.send(new DescribeDBClusterSnapshotsCommand({
      DBClusterSnapshotIdentifier: ref.arn,
      SnapshotType: 'shared',
      IncludeShared: true,
    }));
    const found = out.DBClusterSnapshots?.find((s) => s.DBClusterSnapshotArn === ref.arn);
    if (found) return found;
  } catch (error) {
    if (!isAwsError(error, 'DBClusterSnapshotNotFoundFault')) throw error;
  }
  throw new SharedSnapshotNotFound(`Snapshot '${ref.arn}' is not shared with this account (deleted, or no longer shared)`);
}

/**
 * The copy's identifier: `<copyPrefix>-<source snapshot id, cut>-<12 hex of SHA-256(source ARN)>`.
 * Deterministic per source snapshot; the hash covers the account and Region, so two sources never
 * share a name; at most 63 characters, lowercase, starting with a letter, with no `--`.
 */
export function copyIdentifier(copyPrefix: string, ref: SourceSnapshotRef): string {
  const hash = createHash('sha256').update(ref.arn).digest('hex').slice(0, ARN_HASH_LENGTH);
  const room = MAX_IDENTIFIER_LENGTH - copyPrefix.length - ARN_HASH_LENGTH - 2;
  const readable = ref.snapshotIdentifier.toLowerCase().replace(/-{2,}/g, '-').slice(0, Math.max(room, 0)).replace(/-+$/, '');
  return readable.length > 0 ? `${copyPrefix}-${readable}-${hash}` : `${copyPrefix}-${hash}`;
}

/**
 * The execution name for a source snapshot: the copy identifier (a duplicate event starts nothing),
 * and for the catch-up scan the scan's minute too (`-at<yyyymmddhhmm>`), so a later scan may retry a
 * copy that failed while a repeated firing of the same scan starts nothing twice.
 */
export function copyExecutionName(copyId: string, scanRunId?: string): string {
  const name = scanRunId === undefined ? copyId : `${copyId}-at${scanRunId}`;
  if (name.length > MAX_EXECUTION_NAME_LENGTH) throw new Error(`Execution name '${name}' is longer than ${MAX_EXECUTION_NAME_LENGTH}`);
  return name;
}
