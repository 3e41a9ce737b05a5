/**
 * The state and semantics of the in-memory RDS: clusters, snapshots that progress on the virtual
 * clock, the restore attribute, quotas, the copy limit, eventual consistency and the documented
 * error names (aws-facts.md, "RDS cluster snapshot API"; SDK model error shapes).
 */
import {
  CopyDBClusterSnapshotMessage, CreateDBClusterSnapshotMessage, DBClusterNotFoundFault, DBClusterSnapshot,
  DBClusterSnapshotAlreadyExistsFault, DBClusterSnapshotNotFoundFault, DescribeDBClusterSnapshotsMessage,
  InvalidDBClusterSnapshotStateFault, InvalidDBClusterStateFault, ModifyDBClusterSnapshotAttributeMessage,
  SharedSnapshotQuotaExceededFault, SnapshotQuotaExceededFault, Tag,
} from '@aws-sdk/client-rds';
import { ACCOUNT, accountOf, callContext, snapshotIdOf } from './aws-env';
import { assertShareable, copyEncryption, KmsKeys } from './rds-encryption';
import { assertSharedCopy, RdsNetwork, sharedSnapshot, sharedWith } from './rds-sharing';
import { Cluster, clientError, FaultOptions, page, Snapshot, SnapshotLifecycle } from './rds-types';
import { attributesView, clusterView, snapshotView } from './rds-views';

const DEFAULT_DURATION_MS = 10 * 60_000;
/**
 * "You can have up to five snapshot copy requests in progress to a single destination Region per
 * account" (Aurora User Guide, "DB cluster snapshot copying"). Whether same-Region copies count is
 * not stated; modelled as counting. The refusal is SnapshotQuotaExceeded (aws-facts.md).
 */
export const COPIES_IN_PROGRESS_LIMIT = 5;
/** The filters DescribeDBClusterSnapshots supports (API reference); others are refused. */
const SNAPSHOT_FILTERS = ['db-cluster-id', 'db-cluster-snapshot-id', 'snapshot-type', 'engine'];

export class RdsStore {
  public readonly lifecycles = new Map<string, SnapshotLifecycle>();
  public readonly kms = new KmsKeys();
  protected readonly clusters = new Map<string, Cluster>();
  protected readonly snapshots = new Map<string, Snapshot>();

  /** The other simulated accounts, when several are (sim/handoff.ts): their shares are visible here. */
  public network?: RdsNetwork & { readonly accounts: readonly string[] };

  constructor(protected faults: FaultOptions, public readonly account: string = ACCOUNT) {}

  /** This account's snapshots, for the other accounts' shared view. */
  public get ownSnapshots(): ReadonlyMap<string, Snapshot> {
    return this.snapshots;
  }

  /** Brings a snapshot up to date with the clock (for the other accounts' view of it). */
  public progressed(s: Snapshot): void {
    this.progress(s);
  }

  public manualSnapshotCount(): number {
    return [...this.snapshots.values()].filter((s) => s.type === 'manual').length;
  }

  /** Copies in progress in the account and Region, the count the copy limit applies to. */
  public copiesInProgress(): number {
    return [...this.snapshots.values()].filter((s) => (this.progress(s), s.status === 'copying')).length;
  }

  protected cluster(id: string | undefined): Cluster {
    const cluster = id ? this.clusters.get(id.toLowerCase()) : undefined;
    if (!cluster) throw new DBClusterNotFoundFault({ message: `DBCluster ${id} not found.`, $metadata: {} });
    return cluster;
  }

  protected clusterStatus(c: Cluster): string {
    if (c.busyUntil !== undefined && Date.now() < c.busyUntil) return 'backing-up';
    return 'available';
  }

  protected describeClusters(input: { DBClusterIdentifier?: string; Marker?: string; MaxRecords?: number }) {
    if (input.DBClusterIdentifier) {
      const c = this.cluster(input.DBClusterIdentifier);
      return { DBClusters: [clusterView(c, this.clusterStatus(c))] };
    }
    return page([...this.clusters.values()].map((c) => clusterView(c, this.clusterStatus(c))), input.Marker, input.MaxRecords ?? 100, 'DBClusters');
  }

  /** A snapshot the caller can see now: one made moments ago may not be visible yet. */
  protected visible(idOrArn: string | undefined): Snapshot | undefined {
    if (this.foreign(idOrArn)) return undefined;
    const s = this.snapshots.get(snapshotIdOf(idOrArn) ?? '');
    return s && Date.now() >= s.visibleAt ? s : undefined;
  }

  protected existing(idOrArn: string | undefined): Snapshot {
    const s = this.foreign(idOrArn) ? undefined : this.snapshots.get(snapshotIdOf(idOrArn) ?? '');
    if (!s) throw new DBClusterSnapshotNotFoundFault({ message: `DBClusterSnapshot ${idOrArn} not found.`, $metadata: {} });
    this.progress(s);
    return s;
  }

  protected describeSnapshots(input: DescribeDBClusterSnapshotsMessage) {
    if (input.DBClusterSnapshotIdentifier) {
      if (input.DBClusterIdentifier) throw clientError('InvalidParameterCombination', 'Cannot combine identifiers');
      const shared = sharedSnapshot(this.network, this.account, input.DBClusterSnapshotIdentifier);
      if (shared) return { DBClusterSnapshots: [snapshotView(shared.snapshot, shared.owner, this.account)] };
      const s = this.visible(input.DBClusterSnapshotIdentifier);
      if (!s) throw new DBClusterSnapshotNotFoundFault({ message: `DBClusterSnapshot ${input.DBClusterSnapshotIdentifier} not found.`, $metadata: {} });
      return { DBClusterSnapshots: [this.observe(this.view(s))] };
    }
    const maxRecords = input.MaxRecords ?? 100;
    if (maxRecords < 20 || maxRecords > 100) throw clientError('InvalidParameterValue', 'MaxRecords must be 20-100');
    const unknown = input.Filters?.find((f) => !SNAPSHOT_FILTERS.includes(f.Name ?? ''));
    if (unknown) throw clientError('InvalidParameterValue', `Unrecognized filter name: ${unknown.Name}`);
    const filter = (name: string) => input.Filters?.find((f) => f.Name === name)?.Values;
    const clusterIds = filter('db-cluster-id') ?? (input.DBClusterIdentifier ? [input.DBClusterIdentifier] : undefined);
    const ids = filter('db-cluster-snapshot-id');
    const types = filter('snapshot-type') ?? (input.SnapshotType ? [input.SnapshotType] : undefined);
    const own = [...this.snapshots.values()]
      .filter((s) => Date.now() >= s.visibleAt)
      .filter((s) => !clusterIds || clusterIds.includes(s.clusterId))
      .filter((s) => !ids || ids.includes(s.id))
      .filter((s) => !types || types.includes(s.type))
      .map((s) => this.observe(this.view(s)));
    // Shared snapshots: with type `shared`, or with IncludeShared and no type (SDK model text; rds-sharing.ts).
    const withShared = types ? types.includes('shared') : input.IncludeShared === true;
    const shared = !withShared ? [] : sharedWith(this.network, this.account, this.network?.accounts ?? [])
      .filter(({ snapshot: s }) => (!clusterIds || clusterIds.includes(s.clusterId)) && (!ids || ids.includes(s.id)))
      .map(({ owner, snapshot }) => snapshotView(snapshot, owner, this.account));
    return page([...own, ...shared], input.Marker, maxRecords, 'DBClusterSnapshots');
  }

  protected createSnapshot(input: CreateDBClusterSnapshotMessage) {
    const cluster = this.cluster(input.DBClusterIdentifier);
    this.assertNewSnapshot(input.DBClusterSnapshotIdentifier!);
    if (this.clusterStatus(cluster) !== 'available') {
      throw new InvalidDBClusterStateFault({ message: `DBCluster ${cluster.identifier} is not in the available state.`, $metadata: {} });
    }
    const outcome = cluster.snapshotOutcome ?? 'available';
    return {
      DBClusterSnapshot: this.track(this.newSnapshot(input.DBClusterSnapshotIdentifier!, cluster.identifier, 'creating', outcome, cluster.snapshotMs, {
        encryption: cluster.encryption,
        omitStorageEncryptionType: cluster.omitStorageEncryptionType,
        tags: [...(input.Tags ?? [])],
      })),
    };
  }

  protected copySnapshot(input: CopyDBClusterSnapshotMessage) {
    if (this.foreign(input.SourceDBClusterSnapshotIdentifier)) return this.copySharedSnapshot(input);
    const source = this.existing(input.SourceDBClusterSnapshotIdentifier);
    if (source.status !== 'available') {
      throw new InvalidDBClusterSnapshotStateFault({ message: `Snapshot ${source.id} is ${source.status}, not available.`, $metadata: {} });
    }
    this.assertNewSnapshot(input.TargetDBClusterSnapshotIdentifier!);
    const encryption = copyEncryption(source.encryption, input.KmsKeyId, this.kms, this.faults);
    const limit = this.faults.copiesInProgressLimit ?? COPIES_IN_PROGRESS_LIMIT;
    if (this.copiesInProgress() >= limit) {
      throw new SnapshotQuotaExceededFault({ message: `Cannot copy more than ${limit} snapshots at a time.`, $metadata: {} });
    }
    const cluster = this.clusters.get(source.clusterId);
    const s = this.newSnapshot(input.TargetDBClusterSnapshotIdentifier!, source.clusterId, 'copying', cluster?.copyOutcome ?? 'available', cluster?.copyMs, {
      encryption,
      omitStorageEncryptionType: source.omitStorageEncryptionType,
      tags: [...(input.CopyTags ? source.tags : []), ...(input.Tags ?? [])],
      copyOf: source.id,
    });
    return { DBClusterSnapshot: this.track(s) };
  }

  /** A copy, into this account, of a snapshot another account shares with it (rds-sharing.ts). */
  private copySharedSnapshot(input: CopyDBClusterSnapshotMessage) {
    const source = assertSharedCopy(this.network, this.account, input);
    this.assertNewSnapshot(input.TargetDBClusterSnapshotIdentifier!);
    const encryption = copyEncryption(source.encryption, input.KmsKeyId, this.kms, this.faults);
    const limit = this.faults.copiesInProgressLimit ?? COPIES_IN_PROGRESS_LIMIT;
    if (this.copiesInProgress() >= limit) {
      throw new SnapshotQuotaExceededFault({ message: `Cannot copy more than ${limit} snapshots at a time.`, $metadata: {} });
    }
    const s = this.newSnapshot(input.TargetDBClusterSnapshotIdentifier!, source.clusterId, 'copying', this.faults.sharedCopyOutcome ?? 'available', this.faults.sharedCopyMs, {
      encryption,
      omitStorageEncryptionType: source.omitStorageEncryptionType,
      tags: [...(input.CopyTags ? source.tags : []), ...(input.Tags ?? [])],
    });
    return { DBClusterSnapshot: this.track(s) };
  }

  /** An ARN of another account's resource: never one of this account's own. */
  private foreign(idOrArn: string | undefined): boolean {
    const owner = accountOf(idOrArn);
    return owner !== undefined && owner !== this.account;
  }

  protected deleteSnapshot(input: { DBClusterSnapshotIdentifier?: string }) {
    const s = this.existing(input.DBClusterSnapshotIdentifier);
    if (s.status === 'creating') {
      throw new InvalidDBClusterSnapshotStateFault({ message: `Snapshot ${s.id} is being created.`, $metadata: {} });
    }
    const activeCopy = [...this.snapshots.values()].find((c) => c.copyOf === s.id && (this.progress(c), c.status === 'copying'));
    if (activeCopy) {
      throw new InvalidDBClusterSnapshotStateFault({ message: `Snapshot ${s.id} is the source of copy ${activeCopy.id} in progress.`, $metadata: {} });
    }
    this.snapshots.delete(s.id); // deleting a copy target while copying cancels the copy
    const life = this.lifecycles.get(s.id);
    if (life) life.deletedAt = Date.now();
    return { DBClusterSnapshot: { ...this.view(s), Status: 'deleting' } };
  }

  protected modifyAttribute(input: ModifyDBClusterSnapshotAttributeMessage) {
    const s = this.existing(input.DBClusterSnapshotIdentifier);
    if (input.AttributeName !== 'restore') throw clientError('InvalidParameterValue', 'AttributeName must be restore');
    if (s.status !== 'available') throw new InvalidDBClusterSnapshotStateFault({ message: `Snapshot ${s.id} is ${s.status}.`, $metadata: {} });
    const adding = (input.ValuesToAdd ?? []).filter((v) => !s.restore.includes(v));
    assertShareable(s.encryption, s.id, adding);
    const next = new Set(s.restore);
    for (const v of input.ValuesToAdd ?? []) next.add(v);
    for (const v of input.ValuesToRemove ?? []) next.delete(v);
    if (next.size > (this.faults.sharedAccountsQuota ?? 20)) {
      throw new SharedSnapshotQuotaExceededFault({ message: 'Too many accounts share this snapshot.', $metadata: {} });
    }
    s.restore = [...next];
    const life = this.lifecycles.get(s.id);
    if (life && life.sharedAt === undefined && s.restore.length > 0) life.sharedAt = Date.now();
    return { DBClusterSnapshotAttributesResult: attributesView(s) };
  }

  protected describeAttributes(input: { DBClusterSnapshotIdentifier?: string }) {
    return { DBClusterSnapshotAttributesResult: attributesView(this.existing(input.DBClusterSnapshotIdentifier)) };
  }

  protected newSnapshot(
    id: string, clusterId: string, status: 'creating' | 'copying', outcome: Snapshot['outcome'], durationMs: number | undefined,
    rest: Pick<Snapshot, 'encryption' | 'omitStorageEncryptionType' | 'tags' | 'copyOf'>,
  ): Snapshot {
    const now = Date.now();
    return {
      id,
      clusterId,
      type: 'manual',
      status,
      outcome,
      createdAt: now,
      restore: [],
      ...rest,
      visibleAt: now + (this.faults.visibilityDelayMs ?? 0),
      readyAt: outcome === 'stuck' ? undefined : now + (durationMs ?? DEFAULT_DURATION_MS),
    };
  }

  private assertNewSnapshot(id: string): void {
    if (this.snapshots.has(id)) {
      throw new DBClusterSnapshotAlreadyExistsFault({ message: `DBClusterSnapshot ${id} already exists.`, $metadata: {} });
    }
    const quota = this.faults.manualSnapshotQuota ?? 100;
    if (this.manualSnapshotCount() >= quota) {
      throw new SnapshotQuotaExceededFault({ message: 'Cannot create more than the maximum number of manual cluster snapshots.', $metadata: {} });
    }
  }

  protected track(s: Snapshot): DBClusterSnapshot {
    this.snapshots.set(s.id, s);
    this.lifecycles.set(s.id, {
      id: s.id, clusterId: s.clusterId, createdBy: callContext.getStore()?.caller ?? 'unknown', createdAt: s.createdAt, tags: s.tags.map((t: Tag) => ({ ...t })),
    });
    return this.view(s);
  }

  /** Notes the first time a caller saw the snapshot available. */
  private observe(view: DBClusterSnapshot): DBClusterSnapshot {
    const life = this.lifecycles.get(view.DBClusterSnapshotIdentifier!);
    if (life && view.Status === 'available' && life.observedAvailableAt === undefined) life.observedAvailableAt = Date.now();
    return view;
  }

  /** Moves a snapshot on to its outcome once its time has come. */
  protected progress(s: Snapshot | undefined): void {
    if (!s || (s.status !== 'creating' && s.status !== 'copying')) return;
    if (s.readyAt !== undefined && Date.now() >= s.readyAt) {
      s.status = s.outcome;
      s.copyOf = undefined;
      const life = this.lifecycles.get(s.id);
      if (life && s.outcome === 'available') life.availableAt = s.readyAt;
    }
  }

  protected view(s: Snapshot): DBClusterSnapshot {
    this.progress(s);
    return snapshotView(s, this.account);
  }
}
