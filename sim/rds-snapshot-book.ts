/**
 * The snapshots of one kind (DB cluster snapshots, or DB instance snapshots) in one account: they
 * live in separate namespaces (a cluster snapshot and a DB snapshot may share an identifier), with
 * separate quotas and copy limits. Each moves on to its outcome on the virtual clock, and what
 * happened to it is kept after it is deleted (its lifecycle).
 */
import { SharedSnapshotQuotaExceededFault, Tag } from '@aws-sdk/client-rds';
import { callContext } from './aws-env';
import type { Encryption } from './rds-encryption';
import { FaultOptions, Outcome, Snapshot, SnapshotKind, SnapshotLifecycle } from './rds-types';

const DEFAULT_DURATION_MS = 10 * 60_000;

/** Statuses of a snapshot still being made: `pending` is a DB snapshot copy queued behind another (rds-types.ts). */
export const IN_PROGRESS = ['creating', 'copying', 'pending'];

export interface NewSnapshot {
  readonly id: string;
  readonly databaseId: string;
  readonly engine: string;
  readonly status: 'creating' | 'copying';
  readonly outcome: Outcome;
  readonly durationMs?: number;
  readonly encryption: Encryption;
  readonly omitStorageEncryptionType?: boolean;
  readonly tags: Tag[];
  readonly copyOf?: string;
  readonly optionGroupName?: string;
  readonly options?: Snapshot['options'];
  /** A queued copy starts then (DB snapshots only). */
  readonly queuedUntil?: number;
  readonly sourceArn?: string;
  readonly sourceRegion?: string;
  readonly originalCreatedAt?: number;
  readonly type?: Snapshot['type'];
}

export class SnapshotBook {
  public readonly snapshots = new Map<string, Snapshot>();
  public readonly lifecycles = new Map<string, SnapshotLifecycle>();

  constructor(public readonly kind: SnapshotKind, private readonly faults: () => FaultOptions) {}

  /** A new snapshot, not stored yet (`track` stores it). */
  public create(n: NewSnapshot): Snapshot {
    const now = Date.now();
    const queued = n.queuedUntil !== undefined && n.queuedUntil > now;
    const start = queued ? n.queuedUntil! : now;
    return {
      id: n.id,
      kind: this.kind,
      databaseId: n.databaseId,
      engine: n.engine,
      ...(n.optionGroupName !== undefined ? { optionGroupName: n.optionGroupName, options: n.options ?? [] } : {}),
      type: n.type ?? 'manual',
      status: queued ? 'pending' : n.status,
      outcome: n.outcome,
      createdAt: now,
      restore: [],
      encryption: n.encryption,
      omitStorageEncryptionType: n.omitStorageEncryptionType,
      tags: n.tags,
      copyOf: n.copyOf,
      ...(queued ? { queuedUntil: n.queuedUntil } : {}),
      ...(n.sourceArn ? { sourceArn: n.sourceArn } : {}),
      ...(n.sourceRegion ? { sourceRegion: n.sourceRegion } : {}),
      ...(n.originalCreatedAt !== undefined ? { originalCreatedAt: n.originalCreatedAt } : {}),
      visibleAt: now + (this.faults().visibilityDelayMs ?? 0),
      readyAt: n.outcome === 'stuck' ? undefined : start + (n.durationMs ?? DEFAULT_DURATION_MS),
    };
  }

  /** Stores a snapshot and starts its lifecycle. */
  public track(s: Snapshot): Snapshot {
    this.snapshots.set(s.id, s);
    this.lifecycles.set(s.id, {
      id: s.id,
      kind: s.kind,
      clusterId: s.databaseId,
      createdBy: callContext.getStore()?.caller ?? 'unknown',
      createdAt: s.createdAt,
      tags: s.tags.map((t: Tag) => ({ ...t })),
    });
    return s;
  }

  /** Stores a snapshot made outside the simulated handlers (a user's, AWS Backup's, an automated one), without a lifecycle. */
  public put(s: Snapshot): void {
    this.snapshots.set(s.id, s);
  }

  public get(id: string): Snapshot | undefined {
    const s = this.snapshots.get(id);
    this.progress(s);
    return s;
  }

  /** A snapshot a caller can see now: one made moments ago may not be visible yet. */
  public visible(id: string): Snapshot | undefined {
    const s = this.snapshots.get(id);
    if (!s || Date.now() < s.visibleAt) return undefined;
    this.progress(s);
    return s;
  }

  /** Every snapshot a caller can see now, brought up to date. */
  public allVisible(): Snapshot[] {
    return [...this.snapshots.values()].filter((s) => Date.now() >= s.visibleAt).map((s) => (this.progress(s), s));
  }

  public remove(s: Snapshot): void {
    this.snapshots.delete(s.id);
    const life = this.lifecycles.get(s.id);
    if (life) life.deletedAt = Date.now();
  }

  /**
   * Applies a ModifyDB(Cluster)SnapshotAttribute change to `restore`: adds, then removes; more than
   * `faults.sharedAccountsQuota` (20, the documented limit) accounts is SharedSnapshotQuotaExceededFault.
   */
  public changeRestore(s: Snapshot, add: string[] = [], remove: string[] = []): void {
    const next = new Set(s.restore);
    for (const v of add) next.add(v);
    for (const v of remove) next.delete(v);
    if (next.size > (this.faults().sharedAccountsQuota ?? 20)) {
      throw new SharedSnapshotQuotaExceededFault({ message: 'Too many accounts share this snapshot.', $metadata: {} });
    }
    s.restore = [...next];
    this.noteShared(s);
  }

  /** Records the first time target accounts were added to its restore attribute. */
  public noteShared(s: Snapshot): void {
    const life = this.lifecycles.get(s.id);
    if (life && life.sharedAt === undefined && s.restore.length > 0) life.sharedAt = Date.now();
  }

  /** Notes the first time a caller saw the snapshot available. */
  public observe(s: Snapshot): void {
    const life = this.lifecycles.get(s.id);
    if (life && s.status === 'available' && life.observedAvailableAt === undefined) life.observedAvailableAt = Date.now();
  }

  public manualCount(): number {
    return [...this.snapshots.values()].filter((s) => s.type === 'manual').length;
  }

  /** Copies in progress in the account and Region (queued ones included), the count a copy limit applies to. */
  public copiesInProgress(): Snapshot[] {
    return [...this.snapshots.values()].filter((s) => (this.progress(s), s.status === 'copying' || s.status === 'pending'));
  }

  /** Moves a snapshot on to its outcome once its time has come: a queued copy starts copying, then ends. */
  public progress(s: Snapshot | undefined): void {
    if (!s || !IN_PROGRESS.includes(s.status)) return;
    const now = Date.now();
    if (s.status === 'pending' && (s.queuedUntil === undefined || now >= s.queuedUntil)) s.status = 'copying';
    if (s.status !== 'pending' && s.readyAt !== undefined && now >= s.readyAt) {
      s.status = s.outcome;
      s.copyOf = undefined;
      const life = this.lifecycles.get(s.id);
      if (life && s.outcome === 'available') life.availableAt = s.readyAt;
    }
  }
}
