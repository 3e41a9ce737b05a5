import { gzipSync } from 'zlib';
import { Token } from 'aws-cdk-lib';
import type { ClusterTag } from './cluster-tag';
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
  return selectionEnvironment(ids, tag, {
    ids: ENV.CLUSTER_IDENTIFIERS,
    gzip: ENV.CLUSTER_IDENTIFIERS_GZIP,
    tagKey: ENV.CLUSTER_TAG_KEY,
    tagValue: ENV.CLUSTER_TAG_VALUE,
    prop: 'clusterIdentifiers',
    what: 'clusters',
    tagProp: 'clusterTag',
  });
}

/** The DB instance selection as environment variables, carried as the cluster selection is; nothing when none is selected. */
export function instanceEnvironment(ids: string[], tag?: ClusterTag): Record<string, string> {
  if (ids.length === 0 && !tag) return {};
  return selectionEnvironment(ids, tag, {
    ids: ENV.INSTANCE_IDENTIFIERS,
    gzip: ENV.INSTANCE_IDENTIFIERS_GZIP,
    tagKey: ENV.INSTANCE_TAG_KEY,
    tagValue: ENV.INSTANCE_TAG_VALUE,
    prop: 'instanceIdentifiers',
    what: 'DB instances',
    tagProp: 'instanceTag',
  });
}

interface SelectionKeys {
  readonly ids: string;
  readonly gzip: string;
  readonly tagKey: string;
  readonly tagValue: string;
  readonly prop: string;
  readonly what: string;
  readonly tagProp: string;
}

function selectionEnvironment(ids: string[], tag: ClusterTag | undefined, keys: SelectionKeys): Record<string, string> {
  const env: Record<string, string> = tag ? { [keys.tagKey]: tag.key, [keys.tagValue]: tag.value } : {};
  const plain = ids.join(',');
  if (plain.length <= MAX_PLAIN_ID_LIST || ids.some((id) => Token.isUnresolved(id))) {
    env[keys.ids] = plain;
    return env;
  }
  const compressed = gzipSync(Buffer.from(plain, 'utf8'), { level: 9 }).toString('base64');
  if (compressed.length > MAX_COMPRESSED_ID_LIST) {
    throw new Error(
      `${keys.prop} lists ${ids.length} ${keys.what}, ${compressed.length} bytes even compressed; Lambda's environment holds 4 KB. Tag the ${keys.what} and use ${keys.tagProp} for a fleet this large`,
    );
  }
  env[keys.gzip] = compressed;
  return env;
}
