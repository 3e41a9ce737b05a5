import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TAG_OWNER } from './handlers/tags.lambda-shared';
import type { ClusterTag } from './props';

/** The ARNs and conditions every handler's least-privilege policy is built from. */
export class SnapshotPermissions {
  /** Every cluster snapshot this construct may create, copy, share or delete. */
  public readonly ownSnapshots: string;
  public readonly allSnapshots: string;
  public readonly allClusters: string;
  private readonly ownerCondition: Record<string, Record<string, string>>;
  private readonly requestOwnerCondition: Record<string, Record<string, string>>;

  constructor(
    private readonly stack: Stack,
    prefix: string,
    ownerId: string,
    private readonly clusterIdentifiers: string[],
    private readonly clusterTag?: ClusterTag,
  ) {
    this.ownSnapshots = this.rdsArn('cluster-snapshot', `${prefix}-*`);
    this.allSnapshots = this.rdsArn('cluster-snapshot', '*');
    this.allClusters = this.rdsArn('cluster', '*');
    this.ownerCondition = { StringEquals: { [`aws:ResourceTag/${TAG_OWNER}`]: ownerId } };
    this.requestOwnerCondition = { StringEquals: { [`aws:RequestTag/${TAG_OWNER}`]: ownerId } };
  }

  /** Look up a cluster by id, and list snapshots of a cluster. */
  public describeClustersAndSnapshots(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [this.allClusters] }),
      new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshots'], resources: [this.allClusters, this.allSnapshots] }),
    ];
  }

  /** Read this construct's snapshots by identifier. */
  public describeOwnSnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['rds:DescribeDBClusterSnapshots', 'rds:DescribeDBClusterSnapshotAttributes'],
      resources: [this.ownSnapshots],
    })];
  }

  /** Snapshot the configured clusters (explicit ARNs; tagged ones by tag condition), creating tagged snapshots. */
  public createSnapshots(): iam.PolicyStatement[] {
    const statements = [
      new iam.PolicyStatement({
        actions: ['rds:CreateDBClusterSnapshot', 'rds:AddTagsToResource'],
        resources: [this.ownSnapshots],
        conditions: this.requestOwnerCondition,
      }),
    ];
    if (this.clusterIdentifiers.length > 0) {
      statements.push(new iam.PolicyStatement({
        actions: ['rds:CreateDBClusterSnapshot'],
        // RDS stores identifiers lowercase and IAM compares ARNs case-sensitively.
        resources: this.clusterIdentifiers.map((id) => this.rdsArn('cluster', Token.isUnresolved(id) ? id : id.toLowerCase())),
      }));
    }
    if (this.clusterTag) {
      statements.push(new iam.PolicyStatement({
        actions: ['rds:CreateDBClusterSnapshot'],
        resources: [this.allClusters],
        conditions: { StringEquals: { [`aws:ResourceTag/${this.clusterTag.key}`]: this.clusterTag.value } },
      }));
    }
    return statements;
  }

  /** Copy one of this construct's snapshots to another, tagged as its own. */
  public copySnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['rds:CopyDBClusterSnapshot', 'rds:AddTagsToResource'],
      resources: [this.ownSnapshots],
      conditions: this.requestOwnerCondition,
    })];
  }

  /**
   * Copying re-encrypts: RDS creates grants on the source snapshot's key, whichever key that is
   * (AWS-managed `aws/rds` or a customer key), but only on behalf of RDS in this Region.
   */
  public useSourceKeysThroughRds(): iam.PolicyStatement[] {
    const keys = this.stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
    const viaRds = { 'kms:ViaService': `rds.${this.stack.region}.${this.stack.urlSuffix}` };
    return [
      new iam.PolicyStatement({
        actions: ['kms:DescribeKey', 'kms:Decrypt'],
        resources: [keys],
        conditions: { StringEquals: viaRds },
      }),
      new iam.PolicyStatement({
        actions: ['kms:CreateGrant'],
        resources: [keys],
        conditions: { StringEquals: viaRds, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    ];
  }

  /** Share only snapshots with this construct's prefix and owner tag. */
  public shareSnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['rds:ModifyDBClusterSnapshotAttribute'],
      resources: [this.ownSnapshots],
      conditions: this.ownerCondition,
    })];
  }

  /** Delete only snapshots with this construct's prefix and owner tag. */
  public deleteOwnSnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['rds:DeleteDBClusterSnapshot'],
      resources: [this.ownSnapshots],
      conditions: this.ownerCondition,
    })];
  }

  /** Tag discovery lists every cluster. */
  public listClusters(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [this.allClusters] })];
  }

  private rdsArn(resource: string, name: string): string {
    return this.stack.formatArn({ service: 'rds', resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}
