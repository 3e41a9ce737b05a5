import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { REFRESH_TAG_OWNER } from '../shared/constants';
import { useKeysThroughRds } from '../shared/kms-through-rds';

/** What the permissions are derived from. */
export interface RefreshPermissionsProps {
  readonly databaseIdentifier: string;
  readonly ownerId: string;
  readonly copyPrefix: string;
  readonly copyKeyArn: string;
  /** The restored database's key, when it is not the copy's. */
  readonly databaseKeyArn?: string;
  readonly subnetGroupName: string;
  readonly parameterGroupName?: string;
  readonly masterUserSecretKeyArn?: string;
}

/**
 * The ARNs and conditions the refresh's least-privilege policies are built from. It restores, renames
 * and deletes only databases named `<databaseIdentifier>` or `<databaseIdentifier>-*` that carry its
 * owner tag (a new one only with that tag in the request), and restores only the receiver's copies.
 */
export class RefreshPermissions {
  /** The stable identifier's cluster, and every other this instance names. */
  public readonly stableDatabase: string;
  public readonly ownDatabases: string;
  /** The instances of this instance's databases. */
  public readonly ownInstances: string;
  /** Final snapshots of previous databases (`<id>-<generation>-final`). */
  public readonly finalSnapshots: string;
  /** The receiver's copies. */
  public readonly copies: string;
  /** Listings without an identifier are authorized on the type's wildcard. */
  public readonly allClusters: string;
  public readonly allSnapshots: string;
  public readonly allInstances: string;
  /** What a restore also authorizes: the subnet group, the parameter group, the (Aurora: default) option group. */
  public readonly subnetGroup: string;
  public readonly parameterGroup: string;
  public readonly defaultOptionGroups: string;
  /** The secrets RDS creates for the master user (`rds!cluster-...`). */
  public readonly masterUserSecrets: string;
  private readonly owned: Record<string, Record<string, string>>;
  private readonly requested: Record<string, Record<string, string>>;

  constructor(private readonly stack: Stack, private readonly props: RefreshPermissionsProps) {
    const id = props.databaseIdentifier;
    this.stableDatabase = this.arn('rds', 'cluster', id);
    this.ownDatabases = this.arn('rds', 'cluster', `${id}-*`);
    this.ownInstances = this.arn('rds', 'db', `${id}-*`);
    this.finalSnapshots = this.arn('rds', 'cluster-snapshot', `${id}-*`);
    this.copies = this.arn('rds', 'cluster-snapshot', `${props.copyPrefix}-*`);
    this.allClusters = this.arn('rds', 'cluster', '*');
    this.allSnapshots = this.arn('rds', 'cluster-snapshot', '*');
    this.allInstances = this.arn('rds', 'db', '*');
    this.subnetGroup = this.arn('rds', 'subgrp', props.subnetGroupName);
    this.parameterGroup = this.arn('rds', 'cluster-pg', props.parameterGroupName ?? 'default.*');
    this.defaultOptionGroups = this.arn('rds', 'og', 'default:*');
    this.masterUserSecrets = this.arn('secretsmanager', 'secret', 'rds!cluster-*');
    this.owned = { StringEquals: { [`aws:ResourceTag/${REFRESH_TAG_OWNER}`]: props.ownerId } };
    this.requested = { StringEquals: { [`aws:RequestTag/${REFRESH_TAG_OWNER}`]: props.ownerId } };
  }

  /** List this account's clusters and snapshots (to find the copies and this instance's databases by tag). */
  public list(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshots'], resources: [this.allClusters, this.allSnapshots] }),
      new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [this.allClusters] }),
      new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances'], resources: [this.allInstances] }),
    ];
  }

  /** Read this instance's databases by identifier, with their instances. */
  public describe(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [this.stableDatabase, this.ownDatabases] }),
      new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances'], resources: [this.allInstances] }),
    ];
  }

  /** Restore a receiver's copy into a new `<id>-*` database tagged with this owner id, with the keys through RDS. */
  public restore(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['rds:RestoreDBClusterFromSnapshot', 'rds:AddTagsToResource'],
        resources: [this.ownDatabases],
        conditions: this.requested,
      }),
      new iam.PolicyStatement({
        actions: ['rds:RestoreDBClusterFromSnapshot'],
        resources: [this.copies, this.subnetGroup, this.parameterGroup, this.defaultOptionGroups],
      }),
      // Restoring decrypts with the copy's key and encrypts with the database's, both through RDS.
      ...useKeysThroughRds(this.stack, [this.props.copyKeyArn], ['kms:DescribeKey', 'kms:Decrypt']),
      ...(this.props.databaseKeyArn ? useKeysThroughRds(this.stack, [this.props.databaseKeyArn], ['kms:DescribeKey']) : []),
    ];
  }

  /** Create `<id>-*` instances tagged with this owner id, in this instance's databases. */
  public createInstances(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ actions: ['rds:CreateDBInstance', 'rds:AddTagsToResource'], resources: [this.ownInstances], conditions: this.requested }),
      new iam.PolicyStatement({ actions: ['rds:CreateDBInstance'], resources: [this.ownDatabases], conditions: this.owned }),
    ];
  }

  /**
   * Have RDS put a new master password into a new secret: ModifyDBCluster on this instance's
   * databases, and the Secrets Manager actions the RDS User Guide lists for the caller
   * ("Permissions required for Secrets Manager integration"; not re-verified here) on RDS's secrets.
   */
  public resetMasterPassword(): iam.PolicyStatement[] {
    const key = this.props.masterUserSecretKeyArn;
    return [
      new iam.PolicyStatement({ actions: ['rds:ModifyDBCluster'], resources: [this.ownDatabases], conditions: this.owned }),
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
      actions: ['rds:ModifyDBCluster', 'rds:AddTagsToResource'],
      resources: [this.stableDatabase, this.ownDatabases],
      conditions: this.owned,
    })];
  }

  /**
   * Delete this instance's instances and non-serving databases (turning their deletion protection off
   * first), with a final snapshot `<id>-*-final` when asked. Never the stable identifier's database.
   */
  public delete(finalSnapshot: boolean): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ actions: ['rds:DeleteDBInstance'], resources: [this.ownInstances], conditions: this.owned }),
      new iam.PolicyStatement({ actions: ['rds:DeleteDBCluster', 'rds:ModifyDBCluster'], resources: [this.ownDatabases], conditions: this.owned }),
      new iam.PolicyStatement({
        actions: finalSnapshot ? ['rds:DeleteDBCluster', 'rds:AddTagsToResource'] : ['rds:DeleteDBCluster'],
        resources: [this.finalSnapshots],
      }),
    ];
  }

  /** Read the serving database (the data-age publisher). */
  public describeServing(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [this.stableDatabase] }),
      new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances'], resources: [this.allInstances] }),
    ];
  }

  private arn(service: string, resource: string, name: string): string {
    return this.stack.formatArn({ service, resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}
