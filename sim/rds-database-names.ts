/**
 * The DNS side of cluster names: when each name resolved to which cluster. A cluster's endpoint
 * name resolves once the cluster is created; a rename deletes the old DNS name at once and the new
 * one "becomes effective in about two minutes" (RDS User Guide, `multi-az-db-cluster-rename.html`;
 * about 10 for instances, `USER_RenameInstance.html`; Aurora unconfirmed); a deletion removes it.
 * Caching by resolvers ("could remain cached for a few minutes") is not modelled.
 */
import { uncoveredMs } from './intervals';
import type { NameRecord } from './rds-database-types';

export class DatabaseNames {
  public readonly records: NameRecord[] = [];

  /** `name` resolves to the cluster from `from` on (Infinity: never, a restore that fails). */
  public take(name: string, resourceId: string, from: number): void {
    this.records.push({ name, resourceId, from });
  }

  /** `name` stops resolving to the cluster at `at` (at once, or never having resolved). */
  public release(name: string, resourceId: string, at: number): void {
    for (const r of this.records) {
      if (r.name === name && r.resourceId === resourceId && r.to === undefined) r.to = at;
    }
  }

  /** The cluster (resource id) `name` resolves to at `at`, if any. */
  public resolve(name: string, at = Date.now()): string | undefined {
    return this.records.find((r) => r.name === name && r.from <= at && (r.to === undefined || at < r.to))?.resourceId;
  }

  /** How long, within [from, to], `name` resolved to nothing. */
  public unresolvedMs(name: string, from: number, to: number): number {
    return uncoveredMs(this.records.filter((r) => r.name === name).map((r) => [r.from, r.to ?? to] as const), from, to);
  }
}
