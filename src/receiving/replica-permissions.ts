import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TARGET_TAG_OWNER } from '../shared/constants';

/** A replica Region and its key, as the permissions need them. */
export interface ReplicaTarget {
  readonly region: string;
  readonly keyArn: string;
}

/**
 * The least-privilege statements of the replica functions: every RDS call is allowed only in the
 * listed Regions (ARNs per Region, and `aws:RequestedRegion`), every key only through RDS in its
 * Region (`kms:ViaService`). A cross-Region copy needs the copy permission on the source ARN (the
 * copy here) and the target ARN, and the keys of both Regions through RDS (aws-facts.md, "Regions").
 */
export class ReplicaPermissions {
  /** `<copyPrefix>-*` snapshots in each replica Region. */
  public readonly replicaCopies: string[];
  /** Each replica Region's cluster snapshots and clusters: a listing is authorized on the wildcard ARNs. */
  public readonly allSnapshots: string[];
  public readonly allClusters: string[];
  public readonly regions: string[];
  private readonly inRegions: Record<string, Record<string, string[]>>;

  constructor(
    private readonly stack: Stack,
    copyPrefix: string,
    private readonly ownerId: string,
    private readonly replicas: ReplicaTarget[],
    /** This instance's copies in its own Region: the sources of the replicas. */
    private readonly homeCopies: string,
    private readonly homeKeyArn: string,
  ) {
    this.regions = replicas.map((r) => r.region);
    this.replicaCopies = this.regions.map((region) => this.arn(region, 'cluster-snapshot', `${copyPrefix}-*`));
    this.allSnapshots = this.regions.map((region) => this.arn(region, 'cluster-snapshot', '*'));
    this.allClusters = this.regions.map((region) => this.arn(region, 'cluster', '*'));
    this.inRegions = { StringEquals: { 'aws:RequestedRegion': this.regions } };
  }

  /** Read this instance's replicas by identifier. */
  public describeReplicas(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshots'], resources: this.replicaCopies, conditions: this.inRegions })];
  }

  /** List each replica Region's manual snapshots (to find this instance's replicas by tag). */
  public listReplicas(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['rds:DescribeDBClusterSnapshots'], resources: [...this.allClusters, ...this.allSnapshots], conditions: this.inRegions,
    })];
  }

  /**
   * Copy this instance's copy (the source, named by its ARN here) into a `<copyPrefix>-*` replica
   * tagged with this owner id, called in the replica Region; read that Region's quotas; use this
   * Region's key to decrypt and the replica Region's key to encrypt, through RDS only. Which RDS
   * endpoint uses the source key in a cross-Region copy is not documented: both Regions' are allowed.
   */
  public copyReplicas(): iam.PolicyStatement[] {
    const viaRds = (regions: string[]) => ({ 'kms:ViaService': regions.map((region) => `rds.${region}.${this.stack.urlSuffix}`) });
    const grantsForRds = (regions: string[]) => ({ StringEquals: viaRds(regions), Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    const bothRegions = [this.stack.region, ...this.regions];
    return [
      new iam.PolicyStatement({ actions: ['rds:CopyDBClusterSnapshot'], resources: [this.homeCopies], conditions: this.inRegions }),
      new iam.PolicyStatement({
        actions: ['rds:CopyDBClusterSnapshot', 'rds:AddTagsToResource'],
        resources: this.replicaCopies,
        conditions: { StringEquals: { [`aws:RequestTag/${TARGET_TAG_OWNER}`]: this.ownerId, 'aws:RequestedRegion': this.regions } },
      }),
      new iam.PolicyStatement({ actions: ['rds:DescribeAccountAttributes'], resources: ['*'], conditions: this.inRegions }),
      new iam.PolicyStatement({ actions: ['kms:DescribeKey', 'kms:Decrypt'], resources: [this.homeKeyArn], conditions: { StringEquals: viaRds(bothRegions) } }),
      new iam.PolicyStatement({ actions: ['kms:CreateGrant'], resources: [this.homeKeyArn], conditions: grantsForRds(bothRegions) }),
      ...this.replicas.flatMap(({ region, keyArn }) => [
        new iam.PolicyStatement({ actions: ['kms:DescribeKey'], resources: [keyArn], conditions: { StringEquals: viaRds([region]) } }),
        new iam.PolicyStatement({ actions: ['kms:CreateGrant'], resources: [keyArn], conditions: grantsForRds([region]) }),
      ]),
    ];
  }

  /** Delete only `<copyPrefix>-*` replicas that carry this owner id, in the replica Regions. */
  public deleteReplicas(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['rds:DeleteDBClusterSnapshot'],
      resources: this.replicaCopies,
      conditions: { StringEquals: { [`aws:ResourceTag/${TARGET_TAG_OWNER}`]: this.ownerId, 'aws:RequestedRegion': this.regions } },
    })];
  }

  private arn(region: string, resource: string, name: string): string {
    return this.stack.formatArn({ region, service: 'rds', resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}
