import type { Duration } from 'aws-cdk-lib';

/**
 * Where each run's shared snapshot of a DB instance starts from (`snapshotSource`): a new snapshot
 * (`SnapshotSource.newSnapshot()`, the default), or the newest automated snapshot when it is young
 * enough (`SnapshotSource.newestAutomatedSnapshot(Duration.hours(6))`: one copy, no new snapshot).
 */
export class SnapshotSource {
  /** A new snapshot of each database every run (the default). */
  public static newSnapshot(): SnapshotSource {
    return new SnapshotSource('new');
  }

  /**
   * For a DB instance, the newest automated snapshot when it is younger than `maxAge` at the run's start.
   *
   * It is copied straight to the shared snapshot with the sharing key (one copy, no temporary
   * snapshot); otherwise (automated backups off, none young enough) a new snapshot is taken, as usual. An
   * automated snapshot cannot be shared itself, so it is always copied, even when the instance is
   * on the sharing key. DB clusters always take a new snapshot.
   *
   * @param maxAge the oldest automated snapshot to reuse, between 1 hour and 35 days (the longest backup retention), in whole seconds
   */
  public static newestAutomatedSnapshot(maxAge: Duration): SnapshotSource {
    return new SnapshotSource('automated', maxAge);
  }

  /**
   * @param kind `new` or `automated`
   * @param maxAge with `automated`, the oldest automated snapshot to reuse
   */
  private constructor(public readonly kind: string, public readonly maxAge?: Duration) {}
}
