import { gzipSync } from 'zlib';
import { Token } from 'aws-cdk-lib';
import type { ClusterTag } from './props';
import { ENV } from '../shared/constants';

/*
 * How the cluster selection is carried in the handler functions' environment (the check that a
 * whole environment fits Lambda's limit is `src/shared/function-environment.ts`).
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
