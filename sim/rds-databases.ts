/**
 * Aurora DB clusters restored from snapshots, their DB instances, renames, master-password resets
 * and deletions, on the virtual clock, as the RDS API Reference documents them:
 *
 * - `RestoreDBClusterFromSnapshot` "only restores the DB cluster, not the DB instances" (API
 *   reference): the cluster is `creating`, then `available`, without members. `Engine` is
 *   required; the key defaults to the snapshot's; a taken identifier is DBClusterAlreadyExistsFault,
 *   a missing snapshot DBClusterSnapshotNotFoundFault, one not `available`
 *   InvalidDBClusterSnapshotStateFault (the faults the API reference lists). An unencrypted
 *   snapshot cannot be restored encrypted under a key here (modelled like the copy rule).
 * - `CreateDBInstance` with `DBClusterIdentifier` adds a member; the cluster must exist
 *   (DBClusterNotFoundFault) and be `available` (InvalidDBClusterStateFault); the engine must match
 *   (InvalidParameterCombination, assumed); `db.serverless` needs the cluster's Serverless v2
 *   scaling (assumed); deletion protection is cluster-level only ("Deletion Protection can only be
 *   applied on the Cluster level, not for individual instances", InvalidParameterCombination, as
 *   reported in hashicorp/terraform-provider-aws #6009). The first member is the writer.
 * - `ModifyDBCluster` needs an `available` cluster (InvalidDBClusterStateFault). With
 *   `NewDBClusterIdentifier` and `ApplyImmediately` the old name is gone at once and the new one
 *   resolves after the rename delay; the cluster is `renaming` meanwhile ("The renamed ... isn't
 *   available until the new name becomes effective", RDS User Guide `multi-az-db-cluster-rename`
 *   and `USER_RenameInstance`; the Aurora delay is unconfirmed). "You can't use an existing ...
 *   name": DBClusterAlreadyExistsFault (API reference). Without ApplyImmediately the rename waits
 *   for the maintenance window (API reference, ApplyImmediately), which the simulator never reaches.
 *   `ManageMasterUserPassword` makes RDS generate the password into a new Secrets Manager secret
 *   (`MasterUserSecret`, SDK model), never the source's; it "Can't be specified if
 *   MasterUserPassword" is (InvalidParameterCombination). `DeletionProtection` applies at once.
 * - `DeleteDBCluster` refuses a protected cluster ("Cannot delete protected Cluster, please disable
 *   deletion protection and try again", InvalidParameterCombination: Aurora User Guide) and one with
 *   members not being deleted ("Cluster cannot be deleted, it still contains DB instances in
 *   non-deleting state", InvalidDBClusterStateFault: AWS knowledge center, moto #6998). A final
 *   snapshot needs `FinalDBSnapshotIdentifier` unless `SkipFinalSnapshot` (SDK model text; the
 *   error name is assumed). Refused while `creating`, `renaming` or modifying (assumed). Deleting a
 *   cluster deletes its managed secret ("If you delete a DB instance that manages a secret ... the
 *   secret ... also deleted": RDS User Guide, `rds-secrets-manager`). The name stays taken while
 *   `deleting`.
 * - `DeleteDBInstance` of a member: `deleting`, then gone; "already being deleted" is
 *   InvalidDBInstanceStateFault.
 */
import {
  DBClusterAlreadyExistsFault, DBClusterNotFoundFault, DBClusterSnapshotNotFoundFault, DBInstanceAlreadyExistsFault, DBInstanceNotFoundFault,
  InvalidDBClusterSnapshotStateFault, InvalidDBClusterStateFault, InvalidDBInstanceStateFault, InvalidRestoreFault, Tag,
} from '@aws-sdk/client-rds';
import { REGION } from './aws-env';
import { DatabaseNames } from './rds-database-names';
import {
  Database, DatabaseHost, DatabaseInstance, DatabaseTimings, DEFAULT_TIMINGS, InjectedFault, ManagedSecret,
} from './rds-database-types';
import { clusterView, instanceView } from './rds-database-views';
import { clientError, page } from './rds-types';

/** The statuses in which a cluster may be deleted (assumed: AWS lists no such rule for clusters). */
const DELETABLE = ['available', 'stopped', 'inaccessible-encryption-credentials', 'incompatible-parameters'];
const DEFAULT_PORT: Record<string, number> = { 'aurora-postgresql': 5432, 'aurora-mysql': 3306 };
const DEFAULT_ENGINE_VERSION: Record<string, string> = { 'aurora-postgresql': '16.4', 'aurora-mysql': '8.0.mysql_aurora.3.08.0' };

export class RdsDatabases {
  public readonly clusters = new Map<string, Database>();
  public readonly instances = new Map<string, DatabaseInstance>();
  public readonly secrets = new Map<string, ManagedSecret>();
  public readonly names = new DatabaseNames();
  /** When each cluster was restored and when its deletion ended, by resource id, kept after it is gone: its billed lifetime. */
  public readonly lifetimes = new Map<string, { readonly createdAt: number; goneAt?: number }>();
  public timings: DatabaseTimings = DEFAULT_TIMINGS;
  /** Snapshots RDS refuses to restore (InvalidRestoreFault), or whose restore ends in a terminal status. */
  public readonly restoreFaults = new Map<string, 'refused' | 'inaccessible-encryption-credentials'>();
  private readonly faults: InjectedFault[] = [];
  private sequence = 0;

  constructor(private readonly host: DatabaseHost) {}

  /** Answers the next `times` calls of `api` whose input `matches` with `errorName`, instead of serving them. */
  public failNext(api: string, matches: (input: any) => boolean, errorName: string, times = 1): void {
    this.faults.push({ api, matches, errorName, times });
  }

  /** Throws an injected fault for this call, if one matches. */
  public injectFault(api: string, input: unknown): void {
    const fault = this.faults.find((f) => f.api === api && f.times > 0 && f.matches(input));
    if (!fault) return;
    fault.times--;
    throw clientError(fault.errorName, `Injected ${fault.errorName} for ${api}`);
  }

  /** The cluster that now holds `identifier` (any status), brought up to date. */
  public cluster(identifier: string | undefined): Database | undefined {
    const id = identifier?.toLowerCase().replace(/^arn:aws:rds:[^:]+:\d+:cluster:/, '');
    const found = [...this.clusters.values()].find((c) => c.identifier === id);
    if (found) this.progress(found);
    return found && this.clusters.has(found.resourceId) ? found : undefined;
  }

  public instance(identifier: string | undefined): DatabaseInstance | undefined {
    const found = this.instances.get((identifier ?? '').toLowerCase().replace(/^arn:aws:rds:[^:]+:\d+:db:/, ''));
    if (found) this.progressInstance(found);
    return found && this.instances.has(found.identifier) ? found : undefined;
  }

  public membersOf(c: Database): DatabaseInstance[] {
    const current = [...this.instances.values()].filter((i) => (this.progressInstance(i), this.instances.has(i.identifier)));
    return current.filter((i) => i.clusterResourceId === c.resourceId);
  }

  public restoreCluster(input: any) {
    const id = this.newClusterIdentifier(input.DBClusterIdentifier);
    if (!input.Engine) throw clientError('InvalidParameterValue', 'Engine is required.');
    const snapshot = this.host.snapshotFor(input.SnapshotIdentifier);
    if (!snapshot) throw new DBClusterSnapshotNotFoundFault({ message: `DBClusterSnapshot ${input.SnapshotIdentifier} not found.`, $metadata: {} });
    if (snapshot.status !== 'available') {
      throw new InvalidDBClusterSnapshotStateFault({ message: `Snapshot ${snapshot.id} is ${snapshot.status}, not available.`, $metadata: {} });
    }
    if (input.Engine !== snapshot.engine) {
      throw clientError('InvalidParameterCombination', `The snapshot's engine is ${snapshot.engine}, not ${input.Engine}.`);
    }
    const fault = this.restoreFaults.get(snapshot.id);
    if (fault === 'refused') throw new InvalidRestoreFault({ message: `Cannot restore from snapshot ${snapshot.id}.`, $metadata: {} });
    if (input.KmsKeyId && snapshot.encryption.type === 'none') {
      throw clientError('InvalidParameterCombination', 'Cannot restore an unencrypted snapshot encrypted under a key; omit KmsKeyId.');
    }
    const encryption = input.KmsKeyId ? { type: 'sse-kms' as const, keyArn: this.host.resolveKey(input.KmsKeyId) } : snapshot.encryption;
    const now = Date.now();
    const c: Database = {
      identifier: id,
      resourceId: `cluster-${this.nextId()}`,
      engine: input.Engine,
      engineVersion: input.EngineVersion ?? DEFAULT_ENGINE_VERSION[input.Engine] ?? '1',
      status: 'creating',
      transition: { at: now + this.timings.restoreMs, next: fault ?? 'available' },
      createdAt: now,
      restoredFrom: snapshot.arn,
      encryption,
      subnetGroup: input.DBSubnetGroupName ?? 'default',
      securityGroups: [...(input.VpcSecurityGroupIds ?? ['sg-default'])],
      parameterGroup: input.DBClusterParameterGroupName ?? `default.${input.Engine}16`,
      serverlessV2: input.ServerlessV2ScalingConfiguration,
      port: input.Port ?? DEFAULT_PORT[input.Engine] ?? 3306,
      masterUsername: 'postgres',
      deletionProtection: input.DeletionProtection ?? false,
      tags: [...(input.Tags ?? [])],
      password: { kind: 'from-snapshot', snapshot: snapshot.arn },
    };
    this.clusters.set(c.resourceId, c);
    this.lifetimes.set(c.resourceId, { createdAt: now });
    // A restore that fails never resolves.
    this.names.take(id, c.resourceId, fault ? Infinity : now + this.timings.restoreMs);
    return { DBCluster: this.view(c) };
  }

  public createInstance(input: any) {
    const c = this.cluster(input.DBClusterIdentifier);
    if (!c) throw new DBClusterNotFoundFault({ message: `DBCluster ${input.DBClusterIdentifier} not found.`, $metadata: {} });
    const id = String(input.DBInstanceIdentifier ?? '').toLowerCase();
    if (this.instance(id)) throw new DBInstanceAlreadyExistsFault({ message: `DB instance ${id} already exists.`, $metadata: {} });
    if (c.status !== 'available') throw new InvalidDBClusterStateFault({ message: `DBCluster ${c.identifier} is ${c.status}, not available.`, $metadata: {} });
    if (input.Engine !== c.engine) throw clientError('InvalidParameterCombination', `The cluster's engine is ${c.engine}, not ${input.Engine}.`);
    if (input.DeletionProtection !== undefined) {
      throw clientError('InvalidParameterCombination', 'Deletion Protection can only be applied on the Cluster level, not for individual instances');
    }
    if (input.DBInstanceClass === 'db.serverless' && !c.serverlessV2) {
      throw clientError('InvalidParameterCombination', 'db.serverless needs the cluster\'s ServerlessV2ScalingConfiguration.');
    }
    const now = Date.now();
    const i: DatabaseInstance = {
      identifier: id,
      resourceId: `db-${this.nextId()}`,
      clusterResourceId: c.resourceId,
      instanceClass: input.DBInstanceClass,
      engine: input.Engine,
      status: 'creating',
      transition: { at: now + this.timings.instanceMs, next: 'available' },
      createdAt: now,
      tags: [...(input.Tags ?? [])],
    };
    this.instances.set(id, i);
    return { DBInstance: instanceView(i, c, this.host.account) };
  }

  public modifyCluster(input: any) {
    const c = this.existingCluster(input.DBClusterIdentifier);
    if (c.status !== 'available') throw new InvalidDBClusterStateFault({ message: `DBCluster ${c.identifier} is ${c.status}, not available.`, $metadata: {} });
    if (input.ManageMasterUserPassword !== undefined && input.MasterUserPassword !== undefined) {
      throw clientError('InvalidParameterCombination', 'MasterUserPassword can\'t be specified if ManageMasterUserPassword is turned on.');
    }
    const newId = input.NewDBClusterIdentifier?.toLowerCase();
    if (newId && newId !== c.identifier) this.newClusterIdentifier(newId);
    const now = Date.now();
    if (input.DeletionProtection !== undefined) c.deletionProtection = input.DeletionProtection;
    if (input.ManageMasterUserPassword === true && c.password.kind !== 'managed') {
      const secret: ManagedSecret = {
        arn: `arn:aws:secretsmanager:${REGION}:${this.host.account}:secret:rds!cluster-${this.nextId()}-${this.nextId().slice(0, 6)}`,
        kmsKeyId: input.MasterUserSecretKmsKeyId ? this.host.resolveKey(input.MasterUserSecretKmsKeyId) : `arn:aws:kms:${REGION}:${this.host.account}:alias/aws/secretsmanager`,
        clusterResourceId: c.resourceId,
        createdAt: now,
        activeAt: now + this.timings.modifyMs,
      };
      this.secrets.set(secret.arn, secret);
      c.password = { kind: 'managed', secretArn: secret.arn };
      c.status = 'resetting-master-credentials';
      c.transition = { at: now + this.timings.modifyMs, next: 'available' };
    }
    if (newId && newId !== c.identifier) {
      if (!input.ApplyImmediately) {
        c.pendingIdentifier = newId;
      } else {
        this.names.release(c.identifier, c.resourceId, now);
        c.identifier = newId;
        this.names.take(newId, c.resourceId, now + this.timings.renameMs);
        c.status = 'renaming';
        c.transition = { at: Math.max(c.transition?.at ?? 0, now + this.timings.renameMs), next: 'available' };
      }
    }
    return { DBCluster: this.view(c) };
  }

  public deleteCluster(input: any) {
    const c = this.existingCluster(input.DBClusterIdentifier);
    if (c.deletionProtection) throw clientError('InvalidParameterCombination', 'Cannot delete protected Cluster, please disable deletion protection and try again.');
    if (this.membersOf(c).some((i) => i.status !== 'deleting')) {
      throw new InvalidDBClusterStateFault({ message: 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.', $metadata: {} });
    }
    if (!DELETABLE.includes(c.status)) throw new InvalidDBClusterStateFault({ message: `DBCluster ${c.identifier} is ${c.status}.`, $metadata: {} });
    if (input.SkipFinalSnapshot && input.FinalDBSnapshotIdentifier) {
      throw clientError('InvalidParameterCombination', 'FinalDBSnapshotIdentifier cannot be given with SkipFinalSnapshot.');
    }
    if (!input.SkipFinalSnapshot) {
      if (!input.FinalDBSnapshotIdentifier) throw clientError('InvalidParameterCombination', 'FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot.');
      this.host.createFinalSnapshot(input.FinalDBSnapshotIdentifier, c.identifier, c.engine, c.encryption, [...c.tags]);
    }
    const now = Date.now();
    this.names.release(c.identifier, c.resourceId, now);
    c.status = 'deleting';
    c.transition = { at: now + this.timings.deleteMs, next: 'gone' };
    return { DBCluster: this.view(c) };
  }

  public deleteInstance(input: any) {
    const i = this.instance(input.DBInstanceIdentifier);
    if (!i) throw new DBInstanceNotFoundFault({ message: `DBInstance ${input.DBInstanceIdentifier} not found.`, $metadata: {} });
    if (i.status === 'deleting') throw new InvalidDBInstanceStateFault({ message: 'Instance is already being deleted.', $metadata: {} });
    const c = this.clusters.get(i.clusterResourceId)!;
    i.status = 'deleting';
    i.transition = { at: Date.now() + this.timings.deleteMs, next: 'gone' };
    return { DBInstance: instanceView(i, c, this.host.account) };
  }

  /** Restored clusters as DescribeDBClusters lists them; `others` are the spec clusters' views. */
  public describeClusters(input: any, others: (input: any) => { DBClusters?: any[] }) {
    if (input.DBClusterIdentifier) {
      const c = this.cluster(input.DBClusterIdentifier);
      return c ? { DBClusters: [this.view(c)] } : others(input);
    }
    const restored = [...this.clusters.values()].map((c) => (this.progress(c), c)).filter((c) => this.clusters.has(c.resourceId));
    const all = [...(others({}).DBClusters ?? []), ...restored.map((c) => this.view(c))];
    return page(all, input.Marker, input.MaxRecords ?? 100, 'DBClusters');
  }

  /**
   * DescribeDBInstances by identifier, or filtered by `db-cluster-id` (identifiers or ARNs: API
   * reference); `others` are the source side's instances (sim/rds-instances.ts), which are in no cluster.
   */
  public describeInstances(input: any, others: (input: any) => { DBInstances?: any[] }) {
    if (input.DBInstanceIdentifier) {
      const i = this.instance(input.DBInstanceIdentifier);
      return i ? { DBInstances: [instanceView(i, this.clusters.get(i.clusterResourceId)!, this.host.account)] } : others(input);
    }
    const clusterIds: string[] | undefined = input.Filters?.find((f: any) => f.Name === 'db-cluster-id')?.Values;
    const resourceIds = clusterIds?.map((id) => this.cluster(id)?.resourceId);
    const restored = [...this.instances.values()].map((i) => (this.progressInstance(i), i)).filter((i) => this.instances.has(i.identifier))
      .filter((i) => !resourceIds || resourceIds.includes(i.clusterResourceId))
      .map((i) => instanceView(i, this.clusters.get(i.clusterResourceId)!, this.host.account));
    const theirs = clusterIds ? [] : others({ ...input, Marker: undefined, MaxRecords: 100 }).DBInstances ?? [];
    return page([...theirs, ...restored], input.Marker, input.MaxRecords ?? 100, 'DBInstances');
  }

  /** The tags of a restored cluster or instance by ARN, for tagging calls and IAM; undefined when the ARN is neither. */
  public taggable(arn: string | undefined): { tags: Tag[] } | undefined {
    if (arn?.includes(':cluster:')) return this.cluster(arn);
    if (arn?.includes(':db:')) return this.instance(arn);
    return undefined;
  }

  public view(c: Database) {
    this.progress(c);
    const secret = c.password.kind === 'managed' ? this.secrets.get(c.password.secretArn) : undefined;
    return clusterView(c, this.membersOf(c), this.host.account, secret);
  }

  private existingCluster(identifier: string | undefined): Database {
    const c = this.cluster(identifier);
    if (!c) throw new DBClusterNotFoundFault({ message: `DBCluster ${identifier} not found.`, $metadata: {} });
    return c;
  }

  /** A valid identifier no database holds (a deleting one still does), lowercase. */
  private newClusterIdentifier(raw: string | undefined): string {
    const id = String(raw ?? '').toLowerCase();
    if (!/^[a-z](?!.*--)[a-z0-9-]{0,62}$/.test(id) || id.endsWith('-')) throw clientError('InvalidParameterValue', `Invalid DB cluster identifier: ${raw}`);
    if (this.cluster(id) || this.host.specClusterHolds(id)) throw new DBClusterAlreadyExistsFault({ message: `DB cluster ${id} already exists.`, $metadata: {} });
    return id;
  }

  private progress(c: Database): void {
    if (!c.transition || Date.now() < c.transition.at) return;
    const next = c.transition.next;
    c.transition = undefined;
    if (next !== 'gone') {
      c.status = next;
      return;
    }
    this.clusters.delete(c.resourceId);
    this.lifetimes.get(c.resourceId)!.goneAt = Date.now();
    if (c.password.kind === 'managed') this.secrets.get(c.password.secretArn)!.deletedAt = Date.now();
  }

  private progressInstance(i: DatabaseInstance): void {
    if (!i.transition || Date.now() < i.transition.at) return;
    const next = i.transition.next;
    i.transition = undefined;
    if (next === 'gone') this.instances.delete(i.identifier);
    else i.status = next;
  }

  private nextId(): string {
    this.sequence += 1;
    return `${this.sequence.toString(16).padStart(8, '0')}${'abcdef0123456789'.slice(this.sequence % 16)}`.slice(0, 20);
  }
}
