import { runIdFromTime } from '../../shared/naming.lambda-shared';

/*
 * The names of what one instance creates, all derived from the stable identifier: the serving
 * database holds `<id>`; every other database is `<id>-<generation>` (the UTC minute of the run that
 * restored it, `yyyymmddhhmm`), whatever its role; its instances are `<id>-<generation>-<n>`; a
 * final snapshot is `<id>-<generation>-final`. A database renamed away from `<id>` takes its
 * generation name back.
 */

const GENERATION = /^\d{12}$/;

/** A run's generation: the UTC minute of its scheduled time, or of now for a run started by hand. */
export function generationOf(time: Date): string {
  return runIdFromTime(time);
}

export function generationName(databaseIdentifier: string, generation: string): string {
  return `${databaseIdentifier}-${generation}`;
}

export function instanceName(databaseIdentifier: string, generation: string, n: number): string {
  return `${generationName(databaseIdentifier, generation)}-${n}`;
}

export function finalSnapshotName(databaseIdentifier: string, generation: string): string {
  return `${generationName(databaseIdentifier, generation)}-final`;
}

/** The generation a non-serving name carries, or undefined when it is not `<id>-<generation>`. */
export function generationInName(databaseIdentifier: string, identifier: string): string | undefined {
  const prefix = `${databaseIdentifier}-`;
  if (!identifier.startsWith(prefix)) return undefined;
  const rest = identifier.slice(prefix.length);
  return GENERATION.test(rest) ? rest : undefined;
}

export function isValidGeneration(value: unknown): value is string {
  return typeof value === 'string' && GENERATION.test(value);
}
