import { compressedList, listEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';

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
