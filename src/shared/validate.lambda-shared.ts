import { InvalidInput } from './errors.lambda-shared';
import { IDENTIFIER_RULE, isValidIdentifier, isValidRunId, runIdFromTime } from './naming.lambda-shared';

/** Events larger than this are refused before any parsing work or AWS call. */
export const MAX_EVENT_BYTES = 16_384;

/** The most characters of a rejected value an error message quotes. */
export const PREVIEW_LENGTH = 100;

/**
 * A rejected value as an error message quotes it: its JSON, cut to `PREVIEW_LENGTH` characters.
 * Never throws (a BigInt or a cycle falls back to `String`), so a bad value cannot hide the error.
 */
export function preview(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return (json ?? String(value)).slice(0, PREVIEW_LENGTH);
}

/** Checks the shape of an event before any AWS call, so hostile input fails with `InvalidInput`. */
export function requireObject(event: unknown, what: string): Record<string, unknown> {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidInput(`${what} must be a JSON object`);
  }
  const size = JSON.stringify(event).length;
  if (size > MAX_EVENT_BYTES) {
    throw new InvalidInput(`${what} is ${size} bytes; at most ${MAX_EVENT_BYTES} are accepted`);
  }
  return event as Record<string, unknown>;
}

export function rejectUnknownKeys(obj: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new InvalidInput(`${what} has unexpected field(s) ${unknown.map((k) => `'${k}'`).join(', ')}; allowed: ${allowed.join(', ')}`);
  }
}

export function requireClusterIdentifier(value: unknown, what: string): string {
  if (typeof value !== 'string' || !isValidIdentifier(value)) {
    throw new InvalidInput(
      `${what} must be a DB cluster identifier (${IDENTIFIER_RULE}), got ${preview(value)}`,
    );
  }
  return value.toLowerCase();
}

export function requireInstanceIdentifier(value: unknown, what: string): string {
  if (typeof value !== 'string' || !isValidIdentifier(value)) {
    throw new InvalidInput(`${what} must be a DB instance identifier (${IDENTIFIER_RULE}), got ${preview(value)}`);
  }
  return value.toLowerCase();
}

export function optionalRunId(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isValidRunId(value)) {
    throw new InvalidInput(`${what} must be a UTC minute as 'yyyymmddhhmm', got ${preview(value)}`);
  }
  return value;
}

/**
 * The run id of a scheduled invocation: the UTC minute of EventBridge Scheduler's `scheduledTime`,
 * so a repeated firing or a retried invocation names the same run; the current minute for a manual
 * invocation without it. `what` names the event in errors (`The starter event`).
 */
export function scheduledRunId(event: unknown, what: string): string {
  const obj = requireObject(event ?? {}, what);
  rejectUnknownKeys(obj, ['scheduledTime'], what);
  if (obj.scheduledTime === undefined) return runIdFromTime(new Date());
  const time = new Date(String(obj.scheduledTime));
  if (typeof obj.scheduledTime !== 'string' || Number.isNaN(time.getTime())) {
    throw new InvalidInput(`scheduledTime must be an ISO-8601 time, got ${preview(obj.scheduledTime)}`);
  }
  return runIdFromTime(time);
}
