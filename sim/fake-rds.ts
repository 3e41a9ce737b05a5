import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DBClusterSnapshot,
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  DescribeOptionGroupsCommand,
  AddTagsToResourceCommand,
  ListTagsForResourceCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
  RemoveTagsFromResourceCommand,
  RDSClient,
  RDSServiceException,
  Tag,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { ACCOUNT, arnTypeOf, callContext, clusterArn, REGION, regionOf, snapshotArn, snapshotIdOf } from './aws-env';
import type { IamPolicies } from './iam-policy';
import { uncoveredMs } from './intervals';
import { seededRandom } from './prng';
import { authorizationRequests } from './rds-authorization';
import { databaseAuthorizationRequests } from './rds-database-authorization';
import { databaseHost, databaseRoutes } from './rds-database-routes';
import { RdsDatabases } from './rds-databases';
import { encryptionOf } from './rds-encryption';
import { clientRegion, inOtherRegion, RegionContext } from './rds-regions';
import { sharedSnapshot } from './rds-sharing';
import { RdsStore, engineOf } from './rds-store';
import { ClusterSpec, clientError, FaultOptions, RdsCall, toTags } from './rds-types';
import { accountQuotasView } from './rds-views';

export { ACCOUNT, REGION, callContext, AWS_MANAGED_RDS_KEY, AWS_MANAGED_RDS_ALIAS, AWS_OWNED_KEY } from './aws-env';
export type { ClusterSpec, FaultOptions, Outcome, RdsCall, SnapshotLifecycle } from './rds-types';
export type { InstanceSpec, OptionGroupSpec, OptionSpec } from './rds-instance-types';

/** The AWS SDK v3 standard retry mode: 3 attempts for throttling and transient server errors. */
const SDK_MAX_ATTEMPTS = 3;
const SDK_RETRYABLE = ['Throttling', 'ThrottlingException', 'InternalFailure', 'ServiceUnavailable'];

export interface FakeRdsOptions {
  /** The account this RDS serves. @default ACCOUNT */
  readonly account?: string;
  /** The Region this RDS serves (sim/rds-regions.ts). @default REGION */
  readonly region?: string;
  /** The account's RDS in its home Region, for a Region made by `inRegion` (internal). */
  readonly home?: FakeRds;
  /**
   * Mock RDSClient for this account alone. False when several accounts are simulated: a router
   * (sim/account-router.ts) then sends each call to the caller's account. @default true
   */
  readonly installMock?: boolean;
}

/** Serves one call in `region` (the calling client's; undefined: the home Region). */
type Route = (input: any, region?: string) => Promise<unknown>;

/**
 * A stateful in-memory RDS of one account and Region behind the handlers' real SDK v3 clients
 * (state and semantics in rds-store.ts; Regions in rds-regions.ts), with the SDK's retries,
 * injected faults, IAM checks per calling function, and what tests inspect. The home Region's
 * instance serves every call and hands those of a client configured with another Region to that
 * Region's instance (`inRegion`).
 */
export class FakeRds extends RdsStore {
  /** Every call, in every Region of the account (a Region's own instance shares its home's list). */
  public readonly calls: RdsCall[];
  /** The latest responses the fake returned, by API, for checking their fields against what handlers read. */
  public readonly responses: Map<string, unknown[]>;
  /** Each API's handling, by SDK command class, for a router to call. */
  public readonly routes = new Map<any, Route>();
  private readonly mock?: ReturnType<typeof mockClient>;
  private readonly random: () => number;
  /**
   * When set, every call made from a function's code (`callContext` names the function) is
   * authorized first against that function's role, as IAM would before RDS serves it.
   */
  public iam?: Pick<IamPolicies, 'authorize' | 'principalArn'>;
  /** Clusters restored from snapshots, their instances, renames and deletions (sim/rds-databases.ts). */
  public readonly databases: RdsDatabases;

  private readonly seed: number;
  private readonly home?: FakeRds;
  /** The other Regions' instances, on the home one. */
  private readonly regional = new Map<string, FakeRds>();

  constructor(seed = 1, faults: FaultOptions = {}, options: FakeRdsOptions = {}) {
    super(faults, options.account ?? ACCOUNT, options.region ?? REGION);
    this.seed = seed;
    this.home = options.home;
    this.homeStore = options.home;
    this.calls = options.home?.calls ?? [];
    this.responses = options.home?.responses ?? new Map();
    this.random = seededRandom(seed);
    if ((options.installMock ?? true) && !options.home) this.mock = mockClient(RDSClient);
    this.route(DescribeDBClustersCommand, (input) => this.describeClusters(input));
    this.route(DescribeDBClusterSnapshotsCommand, (input) => this.describeSnapshots(input));
    this.route(CreateDBClusterSnapshotCommand, (input) => this.createSnapshot(input));
    this.route(CopyDBClusterSnapshotCommand, (input) => this.copySnapshot(input));
    this.route(DeleteDBClusterSnapshotCommand, (input) => this.deleteSnapshot(input));
    this.route(ModifyDBClusterSnapshotAttributeCommand, (input) => this.modifyAttribute(input));
    this.route(DescribeDBClusterSnapshotAttributesCommand, (input) => this.describeAttributes(input));
    this.route(AddTagsToResourceCommand, (input) => this.addTags(input));
    this.route(RemoveTagsFromResourceCommand, (input) => this.removeTags(input));
    this.route(ListTagsForResourceCommand, (input) => this.listTags(input));
    this.route(DescribeDBInstancesCommand, (input) => this.instances.describeInstances(input));
    this.route(DescribeOptionGroupsCommand, (input) => this.instances.describeOptionGroups(input));
    this.route(DescribeDBSnapshotsCommand, (input) => this.instances.describeSnapshots(input));
    this.route(CreateDBSnapshotCommand, (input) => this.instances.createSnapshot(input));
    this.route(CopyDBSnapshotCommand, (input) => this.instances.copySnapshot(input));
    this.route(DeleteDBSnapshotCommand, (input) => this.instances.deleteSnapshot(input));
    this.route(ModifyDBSnapshotAttributeCommand, (input) => this.instances.modifyAttribute(input));
    this.route(DescribeDBSnapshotAttributesCommand, (input) => this.instances.describeAttributes(input));
    this.route(DescribeAccountAttributesCommand, () => ({
      AccountQuotas: accountQuotasView({ used: this.manualSnapshotCount(), max: this.faults.manualSnapshotQuota ?? 100 }, this.instances.quota()),
    }));
    this.databases = new RdsDatabases(databaseHost({
      store: this,
      kms: this.kms,
      specClusterHolds: (id) => this.clusters.has(id),
      addSnapshot: (id, clusterId, engine, rest) => this.track(this.clusterBook.create({ id, databaseId: clusterId, engine, status: 'creating', outcome: 'available', ...rest })),
    }));
    const others = { clusters: (input: any) => this.describeClusters(input), instances: (input: any) => this.instances.describeInstances(input) };
    for (const [command, serve] of databaseRoutes(this.databases, others)) this.route(command, serve);
  }

  /** Sets the faults of this Region; on the home Region, of every Region too. */
  public setFaults(faults: FaultOptions): void {
    this.faults = faults;
    for (const other of this.regional.values()) other.setFaults(faults);
  }

  /**
   * This account's RDS in `region`, made on first use with the home Region's faults (or `faults`
   * for that Region alone): its own clusters, snapshots, copy limits and KMS keys (rds-regions.ts).
   */
  public inRegion(region: string, faults?: FaultOptions): FakeRds {
    const home = this.home ?? this;
    if (region === home.region) return home;
    let rds = home.regional.get(region);
    if (!rds) {
      rds = new FakeRds(home.seed + home.regional.size + 1, faults ?? home.faults, { account: home.account, region, home, installMock: false });
      home.regional.set(region, rds);
    } else if (faults) {
      rds.faults = faults;
    }
    return rds;
  }

  /** The Regions this account's RDS has been used in, the home Region first. */
  public regions(): string[] {
    const home = this.home ?? this;
    return [home.region, ...home.regional.keys()];
  }

  protected override regionContext(): RegionContext {
    return {
      account: this.account,
      region: this.region,
      bookOf: (kind) => this.bookOf(kind),
      peer: (region) => this.inRegion(region),
      peers: () => this.regions().map((region) => this.inRegion(region)),
    };
  }

  public addCluster(spec: ClusterSpec): void {
    const id = spec.identifier.toLowerCase();
    // A cluster reports its key ARN, never an alias (aws-facts.md, "KMS key forms").
    const kmsKeyId = typeof spec.kmsKeyId === 'string' ? this.kms.resolve(spec.kmsKeyId) : spec.kmsKeyId;
    this.clusters.set(id, { ...spec, identifier: id, arn: clusterArn(id, this.account, this.region), encryption: encryptionOf(kmsKeyId) });
  }

  public updateCluster(identifier: string, changes: Partial<ClusterSpec>): void {
    const current = this.clusters.get(identifier)!;
    const encryption = 'kmsKeyId' in changes ? encryptionOf(changes.kmsKeyId) : current.encryption;
    this.clusters.set(identifier, { ...current, ...changes, encryption });
  }

  /** A snapshot made by someone else (a user, AWS Backup): the construct must never touch it. */
  public addForeignSnapshot(id: string, clusterId: string, tags: Record<string, string> = {}): void {
    const cluster = this.clusters.get(clusterId);
    this.clusterBook.put({
      ...this.clusterBook.create({
        id,
        databaseId: clusterId,
        engine: engineOf(cluster ?? {}),
        status: 'creating',
        outcome: 'available',
        durationMs: 0,
        encryption: cluster?.encryption ?? encryptionOf(undefined),
        tags: toTags(tags),
      }),
      status: 'available',
      visibleAt: Date.now(),
    });
  }

  /** Every snapshot of a cluster, as DescribeDBClusterSnapshots will show it once visible. */
  public snapshotsOf(clusterId: string): DBClusterSnapshot[] {
    return [...this.snapshots.values()].filter((s) => s.databaseId === clusterId).map((s) => this.view(s));
  }

  public snapshot(id: string): DBClusterSnapshot | undefined {
    const s = this.snapshots.get(id);
    return s && this.view(s);
  }

  public restoreAccounts(id: string): string[] {
    return [...(this.snapshots.get(id)?.restore ?? [])];
  }

  /** Sets the restore attribute directly, as a user in the console would. */
  public setRestoreAccounts(id: string, accounts: string[]): void {
    this.snapshots.get(id)!.restore = [...accounts];
  }

  /** The virtual time a snapshot became available, for detection latency. */
  public availableAt(id: string): number | undefined {
    const s = this.snapshots.get(id);
    this.progress(s);
    return s && s.outcome === 'available' && s.readyAt !== undefined && s.readyAt <= Date.now() ? s.readyAt : undefined;
  }

  /**
   * How long, within [from, to], the cluster (or with `kind` 'instance', the DB instance) had no
   * snapshot that the target accounts could restore: shared (restore attribute set) and not deleted.
   */
  public unsharedWindowMs(clusterId: string, from: number, to: number, kind: 'cluster' | 'instance' = 'cluster'): number {
    const lifecycles = kind === 'cluster' ? this.lifecycles : this.instances.lifecycles;
    const shared = [...lifecycles.values()].filter((l) => l.clusterId === clusterId && l.sharedAt !== undefined);
    return uncoveredMs(shared.map((l) => [l.sharedAt!, l.deletedAt ?? to] as const), from, to);
  }

  public restore(): void {
    this.mock?.restore();
  }

  private route(command: any, fn: (input: any) => unknown): void {
    const served: Route = async (input: any, region?: string) => {
      if (region !== undefined && region !== this.region) return this.inRegion(region).routes.get(command)!(input);
      const api = String(command.name).replace(/Command$/, '');
      const caller = callContext.getStore()?.caller ?? 'unknown';
      const functionId = callContext.getStore()?.functionId;
      const snapshot = input.DBClusterSnapshotIdentifier ?? input.TargetDBClusterSnapshotIdentifier
        ?? input.DBSnapshotIdentifier ?? input.TargetDBSnapshotIdentifier;
      // The SDK's standard retry mode (3 attempts, full-jitter backoff from 100 ms) absorbs
      // throttling and 5xx before a handler sees them; mockClient bypasses it, so it is modelled here.
      for (let attempt = 1; ; attempt++) {
        try {
          const iam = (this.home ?? this).iam;
          if (iam && functionId) this.authorize(iam, functionId, api, input);
          this.injectFaults(api);
          this.databases.injectFault(api, input);
          const out = fn(input);
          this.calls.push({ at: Date.now(), api, caller, functionId, snapshot, ...this.regionField() });
          this.responses.set(api, [...(this.responses.get(api) ?? []).slice(-20), out]);
          return { $metadata: {}, ...(out as object) };
        } catch (error) {
          const name = (error as Error).name;
          this.calls.push({ at: Date.now(), api, caller, functionId, snapshot, error: name, ...this.regionField() });
          if (attempt >= SDK_MAX_ATTEMPTS || !SDK_RETRYABLE.includes(name)) throw error;
          await new Promise((resolve) => setTimeout(resolve, this.random() * Math.min(20_000, 100 * 2 ** attempt)));
        }
      }
    };
    this.routes.set(command, served);
    // The calling client's configured Region routes the call (rds-regions.ts, `clientRegion`).
    this.mock?.on(command).callsFake(async (input: any, getClient: any) => served(input, await clientRegion(getClient)));
  }

  /** A call's Region, recorded when it is not the home Region. */
  private regionField(): { region?: string } {
    return this.home ? { region: this.region } : {};
  }

  /**
   * Throws AccessDenied unless the function's role allows every authorization the API requires.
   * `aws:RequestedRegion` is the Region the call is made in (IAM User Guide, global condition keys).
   */
  private authorize(iam: NonNullable<FakeRds['iam']>, functionId: string, api: string, input: any): void {
    const tags = {
      clusterTags: (id: string | undefined) => this.databases.cluster(id)?.tags ?? toTags((id && this.clusters.get(id.toLowerCase())?.tags) || {}),
      snapshotTags: (idOrArn: string | undefined): Tag[] => this.databases.taggable(idOrArn)?.tags ?? this.snapshotFor(idOrArn)?.tags ?? [],
      instanceTags: (id: string | undefined): Tag[] => this.databases.instance(id)?.tags ?? this.instances.tagsOf(id),
      dbSnapshotTags: (idOrArn: string | undefined): Tag[] => this.instances.snapshotFor(idOrArn)?.tags ?? [],
    };
    const lookup = {
      tagsOf: (arn: string) => this.databases.taggable(arn)?.tags ?? [],
      snapshotArn: (id: string) => snapshotArn(id, this.account, this.region),
      snapshotTags: tags.snapshotTags,
    };
    const requests = databaseAuthorizationRequests(api, input, this.account, lookup)
      ?? authorizationRequests(api, input, tags, this.account, this.region);
    for (const found of requests) {
      const request = { ...found, context: { ...found.context, 'aws:RequestedRegion': this.region } };
      const decision = iam.authorize(functionId, request);
      if (decision.allowed) continue;
      const why = decision.deniedBy !== undefined
        ? 'with an explicit deny in an identity-based policy'
        : `because no identity-based policy allows the ${request.action} action`;
      throw new RDSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: `User: ${iam.principalArn(functionId)} is not authorized to perform: ${request.action} on resource: ${request.resource} ${why}`,
      });
    }
  }

  /**
   * AddTagsToResource / RemoveTagsFromResource / ListTagsForResource on this account's cluster
   * snapshots and DB snapshots by ARN (SDK model: `ResourceName` is an ARN; a tag key set again
   * takes the new value). Tags of other resources are not modelled.
   */
  private addTags(input: { ResourceName?: string; Tags?: Tag[] }) {
    const s = this.taggable(input.ResourceName);
    for (const tag of input.Tags ?? []) s.tags = [...s.tags.filter((t) => t.Key !== tag.Key), { Key: tag.Key, Value: tag.Value }];
    return {};
  }

  private removeTags(input: { ResourceName?: string; TagKeys?: string[] }) {
    const s = this.taggable(input.ResourceName);
    s.tags = s.tags.filter((t) => !(input.TagKeys ?? []).includes(t.Key ?? ''));
    return {};
  }

  private listTags(input: { ResourceName?: string }) {
    return { TagList: this.taggable(input.ResourceName).tags.map((t) => ({ ...t })) };
  }

  private taggable(resourceName: string | undefined): { tags: Tag[] } {
    const database = this.databases.taggable(resourceName);
    if (database) return database;
    const type = arnTypeOf(resourceName);
    if (!resourceName?.startsWith(`arn:aws:rds:${this.region}:${this.account}:`) || (type !== 'cluster-snapshot' && type !== 'snapshot')) {
      throw clientError('InvalidParameterValue', `The simulator tags only this account's cluster snapshots, DB snapshots and restored databases, by ARN: ${resourceName}`);
    }
    return type === 'snapshot' ? this.instances.taggable(resourceName) : this.existing(resourceName);
  }

  /** A snapshot of this account (in this Region, or by ARN in another), or one another account shares with it. */
  private snapshotFor(idOrArn: string | undefined) {
    if (inOtherRegion(idOrArn, this.region)) return this.inRegion(regionOf(idOrArn)!).snapshots.get(snapshotIdOf(idOrArn) ?? '');
    return sharedSnapshot(this.network, this.account, idOrArn, 'cluster', this.region)?.snapshot ?? this.snapshots.get(snapshotIdOf(idOrArn) ?? '');
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
}
