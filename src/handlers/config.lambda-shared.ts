import { gunzipSync } from 'zlib';

/**
 * Handler settings come from environment variables that the construct sets on each function,
 * read per invocation so one process can serve several configurations (tests, the simulator).
 */
export const ENV = {
  OWNER_ID: 'OWNER_ID',
  SNAPSHOT_PREFIX: 'SNAPSHOT_PREFIX',
  SHARING_KEY_ARN: 'SHARING_KEY_ARN',
  TARGET_ACCOUNT_IDS: 'TARGET_ACCOUNT_IDS',
  RETAIN_SNAPSHOTS: 'RETAIN_SNAPSHOTS',
  ALLOW_UNENCRYPTED: 'ALLOW_UNENCRYPTED',
  SNAPSHOT_TIMEOUT_SECONDS: 'SNAPSHOT_TIMEOUT_SECONDS',
  CLUSTER_IDENTIFIERS: 'CLUSTER_IDENTIFIERS',
  CLUSTER_TAG_KEY: 'CLUSTER_TAG_KEY',
  CLUSTER_TAG_VALUE: 'CLUSTER_TAG_VALUE',
  STATE_MACHINE_ARN: 'STATE_MACHINE_ARN',
  START_CONCURRENCY: 'START_CONCURRENCY',
  CLUSTER_IDENTIFIERS_GZIP: 'CLUSTER_IDENTIFIERS_GZIP',
  WAIT_INTERVAL_SECONDS: 'WAIT_INTERVAL_SECONDS',
  RDS_REQUESTS_PER_SECOND: 'RDS_REQUESTS_PER_SECOND',
} as const;

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

export function integerEnv(name: string, fallback?: number): number {
  const raw = process.env[name];
  if ((raw === undefined || raw === '') && fallback !== undefined) return fallback;
  const value = Number(requireEnv(name));
  if (!Number.isInteger(value)) throw new Error(`Environment variable ${name} is not an integer: '${raw}'`);
  return value;
}

/** Which clusters this construct may snapshot: explicit ids, plus those carrying the tag. */
export interface ClusterSelection {
  readonly clusterIdentifiers: string[];
  readonly tag?: { key: string; value: string };
}

export function clusterSelection(): ClusterSelection {
  const key = process.env[ENV.CLUSTER_TAG_KEY];
  const value = process.env[ENV.CLUSTER_TAG_VALUE];
  return {
    clusterIdentifiers: [...listEnv(ENV.CLUSTER_IDENTIFIERS), ...compressedList(ENV.CLUSTER_IDENTIFIERS_GZIP)].map((id) => id.toLowerCase()),
    tag: key ? { key, value: value ?? '' } : undefined,
  };
}
