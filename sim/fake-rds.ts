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
  DescribeAccountAttributesCommand,
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
import type { AuthorizationRequest, IamPolicies, RequestContext } from './iam-policy';
import { seededRandom } from './prng';

/**
 * Who is making an SDK call, set by the simulation around each handler: the execution (or
 * 'starter') and the logical id of the Lambda function whose code runs.
 */
export const callContext = new AsyncLocalStorage<{ caller: string; functionId?: string }>();

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
/** The AWS SDK v3 standard retry mode: 3 attempts for throttling and transient server errors. */
const SDK_MAX_ATTEMPTS = 3;
const SDK_RETRYABLE = ['Throttling', 'ThrottlingException', 'InternalFailure', 'ServiceUnavailable'];

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
  /**
   * When set, every call made from a function's code (`callContext` names the function) is
   * authorized first against that function's role, as IAM would before RDS serves it.
   */
  public iam?: Pick<IamPolicies, 'authorize' | 'principalArn'>;

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
    this.route(DescribeAccountAttributesCommand, () => ({
      AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: this.manualSnapshotCount(), Max: this.faults.manualSnapshotQuota ?? 100 }],
    }));
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
      const functionId = callContext.getStore()?.functionId;
      const snapshot = (input as any).DBClusterSnapshotIdentifier ?? (input as any).TargetDBClusterSnapshotIdentifier;
      // The SDK's standard retry mode (3 attempts, full-jitter backoff from 100 ms) absorbs
      // throttling and 5xx before a handler sees them; mockClient bypasses it, so it is modelled here.
      for (let attempt = 1; ; attempt++) {
        try {
          if (this.iam && functionId) this.authorize(functionId, api, input);
          this.injectFaults(api);
          const out = fn(input);
          this.calls.push({ at: Date.now(), api, caller, snapshot });
          return { $metadata: {}, ...(out as object) };
        } catch (error) {
          const name = (error as Error).name;
          this.calls.push({ at: Date.now(), api, caller, snapshot, error: name });
          if (attempt >= SDK_MAX_ATTEMPTS || !SDK_RETRYABLE.includes(name)) throw error;
          await new Promise((resolve) => setTimeout(resolve, this.random() * Math.min(20_000, 100 * 2 ** attempt)));
        }
      }
    });
  }

  /** Throws AccessDenied unless the function's role allows every authorization the API requires. */
  private authorize(functionId: string, api: string, input: any): void {
    for (const request of this.authorizationRequests(api, input)) {
      const decision = this.iam!.authorize(functionId, request);
      if (decision.allowed) continue;
      const why = decision.deniedBy !== undefined
        ? 'with an explicit deny in an identity-based policy'
        : `because no identity-based policy allows the ${request.action} action`;
      throw new RDSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: `User: ${this.iam!.principalArn(functionId)} is not authorized to perform: ${request.action} on resource: ${request.resource} ${why}`,
      });
    }
  }

  /**
   * The (action, resource, context) triples IAM checks for one call, after the Service
   * Authorization Reference: the resource types each API authorizes, resource tags as
   * `aws:ResourceTag/…` and request tags as `aws:RequestTag/…`. Tagging on create or copy also
   * needs rds:AddTagsToResource on the new snapshot.
   */
  private authorizationRequests(api: string, input: any): AuthorizationRequest[] {
    const action = `rds:${api}`;
    const requestTags = requestTagContext(input.Tags);
    const tagging = (resource: string): AuthorizationRequest[] =>
      (input.Tags?.length ? [{ action: 'rds:AddTagsToResource', resource, context: requestTags }] : []);
    switch (api) {
      case 'CreateDBClusterSnapshot': {
        const target = snapshotArn(input.DBClusterSnapshotIdentifier);
        return [
          { action, resource: clusterArn(input.DBClusterIdentifier), context: { ...this.clusterTags(input.DBClusterIdentifier), ...requestTags } },
          { action, resource: target, context: requestTags },
          ...tagging(target),
        ];
      }
      case 'CopyDBClusterSnapshot': {
        const target = snapshotArn(input.TargetDBClusterSnapshotIdentifier);
        return [
          {
            action,
            resource: snapshotArn(input.SourceDBClusterSnapshotIdentifier),
            context: { ...this.snapshotTags(input.SourceDBClusterSnapshotIdentifier), ...requestTags },
          },
          { action, resource: target, context: requestTags },
          ...tagging(target),
        ];
      }
      case 'DeleteDBClusterSnapshot':
      case 'ModifyDBClusterSnapshotAttribute':
      case 'DescribeDBClusterSnapshotAttributes':
        return [this.onSnapshot(action, input.DBClusterSnapshotIdentifier)];
      case 'DescribeDBClusterSnapshots': {
        if (input.DBClusterSnapshotIdentifier) return [this.onSnapshot(action, input.DBClusterSnapshotIdentifier)];
        const clusterIds: string[] = input.Filters?.find((f: any) => f.Name === 'db-cluster-id')?.Values
          ?? (input.DBClusterIdentifier ? [input.DBClusterIdentifier] : ['*']);
        return clusterIds.map((id) => ({ action, resource: clusterArn(id), context: id === '*' ? {} : this.clusterTags(id) }));
      }
      case 'DescribeAccountAttributes':
        return [{ action, resource: '*' }];
      case 'DescribeDBClusters':
        return [input.DBClusterIdentifier
          ? { action, resource: clusterArn(input.DBClusterIdentifier), context: this.clusterTags(input.DBClusterIdentifier) }
          : { action, resource: clusterArn('*') }];
      default:
        throw new Error(`The simulator does not know what IAM authorizes for rds:${api}`);
    }
  }

  /** An action on an existing snapshot: its ARN, with its tags as `aws:ResourceTag/…`. */
  private onSnapshot(action: string, idOrArn: string): AuthorizationRequest {
    return { action, resource: snapshotArn(idOrArn), context: this.snapshotTags(idOrArn) };
  }

  private clusterTags(id: string | undefined): RequestContext {
    return resourceTagContext(toTags((id && this.clusters.get(id.toLowerCase())?.tags) || {}));
  }

  private snapshotTags(idOrArn: string | undefined): RequestContext {
    const id = idOrArn?.startsWith('arn:') ? idOrArn.split(':').pop() : idOrArn;
    return resourceTagContext((id && this.snapshots.get(id)?.tags) || []);
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

function clusterArn(id: string | undefined): string {
  return `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${String(id).toLowerCase()}`;
}

function snapshotArn(idOrArn: string | undefined): string {
  return idOrArn?.startsWith('arn:') ? idOrArn : `arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:${idOrArn}`;
}

function resourceTagContext(tags: Tag[]): RequestContext {
  return Object.fromEntries(tags.map((t) => [`aws:ResourceTag/${t.Key}`, t.Value ?? '']));
}

function requestTagContext(tags: Tag[] | undefined): RequestContext {
  return Object.fromEntries((tags ?? []).map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? '']));
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
