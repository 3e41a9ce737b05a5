import { createHash } from 'crypto';
import { SharedSnapshotNotFound, SnapshotNotFromSource, SnapshotNotSelected } from './errors.lambda-shared';
import type { ReceiverSettings } from './settings.lambda-shared';
import { MAX_EXECUTION_NAME_LENGTH, MAX_IDENTIFIER_LENGTH } from '../../shared/constants';
import type { DatabaseKind, SnapshotView } from '../../shared/database-kind.lambda-shared';
import { isValidIdentifier } from '../../shared/naming.lambda-shared';
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';

/**
 * A shared snapshot ARN, split: `arn:<partition>:rds:<region>:<account>:<type>:<id>`, where the type
 * tells the kind: `cluster-snapshot` a DB cluster's, `snapshot` a DB instance's.
 */
export interface SourceSnapshotRef {
  readonly arn: string;
  readonly kind: DatabaseKind;
  readonly account: string;
  readonly region: string;
  readonly snapshotIdentifier: string;
}

const SNAPSHOT_ARN = /^arn:(aws[a-z-]*):rds:([a-z0-9-]+):(\d{12}):(cluster-snapshot|snapshot):([A-Za-z0-9-]{1,255})$/;
/** The names the props and messages give each kind. */
const KIND_NAMES: Record<DatabaseKind, { readonly prop: 'clusterIdentifiers' | 'instanceIdentifiers'; readonly what: string }> = {
  cluster: { prop: 'clusterIdentifiers', what: 'cluster' },
  instance: { prop: 'instanceIdentifiers', what: 'DB instance' },
};
/** Hex digits of the source ARN's SHA-256 in each copy identifier: 48 bits, so sources never collide in practice. */
const ARN_HASH_LENGTH = 12;

/**
 * Checks that `arn` is a DB cluster snapshot or DB snapshot of one of the source accounts, in this Region, with the
 * configured prefix (and, when `account` is given, of that account). Anything else is refused with
 * `SnapshotNotFromSource`, naming what did not match (`SnapshotNotSelected` for another prefix, or
 * a kind of which nothing is selected).
 */
export function parseSourceSnapshotArn(arn: unknown, settings: ReceiverSettings, account?: string): SourceSnapshotRef {
  const match = typeof arn === 'string' ? SNAPSHOT_ARN.exec(arn) : null;
  const shown = JSON.stringify(arn)?.slice(0, 200);
  if (!match) throw new SnapshotNotFromSource(`${shown} is not a DB cluster snapshot or DB snapshot ARN`);
  const [, , region, owner, type, snapshotIdentifier] = match;
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
  const kind: DatabaseKind = type === 'snapshot' ? 'instance' : 'cluster';
  // A kind nothing is selected of is refused before RDS is asked: the receiver holds no permission for its snapshots.
  if (!selectedKinds(settings).includes(kind)) {
    const { prop, what } = KIND_NAMES[kind];
    throw new SnapshotNotSelected(`Snapshot ${shown} is a ${what}'s, and ${prop} lists none (only the listed databases are copied)`);
  }
  return { arn: arn as string, kind, account: owner, region, snapshotIdentifier: snapshotIdentifier.toLowerCase() };
}

/** True when the database is selected: no `clusterIdentifiers` nor `instanceIdentifiers` selects every one, either lists only its own. */
export function isSelected(settings: ReceiverSettings, kind: DatabaseKind, databaseIdentifier: string): boolean {
  const none = settings.clusterIdentifiers.length === 0 && settings.instanceIdentifiers.length === 0;
  return none || selectedIdentifiers(settings, kind).includes(databaseIdentifier);
}

/** The kinds with anything selected: both without a selection, else those listed. */
export function selectedKinds(settings: ReceiverSettings): DatabaseKind[] {
  const kinds = (['cluster', 'instance'] as const).filter((kind) => selectedIdentifiers(settings, kind).length > 0);
  return kinds.length > 0 ? kinds : ['cluster', 'instance'];
}

export function selectedIdentifiers(settings: ReceiverSettings, kind: DatabaseKind): string[] {
  return kind === 'instance' ? settings.instanceIdentifiers : settings.clusterIdentifiers;
}

/** Refuses a source database outside the selection (`isSelected`) with `SnapshotNotSelected`; returns its identifier, lowercase. */
export function assertDatabaseSelected(ref: SourceSnapshotRef, databaseIdentifier: string | undefined, settings: ReceiverSettings): string {
  const { prop, what } = KIND_NAMES[ref.kind];
  const id = (databaseIdentifier ?? '').toLowerCase();
  if (!isValidIdentifier(id)) throw new SnapshotNotFromSource(`Snapshot '${ref.arn}' names no valid source ${what}`);
  if (!isSelected(settings, ref.kind, id)) {
    const listed = selectedIdentifiers(settings, ref.kind);
    throw new SnapshotNotSelected(`Snapshot '${ref.arn}' is of ${what} '${id}', which is not one of ${prop} (${listed.length > 0 ? listed.join(', ') : 'none listed'})`);
  }
  return id;
}

/**
 * When the snapshot's data was taken: a DB snapshot that is a copy (of an automated snapshot, say)
 * keeps it in `OriginalSnapshotCreateTime` ("doesn't change when the snapshot is copied", DBSnapshot
 * in the RDS API Reference), while its `SnapshotCreateTime` is the copy's.
 */
export function takenAt(snapshot: SnapshotView): Date | undefined {
  return snapshot.OriginalSnapshotCreateTime ?? snapshot.SnapshotCreateTime;
}

/**
 * Re-reads a shared snapshot from RDS by its ARN, as this account sees it, with the calls of its
 * kind. The event's own fields are never trusted: the database, status, key and time all come from
 * this answer.
 */
export async function describeSharedSnapshot(ref: SourceSnapshotRef): Promise<SnapshotView> {
  const found = await snapshotApi(ref.kind).describeShared(ref.arn);
  if (found) return found;
  throw new SharedSnapshotNotFound(`Snapshot '${ref.arn}' is not shared with this account (deleted, or no longer shared)`);
}

/**
 * The copy's identifier: `<copyPrefix>-<source snapshot id, cut>-<12 hex of SHA-256(source ARN)>`.
 * Deterministic per source snapshot; the hash covers the account, Region and kind (the ARN's type),
 * so two sources, or a cluster's and an instance's snapshot of one name, never share a name; at most 63 characters, lowercase, starting with a letter, with no `--`.
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
