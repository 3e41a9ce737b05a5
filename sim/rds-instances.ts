/**
 * RDS DB instances, their DB snapshots (manual and automated) and option groups, in one account:
 * the instance counterparts of the cluster calls (RDS API Reference: CreateDBSnapshot,
 * CopyDBSnapshot, DescribeDBSnapshots, DeleteDBSnapshot, ModifyDBSnapshotAttribute,
 * DescribeDBSnapshotAttributes, DescribeDBInstances, DescribeOptionGroups; errors as each
 * command's `@throws` in @aws-sdk/client-rds lists them), and the facts of aws-facts.md, "DB
 * instances and Multi-AZ DB clusters". Sources per behaviour below; unconfirmed ones say so.
 */
import {
  CopyDBSnapshotMessage, CreateDBSnapshotMessage, DBInstanceNotFoundFault, DBSnapshot, DBSnapshotAlreadyExistsFault, DBSnapshotNotFoundFault,
  DescribeDBInstancesMessage,
  DescribeDBSnapshotsMessage, InvalidDBInstanceStateFault, InvalidDBSnapshotStateFault, ModifyDBSnapshotAttributeMessage, OptionGroupNotFoundFault,
  SnapshotQuotaExceededFault,
} from '@aws-sdk/client-rds';
import { accountOf, dbSnapshotArn, instanceArn, regionOf, snapshotIdOf } from './aws-env';
import { assertShareable, copyEncryption, encryptionOf, KmsKeys } from './rds-encryption';
import { defaultOptionGroupName, Instance, InstanceSpec, OptionGroupSpec, OptionSpec } from './rds-instance-types';
import { dbAttributesView, dbSnapshotView, instanceView, optionGroupView } from './rds-instance-views';
import { CROSS_REGION_COPY_MS, crossRegionSource, failCopiesOf, inOtherRegion, RegionContext } from './rds-regions';
import { assertSharedCopy, RdsNetwork, sharedSnapshot, sharedWith } from './rds-sharing';
import { SnapshotBook } from './rds-snapshot-book';
import { clientError, FaultOptions, page, Snapshot, SnapshotLifecycle, toTags } from './rds-types';

/** "You can have up to 20 snapshot copy requests in progress to a single destination Region per account" (RDS User Guide, "Copying a DB snapshot"). */
export const INSTANCE_COPIES_IN_PROGRESS_LIMIT = 20;
/** RDS User Guide, "Quotas in Amazon RDS": 100 manual DB instance snapshots per Region (adjustable). */
export const MANUAL_INSTANCE_SNAPSHOT_QUOTA = 100;
/** The filters DescribeDBSnapshots supports (SDK model text of DescribeDBSnapshotsMessage.Filters); others are refused. */
const SNAPSHOT_FILTERS = ['db-instance-id', 'db-snapshot-id', 'dbi-resource-id', 'snapshot-type', 'engine'];
/** The DescribeDBInstances filters modelled (the API also has `dbi-resource-id` and `domain`). */
const INSTANCE_FILTERS = ['db-cluster-id', 'db-instance-id', 'engine'];
/**
 * "You can't share a DB snapshot that uses an option group with permanent or persistent options,
 * except for Oracle DB instances that have the Timezone or OLS option (or both)" (RDS User Guide,
 * "Sharing a DB snapshot"). TDE is refused by name whatever its flags: "Oracle or SQL Server
 * snapshots encrypted with TDE" cannot be shared (aws-facts.md).
 */
export const SHAREABLE_PERMANENT_OPTIONS = ['Timezone', 'OLS'];
/** DB snapshot identifiers: 1-255 letters, digits or hyphens, a letter first, no `--`, no trailing hyphen (CopyDBSnapshotMessage.TargetDBSnapshotIdentifier). */
const SNAPSHOT_ID = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}$/;

export interface InstanceContext {
  readonly account: string;
  readonly region: string;
  readonly kms: KmsKeys;
  faults(): FaultOptions;
  network(): (RdsNetwork & { readonly accounts: readonly string[] }) | undefined;
  /** The account's RDS in the other Regions, for cross-Region copies (rds-regions.ts). */
  regions(): RegionContext;
}

export class InstanceRds {
  public readonly book: SnapshotBook;
  private readonly instances = new Map<string, Instance>();
  private readonly optionGroups = new Map<string, OptionGroupSpec>();

  constructor(private readonly ctx: InstanceContext) {
    this.book = new SnapshotBook('instance', () => ctx.faults());
  }

  /** What happened to each DB snapshot, kept after it is deleted. */
  public get lifecycles(): Map<string, SnapshotLifecycle> {
    return this.book.lifecycles;
  }

  public addOptionGroup(spec: OptionGroupSpec): void {
    this.optionGroups.set(spec.name, spec);
  }

  public addInstance(spec: InstanceSpec): void {
    const id = spec.identifier.toLowerCase();
    const engine = spec.engine ?? 'postgres';
    const optionGroupName = spec.optionGroupName ?? defaultOptionGroupName(engine);
    if (!this.optionGroups.has(optionGroupName)) this.addOptionGroup({ name: optionGroupName, engine });
    const kmsKeyId = typeof spec.kmsKeyId === 'string' ? this.ctx.kms.resolve(spec.kmsKeyId) : spec.kmsKeyId;
    const arn = instanceArn(id, this.ctx.account, this.ctx.region);
    this.instances.set(id, { ...spec, identifier: id, engine, optionGroupName, arn, encryption: encryptionOf(kmsKeyId) });
  }

  public updateInstance(identifier: string, changes: Partial<InstanceSpec>): void {
    const current = this.instance(identifier);
    const encryption = 'kmsKeyId' in changes ? encryptionOf(changes.kmsKeyId) : current.encryption;
    this.instances.set(current.identifier, { ...current, ...changes, encryption });
  }

  public tagsOf(instanceId: string | undefined) {
    return toTags((instanceId && this.instances.get(instanceId.toLowerCase())?.tags) || {});
  }

  /**
   * An automated snapshot, as RDS takes one in the backup window: `rds:<instance>-<yyyy-mm-dd-hh-mm>`,
   * type `automated`, available. Automated snapshots are not counted in the manual quota and
   * cannot be shared, modified or deleted (RDS User Guide, "Sharing a DB snapshot": "To share an
   * automated DB snapshot, create a manual DB snapshot by copying the automated snapshot").
   */
  public addAutomatedSnapshot(instanceId: string, createdAt: number = Date.now()): string {
    const instance = this.instance(instanceId);
    const stamp = new Date(createdAt).toISOString().slice(0, 16).replace(/[T:]/g, '-');
    const id = `rds:${instance.identifier}-${stamp}`;
    this.book.put({
      ...this.book.create({ id, databaseId: instance.identifier, engine: instance.engine, status: 'creating', outcome: 'available', durationMs: 0, ...this.snapshotOf(instance), tags: [], type: 'automated' }),
      status: 'available',
      createdAt,
      visibleAt: createdAt,
    });
    return id;
  }

  /** A manual snapshot made by someone else (a user, a script): the construct must never touch it. */
  public addForeignSnapshot(id: string, instanceId: string, tags: Record<string, string> = {}): void {
    const instance = this.instance(instanceId);
    this.book.put({
      ...this.book.create({ id, databaseId: instance.identifier, engine: instance.engine, status: 'creating', outcome: 'available', durationMs: 0, ...this.snapshotOf(instance), tags: toTags(tags) }),
      status: 'available',
      visibleAt: Date.now(),
    });
  }

  public snapshot(id: string): DBSnapshot | undefined {
    const s = this.book.get(id);
    return s && this.view(s);
  }

  public snapshotsOf(instanceId: string): DBSnapshot[] {
    return [...this.book.snapshots.values()].filter((s) => s.databaseId === instanceId).map((s) => this.view(s));
  }

  public restoreAccounts(id: string): string[] {
    return [...(this.book.snapshots.get(id)?.restore ?? [])];
  }

  // ---- The API ----

  public describeInstances(input: DescribeDBInstancesMessage) {
    if (input.DBInstanceIdentifier) {
      const i = this.instance(input.DBInstanceIdentifier);
      return { DBInstances: [instanceView(i, this.status(i))] };
    }
    const filter = this.filters(input.Filters, INSTANCE_FILTERS);
    const ids = filter('db-instance-id')?.map((v) => snapshotIdOf(v)!);
    const clusters = filter('db-cluster-id');
    const engines = filter('engine');
    const all = [...this.instances.values()]
      .filter((i) => !ids || ids.includes(i.identifier))
      .filter((i) => (!clusters || clusters.includes(i.clusterIdentifier ?? '')) && (!engines || engines.includes(i.engine)))
      .map((i) => instanceView(i, this.status(i)));
    return page(all, input.Marker, this.maxRecords(input.MaxRecords), 'DBInstances');
  }

  public describeOptionGroups(input: { OptionGroupName?: string; EngineName?: string; Marker?: string; MaxRecords?: number }) {
    if (input.OptionGroupName) {
      const g = this.optionGroups.get(input.OptionGroupName);
      if (!g) throw new OptionGroupNotFoundFault({ message: `Specified OptionGroupName: ${input.OptionGroupName} not found.`, $metadata: {} });
      return { OptionGroupsList: [optionGroupView(g, this.ctx.account, this.ctx.region)] };
    }
    const all = [...this.optionGroups.values()]
      .filter((g) => !input.EngineName || g.engine === input.EngineName)
      .map((g) => optionGroupView(g, this.ctx.account, this.ctx.region));
    return page(all, input.Marker, this.maxRecords(input.MaxRecords), 'OptionGroupsList');
  }

  public createSnapshot(input: CreateDBSnapshotMessage) {
    const instance = this.instance(input.DBInstanceIdentifier);
    if (instance.clusterIdentifier) {
      // The error RDS answers (cloud-custodian/cloud-custodian#313, cevoaustralia/aws-backup-lambda#5).
      throw clientError('InvalidParameterValue', 'The specified instance is a member of a cluster and a snapshot cannot be created directly. Please use the CreateDBClusterSnapshot API instead.');
    }
    this.assertNewSnapshot(input.DBSnapshotIdentifier);
    // Only `available` is modelled as accepting a snapshot; whether a stopped instance can be snapshotted is not confirmed.
    const status = this.status(instance);
    if (status !== 'available') {
      throw new InvalidDBInstanceStateFault({ message: `DBInstance ${instance.identifier} is not in the available state (${status}).`, $metadata: {} });
    }
    const s = this.book.create({
      id: input.DBSnapshotIdentifier!,
      databaseId: instance.identifier,
      engine: instance.engine,
      status: 'creating',
      outcome: instance.snapshotOutcome ?? 'available',
      durationMs: instance.snapshotMs,
      ...this.snapshotOf(instance),
      tags: [...(input.Tags ?? [])],
    });
    return { DBSnapshot: this.view(this.book.track(s)) };
  }

  /**
   * A copy of one of this account's snapshots (manual or automated), or (by ARN) of one another
   * account shares with it. A copy may encrypt or re-encrypt (`KmsKeyId`), and is queued behind
   * earlier copies of the same DB instance's snapshots (rds-types.ts, `queuedUntil`).
   */
  public copySnapshot(input: CopyDBSnapshotMessage) {
    if (inOtherRegion(input.SourceDBSnapshotIdentifier, this.ctx.region)) return this.copyFromRegion(input);
    if (this.foreign(input.SourceDBSnapshotIdentifier)) return this.copySharedSnapshot(input);
    const source = this.existing(input.SourceDBSnapshotIdentifier);
    if (source.status !== 'available') {
      throw new InvalidDBSnapshotStateFault({ message: `Snapshot ${source.id} is ${source.status}, not available.`, $metadata: {} });
    }
    this.assertNewSnapshot(input.TargetDBSnapshotIdentifier);
    const encryption = copyEncryption(source.encryption, input.KmsKeyId, this.ctx.kms, this.ctx.faults(), 'instance');
    this.assertCopySlot();
    const instance = this.instances.get(source.databaseId);
    const s = this.book.create({
      id: input.TargetDBSnapshotIdentifier!,
      databaseId: source.databaseId,
      engine: source.engine,
      status: 'copying',
      outcome: instance?.copyOutcome ?? 'available',
      durationMs: instance?.copyMs,
      encryption,
      optionGroupName: input.OptionGroupName ?? source.optionGroupName,
      options: source.options,
      tags: [...(input.CopyTags ? source.tags : []), ...(input.Tags ?? [])],
      copyOf: source.id,
      queuedUntil: this.queueEnd(source.databaseId),
      originalCreatedAt: source.originalCreatedAt ?? source.createdAt,
    });
    return { DBSnapshot: this.view(this.book.track(s)) };
  }

  public describeSnapshots(input: DescribeDBSnapshotsMessage) {
    const network = this.ctx.network();
    if (input.DBSnapshotIdentifier) {
      const shared = sharedSnapshot(network, this.ctx.account, input.DBSnapshotIdentifier, 'instance', this.ctx.region);
      if (shared) return { DBSnapshots: [dbSnapshotView(shared.snapshot, shared.owner, this.ctx.account, this.ctx.region)] };
      const s = this.foreign(input.DBSnapshotIdentifier) ? undefined : this.book.visible(snapshotIdOf(input.DBSnapshotIdentifier)!);
      // "If this identifier is for an automated snapshot, the SnapshotType parameter must also be
      // specified" (SDK model text): without it, modelled as not found (the actual answer is not confirmed).
      const typeOk = s && (s.type !== 'automated' || input.SnapshotType === 'automated') && (!input.SnapshotType || input.SnapshotType === s.type);
      const instanceOk = s && (!input.DBInstanceIdentifier || input.DBInstanceIdentifier.toLowerCase() === s.databaseId);
      if (!s || !typeOk || !instanceOk) throw notFound(input.DBSnapshotIdentifier);
      this.book.observe(s);
      return { DBSnapshots: [this.view(s)] };
    }
    const maxRecords = this.maxRecords(input.MaxRecords);
    const filter = this.filters(input.Filters, SNAPSHOT_FILTERS);
    const instanceIds = (filter('db-instance-id') ?? (input.DBInstanceIdentifier ? [input.DBInstanceIdentifier] : undefined))?.map((v) => snapshotIdOf(v)!.toLowerCase());
    const ids = filter('db-snapshot-id');
    const engines = filter('engine');
    const types = filter('snapshot-type') ?? (input.SnapshotType ? [input.SnapshotType] : ['manual', 'automated']);
    const matches = (s: Snapshot) =>
      (!instanceIds || instanceIds.includes(s.databaseId)) && (!ids || ids.includes(s.id)) && (!engines || engines.includes(s.engine));
    const own = this.book.allVisible().filter((s) => types.includes(s.type) && matches(s)).map((s) => (this.book.observe(s), this.view(s)));
    // Shared ones: with type `shared`, or with IncludeShared and no type ("IncludeShared ... don't
    // apply for SnapshotType values of manual or automated": SDK model text). `public` and
    // `awsbackup` snapshots are not modelled: none are listed.
    const withShared = input.SnapshotType || filter('snapshot-type') ? types.includes('shared') : input.IncludeShared === true;
    const shared = !withShared ? [] : sharedWith(network, this.ctx.account, network?.accounts ?? [], 'instance', this.ctx.region)
      .filter(({ snapshot }) => matches(snapshot))
      .map(({ owner, snapshot }) => dbSnapshotView(snapshot, owner, this.ctx.account, this.ctx.region));
    return page([...own, ...shared], input.Marker, maxRecords, 'DBSnapshots');
  }

  /**
   * Deletes a manual snapshot. An automated one is refused ("Only manual snapshots may be deleted",
   * the InvalidDBSnapshotState message users report; not in the API reference), as is one being
   * created, and (as for clusters, rds-store.ts) the source of a copy in progress. Deleting a copy
   * in progress cancels it.
   */
  public deleteSnapshot(input: { DBSnapshotIdentifier?: string }) {
    const s = this.existing(input.DBSnapshotIdentifier);
    if (s.type === 'automated') throw new InvalidDBSnapshotStateFault({ message: 'Only manual snapshots may be deleted.', $metadata: {} });
    if (s.status === 'creating') throw new InvalidDBSnapshotStateFault({ message: `Snapshot ${s.id} is being created.`, $metadata: {} });
    const activeCopy = this.book.copiesInProgress().find((c) => c.copyOf === s.id);
    if (activeCopy) {
      throw new InvalidDBSnapshotStateFault({ message: `Snapshot ${s.id} is the source of copy ${activeCopy.id} in progress.`, $metadata: {} });
    }
    failCopiesOf('instance', dbSnapshotArn(s.id, this.ctx.account, this.ctx.region), this.ctx.regions());
    this.book.remove(s);
    return { DBSnapshot: { ...this.view(s), Status: 'deleted' } };
  }

  /**
   * Shares or unshares a manual snapshot (`restore`). Refused: an automated snapshot (an id with a
   * colon is "not a valid identifier": aws/aws-sdk#638), the `aws/rds` key and an AWS-owned key and
   * `all` when encrypted (rds-encryption.ts), TDE and permanent or persistent options other than
   * Oracle `Timezone`/`OLS` (SHAREABLE_PERMANENT_OPTIONS; the error name RDS answers is not
   * documented: InvalidParameterValue is assumed), more than 20 accounts.
   */
  public modifyAttribute(input: ModifyDBSnapshotAttributeMessage) {
    if (input.DBSnapshotIdentifier?.includes(':') && !input.DBSnapshotIdentifier.startsWith('arn:')) {
      throw clientError('InvalidParameterValue', 'The parameter DBSnapshotIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.');
    }
    const s = this.existing(input.DBSnapshotIdentifier);
    if (s.type === 'automated') throw clientError('InvalidParameterValue', `Automated snapshot ${s.id} cannot be modified; copy it to a manual snapshot first.`);
    if (input.AttributeName !== 'restore') throw clientError('InvalidParameterValue', 'AttributeName must be restore');
    if (s.status !== 'available') throw new InvalidDBSnapshotStateFault({ message: `Snapshot ${s.id} is ${s.status}.`, $metadata: {} });
    const adding = (input.ValuesToAdd ?? []).filter((v) => !s.restore.includes(v));
    assertShareable(s.encryption, s.id, adding);
    const blocking = notShareableOptions(s.options ?? []);
    if (adding.length > 0 && blocking.length > 0) {
      throw clientError('InvalidParameterValue', `The snapshot ${s.id} uses an option group with permanent or persistent options (${blocking.join(', ')}) and cannot be shared.`);
    }
    this.book.changeRestore(s, input.ValuesToAdd, input.ValuesToRemove);
    return { DBSnapshotAttributesResult: dbAttributesView(s) };
  }

  /** Automated snapshots answer too, with an empty `restore` (aws/aws-sdk#638 shows one). */
  public describeAttributes(input: { DBSnapshotIdentifier?: string }) {
    return { DBSnapshotAttributesResult: dbAttributesView(this.existing(input.DBSnapshotIdentifier)) };
  }

  /** A snapshot of this account for tagging by ARN, or one another account shares with it (for IAM's view of its tags). */
  public taggable(arn: string | undefined): Snapshot {
    return this.existing(arn);
  }

  public snapshotFor(idOrArn: string | undefined): Snapshot | undefined {
    if (inOtherRegion(idOrArn, this.ctx.region)) return this.ctx.regions().peer(regionOf(idOrArn)!)?.bookOf('instance').snapshots.get(snapshotIdOf(idOrArn) ?? '');
    return sharedSnapshot(this.ctx.network(), this.ctx.account, idOrArn, 'instance', this.ctx.region)?.snapshot ?? this.book.snapshots.get(snapshotIdOf(idOrArn) ?? '');
  }

  /** The manual DB snapshot quota's use and size, for DescribeAccountAttributes (`ManualSnapshots`). */
  public quota(): { used: number; max: number } {
    return { used: this.book.manualCount(), max: this.ctx.faults().manualInstanceSnapshotQuota ?? MANUAL_INSTANCE_SNAPSHOT_QUOTA };
  }

  // ---- Internals ----

  /**
   * A copy, into this account, of a DB snapshot another account shares with it (rds-sharing.ts).
   * A snapshot whose option group holds Oracle `Timezone`/`OLS` needs a target option group with
   * those options: "The snapshot requires a target option group with the following options:
   * [Timezone]" (aws-facts.md; awslabs/rds-snapshot-tool#57), or `CopyOptionGroup` (SDK model:
   * "copy the DB option group associated with the source DB snapshot to the target Amazon Web
   * Services account"). `OptionGroupName` is "the name of an option group to associate with the
   * copy of the snapshot" (RDS API Reference, CopyDBSnapshot). The error name is not documented:
   * InvalidParameterValue is assumed (not confirmed). Such a copy is what the target restores a DB
   * instance from: "you can't restore a DB instance from a DB snapshot that is both shared and
   * encrypted. Instead, you can make a copy of the DB snapshot and restore the DB instance from the
   * copy" (RDS User Guide, "Sharing a DB snapshot").
   */
  private copySharedSnapshot(input: CopyDBSnapshotMessage) {
    const source = assertSharedCopy(this.ctx.network(), this.ctx.account, {
      kind: 'instance', sourceArn: input.SourceDBSnapshotIdentifier, kmsKeyId: input.KmsKeyId, region: this.ctx.region,
    });
    this.assertNewSnapshot(input.TargetDBSnapshotIdentifier);
    const required = (source.options ?? []).filter((o) => o.permanent || o.persistent).map((o) => o.name);
    let optionGroupName = input.OptionGroupName;
    if (optionGroupName) {
      const target = this.optionGroups.get(optionGroupName);
      if (!target) throw new OptionGroupNotFoundFault({ message: `Specified OptionGroupName: ${optionGroupName} not found.`, $metadata: {} });
      const missing = required.filter((name) => !(target.options ?? []).some((o) => o.name === name));
      if (missing.length > 0) throw requiresOptionGroup(missing);
    } else if (input.CopyOptionGroup) {
      optionGroupName = source.optionGroupName;
    } else if (required.length > 0) {
      throw requiresOptionGroup(required);
    }
    const encryption = copyEncryption(source.encryption, input.KmsKeyId, this.ctx.kms, this.ctx.faults(), 'instance');
    this.assertCopySlot();
    const faults = this.ctx.faults();
    const s = this.book.create({
      id: input.TargetDBSnapshotIdentifier!,
      databaseId: source.databaseId,
      engine: source.engine,
      status: 'copying',
      outcome: faults.sharedCopyOutcome ?? 'available',
      durationMs: faults.sharedCopyMs,
      encryption,
      optionGroupName: optionGroupName ?? defaultOptionGroupName(source.engine),
      options: source.options,
      tags: [...(input.CopyTags ? source.tags : []), ...(input.Tags ?? [])],
      sourceArn: input.SourceDBSnapshotIdentifier,
      originalCreatedAt: source.originalCreatedAt ?? source.createdAt,
    });
    return { DBSnapshot: this.view(this.book.track(s)) };
  }

  private instance(id: string | undefined): Instance {
    const instance = id ? this.instances.get(snapshotIdOf(id)!.toLowerCase()) : undefined;
    if (!instance) throw new DBInstanceNotFoundFault({ message: `DBInstance ${id} not found.`, $metadata: {} });
    return instance;
  }

  private status(i: Instance): string {
    if (i.busyUntil !== undefined && Date.now() < i.busyUntil) return 'backing-up';
    return i.status ?? 'available';
  }

  /** What a snapshot of the instance carries: its encryption, option group and that group's options now. */
  private snapshotOf(i: Instance): { encryption: Snapshot['encryption']; optionGroupName: string; options: readonly OptionSpec[] } {
    return { encryption: i.encryption, optionGroupName: i.optionGroupName, options: this.optionGroups.get(i.optionGroupName)?.options ?? [] };
  }

  /** A copy, into this Region, of one of this account's DB snapshots in another Region (rds-regions.ts). */
  private copyFromRegion(input: CopyDBSnapshotMessage) {
    const sourceArn = input.SourceDBSnapshotIdentifier!;
    const source = crossRegionSource('instance', sourceArn, input.KmsKeyId, this.ctx.regions());
    this.assertNewSnapshot(input.TargetDBSnapshotIdentifier);
    const faults = this.ctx.faults();
    const encryption = copyEncryption(source.encryption, input.KmsKeyId, this.ctx.kms, faults, 'instance');
    this.assertCopySlot();
    const s = this.book.create({
      id: input.TargetDBSnapshotIdentifier!,
      databaseId: source.databaseId,
      engine: source.engine,
      status: 'copying',
      outcome: faults.crossRegionCopyOutcome ?? 'available',
      durationMs: faults.crossRegionCopyMs ?? CROSS_REGION_COPY_MS,
      encryption,
      // Option groups are not copied across Regions (aws-facts.md, "Regions"): the target's, or its default.
      optionGroupName: input.OptionGroupName ?? defaultOptionGroupName(source.engine),
      options: source.options,
      tags: [...(input.CopyTags ? source.tags : []), ...(input.Tags ?? [])],
      sourceArn,
      sourceRegion: sourceArn.split(':')[3],
      originalCreatedAt: source.originalCreatedAt ?? source.createdAt,
    });
    return { DBSnapshot: this.view(this.book.track(s)) };
  }

  /** An ARN of another account's snapshot, or of another Region: never one of this Region's own. */
  private foreign(idOrArn: string | undefined): boolean {
    const owner = accountOf(idOrArn);
    return (owner !== undefined && owner !== this.ctx.account) || inOtherRegion(idOrArn, this.ctx.region);
  }

  private existing(idOrArn: string | undefined): Snapshot {
    const s = this.foreign(idOrArn) ? undefined : this.book.get(snapshotIdOf(idOrArn) ?? '');
    if (!s) throw notFound(idOrArn);
    return s;
  }

  private assertNewSnapshot(id: string | undefined): void {
    if (!id || !SNAPSHOT_ID.test(id) || id.endsWith('-')) {
      throw clientError('InvalidParameterValue', `The parameter DBSnapshotIdentifier is not a valid identifier: ${id}`);
    }
    if (this.book.snapshots.has(id)) throw new DBSnapshotAlreadyExistsFault({ message: `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`, $metadata: {} });
    const { used, max } = this.quota();
    if (used >= max) throw new SnapshotQuotaExceededFault({ message: 'Cannot create more than the maximum number of manual DB snapshots.', $metadata: {} });
  }

  private assertCopySlot(): void {
    const limit = this.ctx.faults().instanceCopiesInProgressLimit ?? INSTANCE_COPIES_IN_PROGRESS_LIMIT;
    if (this.book.copiesInProgress().length >= limit) {
      throw new SnapshotQuotaExceededFault({ message: `Cannot copy more than ${limit} snapshots at a time.`, $metadata: {} });
    }
  }

  /** When a new copy of a snapshot of this instance may start: after every copy of its snapshots still in progress. */
  private queueEnd(instanceId: string): number | undefined {
    const ahead = this.book.copiesInProgress().filter((c) => c.databaseId === instanceId && c.sourceArn === undefined);
    if (ahead.length === 0) return undefined;
    return Math.max(...ahead.map((c) => c.readyAt ?? Number.POSITIVE_INFINITY));
  }

  private filters(filters: { Name?: string; Values?: string[] }[] | undefined, known: string[]) {
    const unknown = filters?.find((f) => !known.includes(f.Name ?? ''));
    if (unknown) throw clientError('InvalidParameterValue', `Unrecognized filter name: ${unknown.Name}`);
    return (name: string) => filters?.find((f) => f.Name === name)?.Values;
  }

  private maxRecords(value: number | undefined): number {
    const maxRecords = value ?? 100;
    if (maxRecords < 20 || maxRecords > 100) throw clientError('InvalidParameterValue', 'MaxRecords must be 20-100');
    return maxRecords;
  }

  private view(s: Snapshot): DBSnapshot {
    this.book.progress(s);
    return dbSnapshotView(s, this.ctx.account, this.ctx.account, this.ctx.region);
  }
}

/** The options that keep a snapshot from being shared (SHAREABLE_PERMANENT_OPTIONS). */
export function notShareableOptions(options: readonly OptionSpec[]): string[] {
  return options.filter((o) => o.name === 'TDE' || ((o.permanent || o.persistent) && !SHAREABLE_PERMANENT_OPTIONS.includes(o.name))).map((o) => o.name);
}

function notFound(idOrArn: string | undefined): DBSnapshotNotFoundFault {
  return new DBSnapshotNotFoundFault({ message: `DBSnapshot not found: ${idOrArn}`, $metadata: {} });
}

function requiresOptionGroup(options: string[]) {
  return clientError('InvalidParameterValue', `The snapshot requires a target option group with the following options: [${options.join(', ')}]`);
}
