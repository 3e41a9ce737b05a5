import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ClusterTag } from './props';
import { TAG_CLUSTER, TAG_OWNER } from '../shared/constants';

/**
 * Up to this many explicit clusters are listed by ARN in the CreateSnapshot role's policy (about
 * 70 characters each); more would not fit the role's 10,240-character inline policy limit.
 */
export const MAX_CLUSTER_ARNS = 60;

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

  /** Look up a cluster by id. */
  public describeClusters(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [this.allClusters] })];
  }

  /** List the snapshots of a cluster (a filtered listing is authorized on the cluster and the snapshots). */
  public listSnapshotsOfCluster(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshots'], resources: [this.allClusters, this.allSnapshots] })];
  }

  /** Read this construct's snapshots by identifier. */
  public describeOwnSnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshots'], resources: [this.ownSnapshots] })];
  }

  /** Read who this construct's snapshots are shared with. */
  public describeOwnSnapshotAttributes(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshotAttributes'], resources: [this.ownSnapshots] })];
  }

  /**
   * Snapshot the configured clusters, creating tagged snapshots. Explicit clusters are listed by ARN;
   * past `MAX_CLUSTER_ARNS` (an IAM role holds 10,240 characters of inline policy) they are allowed
   * by the cluster tag the handler puts on the new snapshot (`aws:RequestTag`), a list of ids that
   * grows the policy only by the ids. Tagged clusters are allowed by their own tag.
   */
  public createSnapshots(): iam.PolicyStatement[] {
    const statements = [
      new iam.PolicyStatement({
        actions: ['rds:CreateDBClusterSnapshot', 'rds:AddTagsToResource'],
        resources: [this.ownSnapshots],
        conditions: this.requestOwnerCondition,
      }),
    ];
    // RDS stores identifiers lowercase, and IAM compares case-sensitively.
    const ids = this.clusterIdentifiers.map((id) => (Token.isUnresolved(id) ? id : id.toLowerCase()));
    if (ids.length > 0 && ids.length <= MAX_CLUSTER_ARNS) {
      statements.push(new iam.PolicyStatement({
        actions: ['rds:CreateDBClusterSnapshot'],
        resources: ids.map((id) => this.rdsArn('cluster', id)),
      }));
    } else if (ids.length > MAX_CLUSTER_ARNS) {
      statements.push(new iam.PolicyStatement({
        actions: ['rds:CreateDBClusterSnapshot'],
        resources: [this.allClusters],
        conditions: { StringEquals: { [`aws:RequestTag/${TAG_CLUSTER}`]: ids } },
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
   * Count the copies in progress in the account and Region (a listing of every manual snapshot,
   * authorized on the wildcard ARNs), and tell RDS's copy limit from a full manual-snapshot quota.
   */
  public countCopiesInProgress(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshots'], resources: [this.allClusters, this.allSnapshots] }),
      ...this.readAccountQuotas(),
    ];
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

  /** The quota pre-check reads the account's RDS quotas: an account-level action without resources. */
  public readAccountQuotas(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeAccountAttributes'], resources: ['*'] })];
  }

  /** Tag discovery lists every cluster. */
  public listClusters(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [this.allClusters] })];
  }

  private rdsArn(resource: string, name: string): string {
    return this.stack.formatArn({ service: 'rds', resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}
