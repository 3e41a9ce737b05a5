import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DatabaseKind } from './props';
import { REFRESH_TAG_OWNER } from '../shared/constants';
import { useKeysThroughRds } from '../shared/kms-through-rds';

/** What the permissions are derived from. */
export interface RefreshPermissionsProps {
  readonly kind: DatabaseKind;
  readonly databaseIdentifier: string;
  readonly ownerId: string;
  readonly copyPrefix: string;
  readonly copyKeyArn: string;
  /** The restored database's key, when it is not the copy's (Aurora). */
  readonly databaseKeyArn?: string;
  readonly subnetGroupName: string;
  readonly parameterGroupName?: string;
  /** The restored DB instance's option group, when set. */
  readonly optionGroupName?: string;
  readonly masterUserSecretKeyArn?: string;
}

/**
 * One kind's RDS names: the ARN resource types of its databases, copies and parameter groups
 * (Service Authorization Reference, "Resource types defined by Amazon RDS"), the prefix of the
 * secrets RDS creates for its master user (`rds!cluster-...`, `rds!db-...`: RDS User Guide,
 * `rds-secrets-manager`), and its calls.
 */
export interface KindNames {
  readonly database: 'cluster' | 'db';
  readonly snapshot: 'cluster-snapshot' | 'snapshot';
  readonly parameterGroup: 'cluster-pg' | 'pg';
  readonly secretPrefix: string;
  readonly describe: string;
  readonly listSnapshots: string;
  readonly restore: string;
  readonly modify: string;
  readonly delete: string;
}

export const KIND_NAMES: Readonly<Record<DatabaseKind, KindNames>> = {
  [DatabaseKind.AURORA_CLUSTER]: {
    database: 'cluster',
    snapshot: 'cluster-snapshot',
    parameterGroup: 'cluster-pg',
    secretPrefix: 'rds!cluster-',
    describe: 'rds:DescribeDBClusters',
    listSnapshots: 'rds:DescribeDBClusterSnapshots',
    restore: 'rds:RestoreDBClusterFromSnapshot',
    modify: 'rds:ModifyDBCluster',
    delete: 'rds:DeleteDBCluster',
  },
  [DatabaseKind.DB_INSTANCE]: {
    database: 'db',
    snapshot: 'snapshot',
    parameterGroup: 'pg',
    secretPrefix: 'rds!db-',
    describe: 'rds:DescribeDBInstances',
    listSnapshots: 'rds:DescribeDBSnapshots',
    restore: 'rds:RestoreDBInstanceFromDBSnapshot',
    modify: 'rds:ModifyDBInstance',
    delete: 'rds:DeleteDBInstance',
  },
};

/**
 * The ARNs and conditions the refresh's least-privilege policies are built from. It restores, renames
 * and deletes only databases named `<databaseIdentifier>` or `<databaseIdentifier>-*` that carry its
 * owner tag (a new one only with that tag in the request), and restores only the receiver's copies.
 */
export class RefreshPermissions {
  public readonly names: KindNames;
  /** The stable identifier's database, and every other this instance names. */
  public readonly stableDatabase: string;
  public readonly ownDatabases: string;
  /** The instances of this instance's Aurora databases (a DB instance is itself one of `ownDatabases`). */
  public readonly ownInstances: string;
  /** Final snapshots of previous databases (`<id>-<generation>-final`). */
  public readonly finalSnapshots: string;
  /** The receiver's copies. */
  public readonly copies: string;
  /** Listings without an identifier are authorized on the type's wildcard. */
  public readonly allClusters: string;
  public readonly allSnapshots: string;
  public readonly allInstances: string;
  /** What a restore also authorizes: the subnet group, the parameter group, the default option groups (and a DB instance's own). */
  public readonly subnetGroup: string;
  public readonly parameterGroup: string;
  public readonly defaultOptionGroups: string;
  public readonly optionGroup?: string;
  /** The secrets RDS creates for the master user. */
  public readonly masterUserSecrets: string;
  private readonly owned: Record<string, Record<string, string>>;
  private readonly requested: Record<string, Record<string, string>>;

  constructor(private readonly stack: Stack, private readonly props: RefreshPermissionsProps) {
    const id = props.databaseIdentifier;
    const n = this.names = KIND_NAMES[props.kind];
    this.stableDatabase = this.arn('rds', n.database, id);
    this.ownDatabases = this.arn('rds', n.database, `${id}-*`);
    this.ownInstances = this.arn('rds', 'db', `${id}-*`);
    this.finalSnapshots = this.arn('rds', n.snapshot, `${id}-*`);
    this.copies = this.arn('rds', n.snapshot, `${props.copyPrefix}-*`);
    this.allClusters = this.arn('rds', 'cluster', '*');
    this.allSnapshots = this.arn('rds', n.snapshot, '*');
    this.allInstances = this.arn('rds', 'db', '*');
    this.subnetGroup = this.arn('rds', 'subgrp', props.subnetGroupName);
    this.parameterGroup = this.arn('rds', n.parameterGroup, props.parameterGroupName ?? 'default.*');
    this.defaultOptionGroups = this.arn('rds', 'og', 'default:*');
    this.optionGroup = props.optionGroupName === undefined ? undefined : this.arn('rds', 'og', props.optionGroupName);
    this.masterUserSecrets = this.arn('secretsmanager', 'secret', `${n.secretPrefix}*`);
    this.owned = { StringEquals: { [`aws:ResourceTag/${REFRESH_TAG_OWNER}`]: props.ownerId } };
    this.requested = { StringEquals: { [`aws:RequestTag/${REFRESH_TAG_OWNER}`]: props.ownerId } };
  }

  public get isInstance(): boolean {
    return this.props.kind === DatabaseKind.DB_INSTANCE;
  }

  /** List this account's databases and snapshots (to find the copies and this instance's databases by tag). */
  public list(): iam.PolicyStatement[] {
    // A listing is authorized on the wildcard of the database type (and, for snapshots, of the snapshot type).
    const allDatabases = this.isInstance ? this.allInstances : this.allClusters;
    return [
      new iam.PolicyStatement({ actions: [this.names.listSnapshots], resources: [allDatabases, this.allSnapshots] }),
      ...(this.isInstance ? [] : [new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [this.allClusters] })]),
      new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances'], resources: [this.allInstances] }),
    ];
  }

  /** Read this instance's databases by identifier (an Aurora cluster with its instances). */
  public describe(): iam.PolicyStatement[] {
    const databases = new iam.PolicyStatement({ actions: [this.names.describe], resources: [this.stableDatabase, this.ownDatabases] });
    return this.isInstance ? [databases] : [databases, new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances'], resources: [this.allInstances] })];
  }

  /** Restore a receiver's copy into a new `<id>-*` database tagged with this owner id, with the keys through RDS. */
  public restore(): iam.PolicyStatement[] {
    const optionGroups = [this.defaultOptionGroups, ...(this.optionGroup ? [this.optionGroup] : [])];
    return [
      new iam.PolicyStatement({ actions: [this.names.restore, 'rds:AddTagsToResource'], resources: [this.ownDatabases], conditions: this.requested }),
      new iam.PolicyStatement({ actions: [this.names.restore], resources: [this.copies, this.subnetGroup, this.parameterGroup, ...optionGroups] }),
      // Restoring decrypts with the copy's key and encrypts with the database's, both through RDS.
      ...useKeysThroughRds(this.stack, [this.props.copyKeyArn], ['kms:DescribeKey', 'kms:Decrypt']),
      ...(this.props.databaseKeyArn ? useKeysThroughRds(this.stack, [this.props.databaseKeyArn], ['kms:DescribeKey']) : []),
    ];
  }

  /** Create `<id>-*` instances tagged with this owner id, in this instance's Aurora databases. */
  public createInstances(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ actions: ['rds:CreateDBInstance', 'rds:AddTagsToResource'], resources: [this.ownInstances], conditions: this.requested }),
      new iam.PolicyStatement({ actions: ['rds:CreateDBInstance'], resources: [this.ownDatabases], conditions: this.owned }),
    ];
  }

  /**
   * Have RDS put a new master password into a new secret: ModifyDBCluster (ModifyDBInstance) on
   * this instance's databases, and the Secrets Manager actions the RDS User Guide lists for the
   * caller ("Permissions required for Secrets Manager integration"; not re-verified here) on RDS's secrets.
   */
  public resetMasterPassword(): iam.PolicyStatement[] {
    const key = this.props.masterUserSecretKeyArn;
    return [
      new iam.PolicyStatement({ actions: [this.names.modify], resources: [this.ownDatabases], conditions: this.owned }),
      new iam.PolicyStatement({
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource', 'secretsmanager:RotateSecret', 'secretsmanager:DescribeSecret'],
        resources: [this.masterUserSecrets],
      }),
      ...(key ? [new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [key],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.stack.region}.${this.stack.urlSuffix}` } },
      })] : []),
    ];
  }

  /** Rename and retag this instance's databases, the serving one included. */
  public swap(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: [this.names.modify, 'rds:AddTagsToResource'],
      resources: [this.stableDatabase, this.ownDatabases],
      conditions: this.owned,
    })];
  }

  /**
   * Delete this instance's non-serving databases (an Aurora cluster's instances first), turning their
   * deletion protection off first, with a final snapshot `<id>-*-final` when asked. Never the stable
   * identifier's database. DeleteDBInstance authorizes only the DB instance (Service Authorization
   * Reference): a DB instance's final snapshot needs no grant of its own.
   */
  public delete(finalSnapshot: boolean): iam.PolicyStatement[] {
    const n = this.names;
    if (this.isInstance) {
      return [new iam.PolicyStatement({ actions: [n.delete, n.modify], resources: [this.ownDatabases], conditions: this.owned })];
    }
    return [
      new iam.PolicyStatement({ actions: ['rds:DeleteDBInstance'], resources: [this.ownInstances], conditions: this.owned }),
      new iam.PolicyStatement({ actions: [n.delete, n.modify], resources: [this.ownDatabases], conditions: this.owned }),
      new iam.PolicyStatement({
        actions: finalSnapshot ? [n.delete, 'rds:AddTagsToResource'] : [n.delete],
        resources: [this.finalSnapshots],
      }),
    ];
  }

  /** Read the serving database (the data-age publisher). */
  public describeServing(): iam.PolicyStatement[] {
    const serving = new iam.PolicyStatement({ actions: [this.names.describe], resources: [this.stableDatabase] });
    return this.isInstance ? [serving] : [serving, new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances'], resources: [this.allInstances] })];
  }

  private arn(service: string, resource: string, name: string): string {
    return this.stack.formatArn({ service, resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}
