import { createHash } from 'crypto';
import { MAX_EXECUTION_NAME_LENGTH, MAX_IDENTIFIER_LENGTH, MAX_PREFIX_LENGTH } from './constants';


const IDENTIFIER = /^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-))*$/;
const RUN_ID = /^\d{12}$/;
const TEMPORARY_SUFFIX = '-tmp';
const HASH_LENGTH = 10;

export type SnapshotRole = 'shared' | 'temporary';

/**
 * The RDS identifier rule in words, for every error message that states it (the construct's prop
 * validation and the handlers' input checks), so the text and `isValidIdentifier` cannot drift.
 */
export function identifierRule(maxLength: number = MAX_IDENTIFIER_LENGTH, lowercaseOnly = false): string {
  return `1-${maxLength} ${lowercaseOnly ? 'lowercase ' : ''}letters, digits or hyphens, starting with a letter, with no '--' and no trailing hyphen`;
}

/** The rule `isValidIdentifier` checks. */
export const IDENTIFIER_RULE = identifierRule();
/** The rule `isValidPrefix` checks. */
export const PREFIX_RULE = identifierRule(MAX_PREFIX_LENGTH, true);

/** True when `id` is a valid RDS identifier (case-insensitive, as RDS stores it lowercase). */
export function isValidIdentifier(id: string): boolean {
  // Tested before lowercasing: some non-ASCII letters (the Kelvin sign) lowercase to ASCII ones.
  return id.length >= 1 && id.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER.test(id) && !id.endsWith('-');
}

/** True when `prefix` can start every identifier this construct derives. */
export function isValidPrefix(prefix: string): boolean {
  return prefix.length <= MAX_PREFIX_LENGTH && isValidIdentifier(prefix) && prefix === prefix.toLowerCase();
}

/** A run id is the run's UTC minute, `yyyymmddhhmm`: the scheduled time, or the execution start. */
export function isValidRunId(runId: string): boolean {
  return RUN_ID.test(runId);
}

export function runIdFromTime(time: Date): string {
  if (Number.isNaN(time.getTime())) {
    throw new Error('Cannot derive a run id from an invalid time');
  }
  return time.toISOString().replace(/[-:T]/g, '').slice(0, 12);
}

/**
 * Whose snapshots a handler names: the construct's `snapshotPrefix` and its owner id (the value of
 * the owner tag, see `ownerIdFor`).
 */
export interface SnapshotNaming {
  readonly prefix: string;
  readonly ownerId: string;
}

/** Characters of the owner discriminator in every snapshot name. */
export const OWNER_DISCRIMINATOR_LENGTH = 6;
const BASE36_WORD = 36n ** BigInt(OWNER_DISCRIMINATOR_LENGTH);

/**
 * A short, readable mark of the owner in every snapshot name, so that two instances on the same
 * cluster and schedule never derive the same name: 6 base-36 characters of a hash of the owner id.
 * Two owner ids share one with a chance of 1 in 36^6 (about 2 × 10^9) per pair; should it happen,
 * the second instance's create fails with SnapshotIdentifierConflict and touches nothing.
 */
export function ownerDiscriminator(ownerId: string): string {
  if (ownerId.length === 0) throw new Error('The owner id must not be empty');
  const word = createHash('sha256').update(ownerId).digest().readBigUInt64BE(0) % BASE36_WORD;
  return word.toString(36).padStart(OWNER_DISCRIMINATOR_LENGTH, '0');
}

/** The fixed-length tail after the cluster: '-', run id, '-', owner discriminator. */
const TAIL_LENGTH = 1 + 12 + 1 + OWNER_DISCRIMINATOR_LENGTH;

/**
 * The snapshot identifier for a cluster, run and role. Deterministic, valid by RDS rules and at most
 * 63 characters. Names are `<prefix>-<cluster>-<run>-<owner>` (shared) and
 * `<prefix>-<cluster>-<run>-<owner>-tmp` (temporary), e.g. `shared-orders-db-202611270300-k3f9x2`.
 * The fixed-length tails keep the mapping one-to-one (a shared name ends in 6 letters or digits, a
 * temporary one in '-tmp'), and a long cluster id is cut and suffixed with a hash of the whole id,
 * so two clusters never share a name.
 */
export function snapshotIdentifier(naming: SnapshotNaming, clusterIdentifier: string, runId: string, role: SnapshotRole): string {
  const { prefix } = naming;
  if (!isValidPrefix(prefix)) throw new Error(`Invalid snapshot prefix '${prefix}'`);
  if (!isValidIdentifier(clusterIdentifier)) throw new Error(`Invalid cluster identifier '${clusterIdentifier}'`);
  if (!isValidRunId(runId)) throw new Error(`Invalid run id '${runId}'`);
  const room = MAX_IDENTIFIER_LENGTH - prefix.length - 1 - TAIL_LENGTH - TEMPORARY_SUFFIX.length;
  const cluster = shorten(clusterIdentifier.toLowerCase(), room);
  const base = `${prefix}-${cluster}-${runId}-${ownerDiscriminator(naming.ownerId)}`;
  return role === 'temporary' ? `${base}${TEMPORARY_SUFFIX}` : base;
}

/** The suffix of a DB instance's execution names: a cluster's end in the run id, so the two never meet. */
const INSTANCE_EXECUTION_SUFFIX = '-db';

/**
 * The deterministic execution name for a database and run: a repeated start is recognised, not
 * doubled. A DB instance's name ends in '-db', so a cluster and an instance of the same identifier
 * (separate namespaces in RDS) never share a name.
 */
export function executionName(clusterIdentifier: string, runId: string, kind: 'cluster' | 'instance' = 'cluster'): string {
  const suffix = kind === 'instance' ? INSTANCE_EXECUTION_SUFFIX : '';
  const room = MAX_EXECUTION_NAME_LENGTH - runId.length - 1 - suffix.length;
  return `${shorten(clusterIdentifier.toLowerCase(), room)}-${runId}${suffix}`;
}

/**
 * Keeps `value` when it is shorter than `room`; otherwise cuts it to exactly `room` characters,
 * ending in a hash of the whole value. Kept values are shorter than `room` and shortened ones are
 * exactly `room` long, so a kept value can never equal a shortened one.
 */
export function shorten(value: string, room: number): string {
  if (value.length < room) return value;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, HASH_LENGTH);
  // A head ending in '-' would put '--' before the hash; end it with a digit instead.
  const head = value.slice(0, room - HASH_LENGTH - 1).replace(/-$/, '0');
  return `${head}-${hash}`;
}

/** RDS tag values are at most 256 characters; CloudFormation stack names at most 128. */
const MAX_OWNER_ID_LENGTH = 256;
const MAX_STACK_NAME_LENGTH = 128;
/** Characters an RDS tag value may hold (ASCII subset of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`). */
const TAG_VALUE_UNSAFE = /[^A-Za-z0-9 _.:/=+@-]/g;

/**
 * The owner id of one deployed instance: `<stack name>/<construct path below the stack>`, e.g.
 * `data-platform/Snapshots`. A stack name is unique per account and Region and a path is unique in
 * its stack, so two instances deployed to one account and Region never share an owner id, whether
 * they come from one app or from two. (The construct's `node.addr` hashes the path only: the same
 * path in two apps gave the same id.)
 *
 * With a literal stack name the id is a literal. A stack name that is a token (a nested stack's)
 * is passed through as it is: the id is then a token that CloudFormation resolves at deploy time,
 * and the handlers derive the name discriminator from the resolved value; only the synthesized
 * template no longer shows the id.
 *
 * The path is kept readable when it fits a tag value (at most 127 characters after the stack name,
 * tag-safe characters); otherwise it is cut and unsafe characters replaced, ending in a hash of the
 * whole path so that distinct paths stay distinct.
 */
export function ownerIdFor(stackName: string, idsBelowStack: readonly string[]): string {
  const path = idsBelowStack.join('/');
  const room = MAX_OWNER_ID_LENGTH - MAX_STACK_NAME_LENGTH - 1;
  const safe = path.replace(TAG_VALUE_UNSAFE, '_');
  if (path.length === 0) throw new Error('An owner id needs the construct\'s path below its stack');
  if (safe === path && path.length <= room) return `${stackName}/${path}`;
  const hash = createHash('sha256').update(path).digest('hex').slice(0, HASH_LENGTH);
  return `${stackName}/${safe.slice(0, room - HASH_LENGTH - 1)}-${hash}`;
}
