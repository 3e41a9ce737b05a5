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
 * The snapshot identifier for a cluster, run and role. Deterministic, valid by RDS rules and at most
 * 63 characters. Names are `<prefix>-<cluster>-<run>` (shared) and `<prefix>-<cluster>-<run>-tmp`
 * (temporary): the fixed-length tails keep the mapping one-to-one, and a long cluster id is cut and
 * suffixed with a hash of the whole id, so two clusters never share a name.
 */
export function snapshotIdentifier(prefix: string, clusterIdentifier: string, runId: string, role: SnapshotRole): string {
  if (!isValidPrefix(prefix)) throw new Error(`Invalid snapshot prefix '${prefix}'`);
  if (!isValidIdentifier(clusterIdentifier)) throw new Error(`Invalid cluster identifier '${clusterIdentifier}'`);
  if (!isValidRunId(runId)) throw new Error(`Invalid run id '${runId}'`);
  const room = MAX_IDENTIFIER_LENGTH - prefix.length - runId.length - TEMPORARY_SUFFIX.length - 2;
  const cluster = shorten(clusterIdentifier.toLowerCase(), room);
  const base = `${prefix}-${cluster}-${runId}`;
  return role === 'temporary' ? `${base}${TEMPORARY_SUFFIX}` : base;
}

/** The deterministic execution name for a cluster and run: a repeated start is recognised, not doubled. */
export function executionName(clusterIdentifier: string, runId: string): string {
  const room = MAX_EXECUTION_NAME_LENGTH - runId.length - 1;
  return `${shorten(clusterIdentifier.toLowerCase(), room)}-${runId}`;
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
