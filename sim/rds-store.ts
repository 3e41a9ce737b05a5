/**
 * The state and semantics of the in-memory RDS: clusters, snapshots that progress on the virtual
 * clock, the restore attribute, quotas, the copy limit, eventual consistency and the documented
 * error names (aws-facts.md, "RDS cluster snapshot API"; SDK model error shapes).
 */
import {
  CopyDBClusterSnapshotMessage, CreateDBClusterSnapshotMessage, DBClusterNotFoundFault, DBClusterSnapshot,
  DBClusterSnapshotAlreadyExistsFault, DBClusterSnapshotNotFoundFault, DescribeDBClusterSnapshotsMessage,
  InvalidDBClusterSnapshotStateFault, InvalidDBClusterStateFault, ModifyDBClusterSnapshotAttributeMessage,
  SnapshotQuotaExceededFault,
} from '@aws-sdk/client-rds';
import { ACCOUNT, accountOf, REGION, snapshotArn, snapshotIdOf } from './aws-env';
import { assertShareable, copyEncryption, KmsKeys } from './rds-encryption';
import { InstanceRds } from './rds-instances';
import { CROSS_REGION_COPY_MS, crossRegionSource, failCopiesOf, inOtherRegion, RegionContext, RegionalRds } from './rds-regions';
import { assertSharedCopy, RdsNetwork, sharedSnapshot, sharedWith } from './rds-sharing';
import { SnapshotBook } from './rds-snapshot-book';
import { Cluster, clientError, FaultOptions, page, Snapshot, SnapshotKind, SnapshotLifecycle } from './rds-types';
import { attributesView, clusterView, snapshotView } from './rds-views';

/**
 * "You can have up to five snapshot copy requests in progress to a single destination Region per
 * account" (Aurora User Guide, "DB cluster snapshot copying"). Whether same-Region copies count is
 * not stated; modelled as counting. The refusal is SnapshotQuotaExceeded (aws-facts.md).
 */
export const COPIES_IN_PROGRESS_LIMIT = 5;
/** The filters DescribeDBClusterSnapshots supports (API reference); others are refused. */
const SNAPSHOT_FILTERS = ['db-cluster-id', 'db-cluster-snapshot-id', 'snapshot-type', 'engine'];

export class RdsStore implements RegionalRds {
  public readonly kms: KmsKeys;
  protected readonly clusters = new Map<string, Cluster>();
  protected readonly clusterBook = new SnapshotBook('cluster', () => this.faults);
  /** DB instances, their snapshots and option groups (rds-instances.ts). */
  public readonly instances: InstanceRds;

  /** The home Region's store, for a store of another Region: it holds the account's network. */
  protected homeStore?: RdsStore;
  private ownNetwork?: RdsNetwork & { readonly accounts: readonly string[] };

  /** The other simulated accounts, when several are (sim/handoff.ts): their shares are visible here, per Region. */
  public get network(): (RdsNetwork & { readonly accounts: readonly string[] }) | undefined {
    return this.homeStore ? this.homeStore.network : this.ownNetwork;
  }

  public set network(network: (RdsNetwork & { readonly accounts: readonly string[] }) | undefined) {
    this.ownNetwork = network;
  }

  constructor(protected faults: FaultOptions, public readonly account: string = ACCOUNT, public readonly region: string = REGION) {
    this.kms = new KmsKeys(account, region);
    this.instances = new InstanceRds({
      account, region, kms: this.kms, faults: () => this.faults, network: () => this.network, regions: () => this.regionContext(),
    });
  }

  /** This account's RDS in the other Regions (sim/rds-regions.ts); FakeRds knows them. */
  protected regionContext(): RegionContext {
    return { account: this.account, region: this.region, bookOf: (kind) => this.bookOf(kind), peer: () => undefined, peers: () => [] };
  }

  public bookOf(kind: SnapshotKind): SnapshotBook {
    return kind === 'cluster' ? this.clusterBook : this.instances.book;
  }

  /** What happened to each cluster snapshot, kept after it is deleted (`instances.lifecycles` for DB snapshots). */
  public get lifecycles(): Map<string, SnapshotLifecycle> {
    return this.clusterBook.lifecycles;
  }

  protected get snapshots(): Map<string, Snapshot> {
    return this.clusterBook.snapshots;
  }

  /** This account's snapshots of one kind, for the other accounts' shared view. */
  public ownSnapshotsOf(kind: SnapshotKind): ReadonlyMap<string, Snapshot> {
    return kind === 'cluster' ? this.snapshots : this.instances.book.snapshots;
  }

  /** This account's cluster snapshots, for the other accounts' shared view. */
  public get ownSnapshots(): ReadonlyMap<string, Snapshot> {
    return this.snapshots;
  }

  /** Brings a snapshot up to date with the clock (for the other accounts' view of it). */
  public progressed(s: Snapshot): void {
    (s.kind === 'instance' ? this.instances.book : this.clusterBook).progress(s);
  }

  public manualSnapshotCount(): number {
    return this.clusterBook.manualCount();
  }

  /** Cluster snapshot copies in progress in the account and Region, the count the copy limit applies to. */
  public copiesInProgress(): number {
    return this.clusterBook.copiesInProgress().length;
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
    return this.clusterBook.visible(snapshotIdOf(idOrArn) ?? '');
  }

  protected existing(idOrArn: string | undefined): Snapshot {
    const s = this.foreign(idOrArn) ? undefined : this.clusterBook.get(snapshotIdOf(idOrArn) ?? '');
    if (!s) throw new DBClusterSnapshotNotFoundFault({ message: `DBClusterSnapshot ${idOrArn} not found.`, $metadata: {} });
    return s;
  }

  protected describeSnapshots(input: DescribeDBClusterSnapshotsMessage) {
    if (input.DBClusterSnapshotIdentifier) {
      if (input.DBClusterIdentifier) throw clientError('InvalidParameterCombination', 'Cannot combine identifiers');
      const shared = sharedSnapshot(this.network, this.account, input.DBClusterSnapshotIdentifier, 'cluster', this.region);
      if (shared) return { DBClusterSnapshots: [snapshotView(shared.snapshot, shared.owner, this.account, this.region)] };
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
    const own = this.clusterBook.allVisible()
      .filter((s) => !clusterIds || clusterIds.includes(s.databaseId))
      .filter((s) => !ids || ids.includes(s.id))
      .filter((s) => !types || types.includes(s.type))
      .map((s) => this.observe(this.view(s)));
    // Shared snapshots: with type `shared`, or with IncludeShared and no type (SDK model text; rds-sharing.ts).
    const withShared = types ? types.includes('shared') : input.IncludeShared === true;
    const shared = !withShared ? [] : sharedWith(this.network, this.account, this.network?.accounts ?? [], 'cluster', this.region)
      .filter(({ snapshot: s }) => (!clusterIds || clusterIds.includes(s.databaseId)) && (!ids || ids.includes(s.id)))
      .map(({ owner, snapshot }) => snapshotView(snapshot, owner, this.account, this.region));
    return page([...own, ...shared], input.Marker, maxRecords, 'DBClusterSnapshots');
  }

  protected createSnapshot(input: CreateDBClusterSnapshotMessage) {
    const cluster = this.cluster(input.DBClusterIdentifier);
    this.assertNewSnapshot(input.DBClusterSnapshotIdentifier!);
    if (this.clusterStatus(cluster) !== 'available') {
      throw new InvalidDBClusterStateFault({ message: `DBCluster ${cluster.identifier} is not in the available state.`, $metadata: {} });
    }
    return {
      DBClusterSnapshot: this.track(this.clusterBook.create({
        id: input.DBClusterSnapshotIdentifier!,
        databaseId: cluster.identifier,
        engine: engineOf(cluster),
        status: 'creating',
        outcome: cluster.snapshotOutcome ?? 'available',
        durationMs: cluster.snapshotMs,
        encryption: cluster.encryption,
        omitStorageEncryptionType: cluster.omitStorageEncryptionType,
        tags: [...(input.Tags ?? [])],
      })),
    };
  }

  protected copySnapshot(input: CopyDBClusterSnapshotMessage) {
    if (inOtherRegion(input.SourceDBClusterSnapshotIdentifier, this.region)) return this.copyFromRegion(input);
    if (this.foreign(input.SourceDBClusterSnapshotIdentifier)) return this.copySharedSnapshot(input);
    const source = this.existing(input.SourceDBClusterSnapshotIdentifier);
    if (source.status !== 'available') {
      throw new InvalidDBClusterSnapshotStateFault({ message: `Snapshot ${source.id} is ${source.status}, not available.`, $metadata: {} });
    }
    assertCopyable(source);
    this.assertNewSnapshot(input.TargetDBClusterSnapshotIdentifier!);
    const encryption = copyEncryption(source.encryption, input.KmsKeyId, this.kms, this.faults);
    this.assertCopySlot();
    const cluster = this.clusters.get(source.databaseId);
    const s = this.clusterBook.create({
      id: input.TargetDBClusterSnapshotIdentifier!,
      databaseId: source.databaseId,
      engine: source.engine,
      status: 'copying',
      outcome: cluster?.copyOutcome ?? 'available',
      durationMs: cluster?.copyMs,
      encryption,
      omitStorageEncryptionType: source.omitStorageEncryptionType,
      tags: [...(input.CopyTags ? source.tags : []), ...(input.Tags ?? [])],
      copyOf: source.id,
    });
    return { DBClusterSnapshot: this.track(s) };
  }

  /** A copy, into this Region, of one of this account's snapshots in another Region (rds-regions.ts). */
  private copyFromRegion(input: CopyDBClusterSnapshotMessage) {
    const sourceArn = input.SourceDBClusterSnapshotIdentifier!;
    const source = crossRegionSource('cluster', sourceArn, input.KmsKeyId, this.regionContext());
    assertCopyable(source);
    this.assertNewSnapshot(input.TargetDBClusterSnapshotIdentifier!);
    const encryption = copyEncryption(source.encryption, input.KmsKeyId, this.kms, this.faults);
    this.assertCopySlot();
    const s = this.clusterBook.create({
      id: input.TargetDBClusterSnapshotIdentifier!,
      databaseId: source.databaseId,
      engine: source.engine,
      status: 'copying',
      outcome: this.faults.crossRegionCopyOutcome ?? 'available',
      durationMs: this.faults.crossRegionCopyMs ?? CROSS_REGION_COPY_MS,
      encryption,
      omitStorageEncryptionType: source.omitStorageEncryptionType,
      tags: [...(input.CopyTags ? source.tags : []), ...(input.Tags ?? [])],
      sourceArn,
      sourceRegion: sourceArn.split(':')[3],
    });
    return { DBClusterSnapshot: this.track(s) };
  }

  /** A copy, into this account, of a snapshot another account shares with it (rds-sharing.ts). */
  private copySharedSnapshot(input: CopyDBClusterSnapshotMessage) {
    const source = assertSharedCopy(this.network, this.account, {
      kind: 'cluster', sourceArn: input.SourceDBClusterSnapshotIdentifier, kmsKeyId: input.KmsKeyId, region: this.region,
    });
    assertCopyable(source);
    this.assertNewSnapshot(input.TargetDBClusterSnapshotIdentifier!);
    const encryption = copyEncryption(source.encryption, input.KmsKeyId, this.kms, this.faults);
    this.assertCopySlot();
    const s = this.clusterBook.create({
      id: input.TargetDBClusterSnapshotIdentifier!,
      databaseId: source.databaseId,
      engine: source.engine,
      status: 'copying',
      outcome: this.faults.sharedCopyOutcome ?? 'available',
      durationMs: this.faults.sharedCopyMs,
      encryption,
      omitStorageEncryptionType: source.omitStorageEncryptionType,
      tags: [...(input.CopyTags ? source.tags : []), ...(input.Tags ?? [])],
      sourceArn: input.SourceDBClusterSnapshotIdentifier,
    });
    return { DBClusterSnapshot: this.track(s) };
  }

  private assertCopySlot(): void {
    const limit = this.faults.copiesInProgressLimit ?? COPIES_IN_PROGRESS_LIMIT;
    if (this.copiesInProgress() >= limit) {
      throw new SnapshotQuotaExceededFault({ message: `Cannot copy more than ${limit} snapshots at a time.`, $metadata: {} });
    }
  }

  /** An ARN of another account's resource, or of another Region: never one of this Region's own. */
  private foreign(idOrArn: string | undefined): boolean {
    const owner = accountOf(idOrArn);
    return (owner !== undefined && owner !== this.account) || inOtherRegion(idOrArn, this.region);
  }

  protected deleteSnapshot(input: { DBClusterSnapshotIdentifier?: string }) {
    const s = this.existing(input.DBClusterSnapshotIdentifier);
    if (s.status === 'creating') {
      throw new InvalidDBClusterSnapshotStateFault({ message: `Snapshot ${s.id} is being created.`, $metadata: {} });
    }
    const activeCopy = this.clusterBook.copiesInProgress().find((c) => c.copyOf === s.id);
    if (activeCopy) {
      throw new InvalidDBClusterSnapshotStateFault({ message: `Snapshot ${s.id} is the source of copy ${activeCopy.id} in progress.`, $metadata: {} });
    }
    failCopiesOf('cluster', snapshotArn(s.id, this.account, this.region), this.regionContext());
    this.clusterBook.remove(s); // deleting a copy target while copying cancels the copy
    return { DBClusterSnapshot: { ...this.view(s), Status: 'deleting' } };
  }

  protected modifyAttribute(input: ModifyDBClusterSnapshotAttributeMessage) {
    const s = this.existing(input.DBClusterSnapshotIdentifier);
    if (input.AttributeName !== 'restore') throw clientError('InvalidParameterValue', 'AttributeName must be restore');
    if (s.status !== 'available') throw new InvalidDBClusterSnapshotStateFault({ message: `Snapshot ${s.id} is ${s.status}.`, $metadata: {} });
    const adding = (input.ValuesToAdd ?? []).filter((v) => !s.restore.includes(v));
    assertShareable(s.encryption, s.id, adding);
    this.clusterBook.changeRestore(s, input.ValuesToAdd, input.ValuesToRemove);
    return { DBClusterSnapshotAttributesResult: attributesView(s) };
  }

  protected describeAttributes(input: { DBClusterSnapshotIdentifier?: string }) {
    return { DBClusterSnapshotAttributesResult: attributesView(this.existing(input.DBClusterSnapshotIdentifier)) };
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
    return this.view(this.clusterBook.track(s));
  }

  /** Notes the first time a caller saw the snapshot available. */
  private observe(view: DBClusterSnapshot): DBClusterSnapshot {
    const s = this.snapshots.get(view.DBClusterSnapshotIdentifier!);
    if (s) this.clusterBook.observe(s);
    return view;
  }

  /** Moves a snapshot on to its outcome once its time has come. */
  protected progress(s: Snapshot | undefined): void {
    this.clusterBook.progress(s);
  }

  protected view(s: Snapshot): DBClusterSnapshot {
    this.progress(s);
    return snapshotView(s, this.account, this.account, this.region);
  }
}

/** A cluster's engine as RDS reports it. */
export function engineOf(cluster: Pick<Cluster, 'engine'>): string {
  return cluster.engine ?? 'aurora-postgresql';
}

/**
 * Snapshots of Multi-AZ DB clusters (the non-Aurora engines) cannot be copied ("You can't copy a
 * snapshot of a Multi-AZ DB cluster": RDS User Guide, "Limitations of Multi-AZ DB clusters";
 * aws-facts.md). The error name and message are not documented: InvalidParameterValue is assumed.
 */
function assertCopyable(source: Snapshot): void {
  if (!source.engine.startsWith('aurora')) {
    throw clientError('InvalidParameterValue', `Copying a snapshot of a Multi-AZ DB cluster (${source.engine}) is not supported: ${source.id}`);
  }
}
