import { compressedList, listEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';

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

/** Which DB instances this construct may snapshot: explicit ids, plus those carrying the tag. */
export interface InstanceSelection {
  readonly instanceIdentifiers: string[];
  readonly tag?: { key: string; value: string };
}

export function instanceSelection(): InstanceSelection {
  const key = process.env[ENV.INSTANCE_TAG_KEY];
  const value = process.env[ENV.INSTANCE_TAG_VALUE];
  return {
    instanceIdentifiers: [...listEnv(ENV.INSTANCE_IDENTIFIERS), ...compressedList(ENV.INSTANCE_IDENTIFIERS_GZIP)].map((id) => id.toLowerCase()),
    tag: key ? { key, value: value ?? '' } : undefined,
  };
}

/** The selection of a database kind, in one shape: the explicit ids and the tag. */
export function selectionOf(kind: DatabaseKind | undefined): { readonly identifiers: string[]; readonly tag?: { key: string; value: string } } {
  if (kind === 'instance') {
    const s = instanceSelection();
    return { identifiers: s.instanceIdentifiers, tag: s.tag };
  }
  const s = clusterSelection();
  return { identifiers: s.clusterIdentifiers, tag: s.tag };
}
