import { auroraCluster } from './aurora-cluster.lambda-shared';
import type { DatabaseKind } from './kind-types.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';

export type { CopyToRestore, DatabaseKind, DatabaseView, MemberView } from './kind-types.lambda-shared';

/** The kinds of database the refresh knows, by the name the construct sets (`REFRESH_KIND`). */
const KINDS: Record<string, DatabaseKind> = { [auroraCluster.name]: auroraCluster };

export function databaseKind(name: string): DatabaseKind {
  const kind = KINDS[name];
  if (!kind) throw new InvalidInput(`Unknown database kind '${name}'; known: ${Object.keys(KINDS).join(', ')}`);
  return kind;
}
