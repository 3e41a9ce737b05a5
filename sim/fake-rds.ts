import { AsyncLocalStorage } from 'async_hooks';
import {
  CopyDBClusterSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  DBCluster,
  DBClusterNotFoundFault,
  DBClusterSnapshot,
  DBClusterSnapshotAlreadyExistsFault,
  DBClusterSnapshotNotFoundFault,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  InvalidDBClusterSnapshotStateFault,
  InvalidDBClusterStateFault,
  KMSKeyNotAccessibleFault,
  ModifyDBClusterSnapshotAttributeCommand,
  RDSClient,
  RDSServiceException,
  SharedSnapshotQuotaExceededFault,
  SnapshotQuotaExceededFault,
  Tag,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { seededRandom } from './prng';

/** Which execution (or the starter) is making an SDK call; set by the simulation around each handler. */
export const callContext = new AsyncLocalStorage<{ caller: string }>();

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
/** The AWS-managed `aws/rds` key: snapshots encrypted with it cannot be shared. */
export const AWS_MANAGED_RDS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/aws-rds-managed-key`;

export type Outcome = 'available' | 'failed' | 'stuck';

export interface ClusterSpec {
  readonly identifier: string;
  /** A key ARN, or undefined for an unencrypted cluster. @default the AWS-managed aws/rds key */
  readonly kmsKeyId?: string | null;
  readonly tags?: Record<string, string>;
  /** How long a snapshot of this cluster takes. @default 10 minutes */
  readonly snapshotMs?: number;
  /** How long a copy of its snapshot takes. @default 10 minutes */
  readonly copyMs?: number;
  readonly snapshotOutcome?: Outcome;
  readonly copyOutcome?: Outcome;
  /** The cluster is `backing-up` until this virtual time. */
  readonly busyUntil?: number;
}

interface Snapshot {
  id: string;
  clusterId: string;
  type: 'manual' | 'automated';
  status: string;
  createdAt: number;
  /** When it leaves creating/copying; undefined while stuck. */
  readyAt?: number;
  outcome: Outcome;
  kmsKeyId?: string;
  tags: Tag[];
  restore: string[];
  /** Source snapshot id while this is a copy in progress. */
  copyOf?: string;
}

export interface RdsCall {
  readonly at: number;
  readonly api: string;
  readonly caller: string;
  readonly snapshot?: string;
  readonly error?: string;
}

/** What happened to one snapshot, kept after it is deleted. */
export interface SnapshotLifecycle {
  readonly id: string;
  readonly clusterId: string;
  readonly createdBy: string;
  readonly createdAt: number;
  /** When it became available (its copy or creation finished). */
  availableAt?: number;
  /** When a Describe call first showed it available: the workflow's detection. */
  observedAvailableAt?: number;
  /** When a target account was first added to its restore attribute. */
  sharedAt?: number;
  deletedAt?: number;
}

export interface FaultOptions {
  /** Share of calls (0-1) that fail with `Throttling`, for every API or per API name. */
  readonly throttleRate?: number | Record<string, number>;
  /** Throttling applies only inside this virtual time window. */
  readonly throttleWindow?: { from: number; to: number };
  /** Share of calls that fail with a transient 5xx `InternalFailure`. */
  readonly serverErrorRate?: number;
  /** Keys RDS cannot use (KMSKeyNotAccessibleFault on copy). */
  readonly inaccessibleKeys?: string[];
  /** Manual cluster snapshot quota for the Region. @default 100 */
  readonly manualSnapshotQuota?: number;
  /** Accounts a snapshot may be shared with. @default 20 */
  readonly sharedAccountsQuota?: number;
}

const DEFAULT_DURATION_MS = 10 * 60_000;

/**
 * A stateful in-memory RDS behind the handlers' real SDK v3 clients: clusters, snapshots that
 * progress on the virtual clock, the restore attribute, quotas and the documented error names.
 */
export class FakeRds {
  public readonly calls: RdsCall[] = [];
  public readonly lifecycles = new Map<string, SnapshotLifecycle>();
  private readonly clusters = new Map<string, ClusterSpec & { arn: string }>();
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly mock = mockClient(RDSClient);
  private readonly random: () => number;
  private faults: FaultOptions;

  constructor(seed = 1, faults: FaultOptions = {}) {
    this.random = seededRandom(seed);
    this.faults = faults;
    this.route(DescribeDBClustersCommand, (input) => this.describeClusters(input));
    this.route(DescribeDBClusterSnapshotsCommand, (input) => this.describeSnapshots(input));
    this.route(CreateDBClusterSnapshotCommand, (input) => this.createSnapshot(input));
    this.route(CopyDBClusterSnapshotCommand, (input) => this.copySnapshot(input));
    this.route(DeleteDBClusterSnapshotCommand, (input) => this.deleteSnapshot(input));
    this.route(ModifyDBClusterSnapshotAttributeCommand, (input) => this.modifyAttribute(input));
    this.route(DescribeDBClusterSnapshotAttributesCommand, (input) => this.describeAttributes(input));
  }

  public setFaults(faults: FaultOptions): void {
    this.faults = faults;
  }

  public addCluster(spec: ClusterSpec): void {
    const id = spec.identifier.toLowerCase();
    this.clusters.set(id, { kmsKeyId: AWS_MANAGED_RDS_KEY, ...spec, identifier: id, arn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${id}` });
  }

  public updateCluster(identifier: string, changes: Partial<ClusterSpec>): void {
    const current = this.clusters.get(identifier)!;
    this.clusters.set(identifier, { ...current, ...changes });
  }

  /** A snapshot made by someone else (a user, AWS Backup): the construct must never touch it. */
  public addForeignSnapshot(id: string, clusterId: string, tags: Record<string, string> = {}): void {
    this.snapshots.set(id, {
      id,
      clusterId,
      type: 'manual',
      status: 'available',
      createdAt: Date.now(),
      readyAt: Date.now(),
      outcome: 'available',
      kmsKeyId: this.clusters.get(clusterId)?.kmsKeyId ?? undefined,
      tags: toTags(tags),
      restore: [],
    });
  }

  /** Every snapshot of a cluster, as DescribeDBClusterSnapshots would show it now. */
  public snapshotsOf(clusterId: string): DBClusterSnapshot[] {
    return [...this.snapshots.values()].filter((s) => s.clusterId === clusterId).map((s) => this.view(s));
  }

  public snapshot(id: string): DBClusterSnapshot | undefined {
    const s = this.snapshots.get(id);
    return s && this.view(s);
  }

  public restoreAccounts(id: string): string[] {
    return [...(this.snapshots.get(id)?.restore ?? [])];
  }

  /** The virtual time a snapshot became available, for detection latency. */
  public availableAt(id: string): number | undefined {
    const s = this.snapshots.get(id);
    this.progress(s);
    return s && s.outcome === 'available' && s.readyAt !== undefined && s.readyAt <= Date.now() ? s.readyAt : undefined;
  }

  /**
   * How long, within [from, to], the cluster had no snapshot that the target accounts could restore:
   * shared (restore attribute set) and not deleted. Snapshots shared before the simulation started
   * (seeded by `addSharedSnapshot`) count from their seeding.
   */
  public unsharedWindowMs(clusterId: string, from: number, to: number): number {
    const intervals = [...this.lifecycles.values()]
      .filter((l) => l.clusterId === clusterId && l.sharedAt !== undefined)
      .map((l) => [Math.max(l.sharedAt!, from), Math.min(l.deletedAt ?? to, to)] as const)
      .filter(([a, b]) => b > a)
      .sort((x, y) => x[0] - y[0]);
    let covered = 0;
    let cursor = from;
    for (const [a, b] of intervals) {
      if (b <= cursor) continue;
      covered += b - Math.max(a, cursor);
      cursor = b;
    }
    return to - from - covered;
  }

  public manualSnapshotCount(): number {
    return [...this.snapshots.values()].filter((s) => s.type === 'manual').length;
  }

  public restore(): void {
    this.mock.restore();
  }

  private route(command: any, fn: (input: any) => unknown): void {
    this.mock.on(command).callsFake(async (input: any) => {
      const api = String(command.name).replace(/Command$/, '');
      const caller = callContext.getStore()?.caller ?? 'unknown';
      const snapshot = (input as any).DBClusterSnapshotIdentifier ?? (input as any).TargetDBClusterSnapshotIdentifier;
      try {
        this.injectFaults(api);
        const out = fn(input);
        this.calls.push({ at: Date.now(), api, caller, snapshot });
        return { $metadata: {}, ...(out as object) };
      } catch (error) {
        this.calls.push({ at: Date.now(), api, caller, snapshot, error: (error as Error).name });
        throw error;
      }
    });
  }

  private injectFaults(api: string): void {
    const window = this.faults.throttleWindow;
    const inWindow = !window || (Date.now() >= window.from && Date.now() < window.to);
    const rate = typeof this.faults.throttleRate === 'number' ? this.faults.throttleRate : this.faults.throttleRate?.[api] ?? 0;
    if (inWindow && rate > 0 && this.random() < rate) {
      throw clientError('Throttling', 'Rate exceeded');
    }
    if ((this.faults.serverErrorRate ?? 0) > 0 && this.random() < this.faults.serverErrorRate!) {
      throw new RDSServiceException({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 }, message: 'Internal failure' });
    }
  }

  private cluster(id: string | undefined): ClusterSpec & { arn: string } {
    const cluster = id ? this.clusters.get(id.toLowerCase()) : undefined;
    if (!cluster) throw new DBClusterNotFoundFault({ message: `DBCluster ${id} not found.`, $metadata: {} });
    return cluster;
  }

  private clusterStatus(c: ClusterSpec): string {
    if (c.busyUntil !== undefined && Date.now() < c.busyUntil) return 'backing-up';
    return 'available';
  }

  private describeClusters(input: { DBClusterIdentifier?: string; Marker?: string; MaxRecords?: number }) {
    if (input.DBClusterIdentifier) {
      return { DBClusters: [this.clusterView(this.cluster(input.DBClusterIdentifier))] };
    }
    return page([...this.clusters.values()].map((c) => this.clusterView(c)), input.Marker, input.MaxRecords ?? 100, 'DBClusters');
  }

  private clusterView(c: ClusterSpec & { arn: string }): DBCluster {
    return {
      DBClusterIdentifier: c.identifier,
      DBClusterArn: c.arn,
      Status: this.clusterStatus(c),
      Engine: 'aurora-postgresql',
      StorageEncrypted: !!c.kmsKeyId,
      KmsKeyId: c.kmsKeyId ?? undefined,
      TagList: toTags(c.tags ?? {}),
    };
  }

  private describeSnapshots(input: {
    DBClusterSnapshotIdentifier?: string;
    DBClusterIdentifier?: string;
    Filters?: { Name: string; Values: string[] }[];
    Marker?: string;
    MaxRecords?: number;
  }) {
    if (input.DBClusterSnapshotIdentifier) {
      if (input.DBClusterIdentifier) throw clientError('InvalidParameterCombination', 'Cannot combine identifiers');
      const s = this.snapshots.get(input.DBClusterSnapshotIdentifier);
      if (!s) throw new DBClusterSnapshotNotFoundFault({ message: `DBClusterSnapshot ${input.DBClusterSnapshotIdentifier} not found.`, $metadata: {} });
      return { DBClusterSnapshots: [this.observe(this.view(s))] };
    }
    const maxRecords = input.MaxRecords ?? 100;
    if (maxRecords < 20 || maxRecords > 100) throw clientError('InvalidParameterValue', 'MaxRecords must be 20-100');
    const filter = (name: string) => input.Filters?.find((f) => f.Name === name)?.Values;
    const clusterIds = filter('db-cluster-id') ?? (input.DBClusterIdentifier ? [input.DBClusterIdentifier] : undefined);
    const types = filter('snapshot-type');
    const matching = [...this.snapshots.values()]
      .filter((s) => !clusterIds || clusterIds.includes(s.clusterId))
      .filter((s) => !types || types.includes(s.type))
      .map((s) => this.observe(this.view(s)));
    return page(matching, input.Marker, maxRecords, 'DBClusterSnapshots');
  }

  private createSnapshot(input: { DBClusterIdentifier: string; DBClusterSnapshotIdentifier: string; Tags?: Tag[] }) {
    const cluster = this.cluster(input.DBClusterIdentifier);
    this.assertNewSnapshot(input.DBClusterSnapshotIdentifier);
    if (this.clusterStatus(cluster) !== 'available') {
      throw new InvalidDBClusterStateFault({ message: `DBCluster ${cluster.identifier} is not in the available state.`, $metadata: {} });
    }
    const outcome = cluster.snapshotOutcome ?? 'available';
    const s: Snapshot = {
      id: input.DBClusterSnapshotIdentifier,
      clusterId: cluster.identifier,
      type: 'manual',
      status: 'creating',
      createdAt: Date.now(),
      readyAt: outcome === 'stuck' ? undefined : Date.now() + (cluster.snapshotMs ?? DEFAULT_DURATION_MS),
      outcome,
      kmsKeyId: cluster.kmsKeyId ?? undefined,
      tags: [...(input.Tags ?? [])],
      restore: [],
    };
    this.track(s);
    return { DBClusterSnapshot: this.view(s) };
  }

  private copySnapshot(input: {
    SourceDBClusterSnapshotIdentifier: string;
    TargetDBClusterSnapshotIdentifier: string;
    KmsKeyId?: string;
    CopyTags?: boolean;
    Tags?: Tag[];
  }) {
    const source = this.snapshots.get(input.SourceDBClusterSnapshotIdentifier);
    if (!source) throw new DBClusterSnapshotNotFoundFault({ message: `DBClusterSnapshot ${input.SourceDBClusterSnapshotIdentifier} not found.`, $metadata: {} });
    this.progress(source);
    if (source.status !== 'available') {
      throw new InvalidDBClusterSnapshotStateFault({ message: `Snapshot ${source.id} is ${source.status}, not available.`, $metadata: {} });
    }
    this.assertNewSnapshot(input.TargetDBClusterSnapshotIdentifier);
    if (input.KmsKeyId && !source.kmsKeyId) {
      throw clientError('InvalidParameterCombination', 'Cannot encrypt an unencrypted snapshot on copy.');
    }
    if (input.KmsKeyId && this.faults.inaccessibleKeys?.includes(input.KmsKeyId)) {
      throw new KMSKeyNotAccessibleFault({ message: `The specified KMS key ${input.KmsKeyId} is not accessible.`, $metadata: {} });
    }
    const cluster = this.clusters.get(source.clusterId);
    const outcome = cluster?.copyOutcome ?? 'available';
    const s: Snapshot = {
      id: input.TargetDBClusterSnapshotIdentifier,
      clusterId: source.clusterId,
      type: 'manual',
      status: 'copying',
      createdAt: Date.now(),
      readyAt: outcome === 'stuck' ? undefined : Date.now() + (cluster?.copyMs ?? DEFAULT_DURATION_MS),
      outcome,
      kmsKeyId: input.KmsKeyId ?? source.kmsKeyId,
      tags: [...(input.CopyTags ? source.tags : []), ...(input.Tags ?? [])],
      restore: [],
      copyOf: source.id,
    };
    this.track(s);
    return { DBClusterSnapshot: this.view(s) };
  }

  private deleteSnapshot(input: { DBClusterSnapshotIdentifier: string }) {
    const s = this.snapshots.get(input.DBClusterSnapshotIdentifier);
    if (!s) throw new DBClusterSnapshotNotFoundFault({ message: `DBClusterSnapshot ${input.DBClusterSnapshotIdentifier} not found.`, $metadata: {} });
    this.progress(s);
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

  private modifyAttribute(input: { DBClusterSnapshotIdentifier: string; AttributeName: string; ValuesToAdd?: string[]; ValuesToRemove?: string[] }) {
    const s = this.snapshots.get(input.DBClusterSnapshotIdentifier);
    if (!s) throw new DBClusterSnapshotNotFoundFault({ message: `DBClusterSnapshot ${input.DBClusterSnapshotIdentifier} not found.`, $metadata: {} });
    this.progress(s);
    if (input.AttributeName !== 'restore') throw clientError('InvalidParameterValue', 'AttributeName must be restore');
    if (s.status !== 'available') throw new InvalidDBClusterSnapshotStateFault({ message: `Snapshot ${s.id} is ${s.status}.`, $metadata: {} });
    if (s.kmsKeyId === AWS_MANAGED_RDS_KEY) {
      throw clientError('InvalidParameterValue', 'Snapshots encrypted with the AWS-managed key cannot be shared.');
    }
    const next = new Set(s.restore);
    for (const v of input.ValuesToAdd ?? []) next.add(v);
    for (const v of input.ValuesToRemove ?? []) next.delete(v);
    if (next.has('all') && s.kmsKeyId) throw clientError('InvalidParameterValue', 'Encrypted snapshots cannot be public.');
    if (next.size > (this.faults.sharedAccountsQuota ?? 20)) {
      throw new SharedSnapshotQuotaExceededFault({ message: 'Too many accounts share this snapshot.', $metadata: {} });
    }
    s.restore = [...next];
    const life = this.lifecycles.get(s.id);
    if (life && life.sharedAt === undefined && s.restore.length > 0) life.sharedAt = Date.now();
    return { DBClusterSnapshotAttributesResult: this.attributes(s) };
  }

  private describeAttributes(input: { DBClusterSnapshotIdentifier: string }) {
    const s = this.snapshots.get(input.DBClusterSnapshotIdentifier);
    if (!s) throw new DBClusterSnapshotNotFoundFault({ message: `DBClusterSnapshot ${input.DBClusterSnapshotIdentifier} not found.`, $metadata: {} });
    return { DBClusterSnapshotAttributesResult: this.attributes(s) };
  }

  private attributes(s: Snapshot) {
    return { DBClusterSnapshotIdentifier: s.id, DBClusterSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [...s.restore] }] };
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

  private track(s: Snapshot): void {
    this.snapshots.set(s.id, s);
    this.lifecycles.set(s.id, { id: s.id, clusterId: s.clusterId, createdBy: callContext.getStore()?.caller ?? 'unknown', createdAt: s.createdAt });
  }

  /** Notes the first time a caller saw the snapshot available. */
  private observe(view: DBClusterSnapshot): DBClusterSnapshot {
    const life = this.lifecycles.get(view.DBClusterSnapshotIdentifier!);
    if (life && view.Status === 'available' && life.observedAvailableAt === undefined) life.observedAvailableAt = Date.now();
    return view;
  }

  /** Moves a snapshot on to its outcome once its time has come. */
  private progress(s: Snapshot | undefined): void {
    if (!s || (s.status !== 'creating' && s.status !== 'copying')) return;
    if (s.readyAt !== undefined && Date.now() >= s.readyAt) {
      s.status = s.outcome;
      s.copyOf = undefined;
      const life = this.lifecycles.get(s.id);
      if (life && s.outcome === 'available') life.availableAt = s.readyAt;
    }
  }

  private view(s: Snapshot): DBClusterSnapshot {
    this.progress(s);
    return {
      DBClusterSnapshotIdentifier: s.id,
      DBClusterIdentifier: s.clusterId,
      DBClusterSnapshotArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:${s.id}`,
      SnapshotType: s.type,
      Status: s.status,
      SnapshotCreateTime: new Date(s.createdAt),
      PercentProgress: s.status === 'available' ? 100 : 0,
      StorageEncrypted: !!s.kmsKeyId,
      KmsKeyId: s.kmsKeyId,
      TagList: s.tags.map((t) => ({ ...t })),
    };
  }
}

function toTags(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function page<T>(items: T[], marker: string | undefined, maxRecords: number, key: string): Record<string, unknown> {
  const start = marker ? Number(marker) : 0;
  const next = start + maxRecords;
  return { [key]: items.slice(start, next), Marker: next < items.length ? String(next) : undefined };
}

/** An RDS error the SDK has no class for; `name` is what handlers and Retry/Catch match on. */
function clientError(name: string, message: string): RDSServiceException {
  return new RDSServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
}
