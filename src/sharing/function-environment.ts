import { gzipSync } from 'zlib';
import { Token } from 'aws-cdk-lib';
import type { ClusterTag } from './props';
import { ENV } from '../shared/constants';

/*
 * The handler functions' environment: how the cluster selection is carried, and the synth-time
 * check that it fits Lambda's limit.
 */

/** Lambda allows 4 KB of environment in all; past this, the id list is compressed. */
const MAX_PLAIN_ID_LIST = 1024;
const MAX_COMPRESSED_ID_LIST = 3072;

/**
 * The cluster selection as environment variables. Hundreds of ids do not fit Lambda's 4 KB
 * environment as text, so a long literal list is gzip-compressed (deterministic: no timestamp).
 */
export function clusterEnvironment(ids: string[], tag?: ClusterTag): Record<string, string> {
  const env: Record<string, string> = tag ? { [ENV.CLUSTER_TAG_KEY]: tag.key, [ENV.CLUSTER_TAG_VALUE]: tag.value } : {};
  const plain = ids.join(',');
  if (plain.length <= MAX_PLAIN_ID_LIST || ids.some((id) => Token.isUnresolved(id))) {
    env[ENV.CLUSTER_IDENTIFIERS] = plain;
    return env;
  }
  const compressed = gzipSync(Buffer.from(plain, 'utf8'), { level: 9 }).toString('base64');
  if (compressed.length > MAX_COMPRESSED_ID_LIST) {
    throw new Error(
      `clusterIdentifiers lists ${ids.length} clusters, ${compressed.length} bytes even compressed; Lambda's environment holds 4 KB. Tag the clusters and use clusterTag for a fleet this large`,
    );
  }
  env[ENV.CLUSTER_IDENTIFIERS_GZIP] = compressed;
  return env;
}

/** Lambda's limit for all environment variables of a function, measured as their JSON. */
const MAX_ENVIRONMENT_BYTES = 4096;
/** What an unresolved token (an ARN, an imported id) is assumed to take once deployed. */
const TOKEN_BYTES_ESTIMATE = 128;

/** Fails at synth, naming the props that fill it, when an environment would not deploy. */
export function assertEnvironmentFits(handlerId: string, environment: Record<string, string>): void {
  const measured = Object.fromEntries(Object.entries(environment).map(([k, v]) =>
    [k, Token.isUnresolved(v) ? 'x'.repeat(TOKEN_BYTES_ESTIMATE) : v]));
  const bytes = Buffer.byteLength(JSON.stringify(measured), 'utf8');
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    throw new Error(
      `clusterIdentifiers, clusterTag, targetAccountIds and snapshotTags make the ${handlerId} handler's environment about ${bytes} bytes, over Lambda's ${MAX_ENVIRONMENT_BYTES}-byte limit. Select large fleets with clusterTag instead of listing them, and keep snapshotTags short`,
    );
  }
}
