import { gunzipSync } from 'zlib';
import { ENV } from './constants';
import type { SnapshotNaming } from './naming.lambda-shared';

/**
 * Reading the environment the construct sets on each function (keys in `constants.ts`), per
 * invocation so one process can serve several configurations (tests, the simulator). A handler
 * requires what the construct always sets: no silent fallbacks.
 */

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Environment variable ${name} is not set`);
  }
  return value;
}

export function listEnv(name: string): string[] {
  return (process.env[name] ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * A long list travels gzip-compressed and base64-encoded: Lambda allows 4 KB of environment in all,
 * and hundreds of cluster ids would not fit otherwise. Decoded once per value.
 */
const decoded = new Map<string, string[]>();
export function compressedList(name: string): string[] {
  const raw = process.env[name];
  if (!raw) return [];
  let list = decoded.get(raw);
  if (!list) {
    list = gunzipSync(Buffer.from(raw, 'base64')).toString('utf8').split(',').filter((s) => s.length > 0);
    decoded.set(raw, list);
  }
  return list;
}

export function integerEnv(name: string): number {
  const raw = requireEnv(name);
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`Environment variable ${name} is not an integer: '${raw}'`);
  return value;
}

/** The prefix and owner id every snapshot name of this instance is derived from. */
export function snapshotNaming(): SnapshotNaming {
  return { prefix: requireEnv(ENV.SNAPSHOT_PREFIX), ownerId: requireEnv(ENV.OWNER_ID) };
}
