import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TARGET_TAG_OWNER } from '../shared/constants';
import { useKeysThroughRds } from '../shared/kms-through-rds';

/** The ARNs and conditions the receiver's least-privilege policies are built from. */
export class ReceiverPermissions {
  /** Every copy this instance may make or delete: `<copyPrefix>-*` in this account. */
  public readonly ownCopies: string;
  /** This account's cluster snapshots and clusters: a listing without an identifier is authorized on them. */
  public readonly allSnapshots: string;
  public readonly allClusters: string;
  /** The shared snapshots of each source account (with `sourceSnapshotPrefix`). */
  public readonly sourceSnapshots: string[];
  /** The KMS keys of each source account. */
  public readonly sourceKeys: string[];
  /** Each source account's default event bus. */
  public readonly sourceBuses: string[];

  constructor(
    private readonly stack: Stack,
    copyPrefix: string,
    private readonly ownerId: string,
    sourceAccountIds: string[],
    sourceSnapshotPrefix: string,
  ) {
    this.ownCopies = this.arn(stack.account, 'rds', 'cluster-snapshot', `${copyPrefix}-*`);
    this.allSnapshots = this.arn(stack.account, 'rds', 'cluster-snapshot', '*');
    this.allClusters = this.arn(stack.account, 'rds', 'cluster', '*');
    this.sourceSnapshots = sourceAccountIds.map((account) => this.arn(account, 'rds', 'cluster-snapshot', `${sourceSnapshotPrefix}*`));
    this.sourceKeys = sourceAccountIds.map((account) => stack.formatArn({ account, service: 'kms', resource: 'key', resourceName: '*' }));
    this.sourceBuses = sourceAccountIds.map((account) => stack.formatArn({ account, service: 'events', resource: 'event-bus', resourceName: 'default' }));
  }

  /** List the snapshots shared with this account, and this account's manual snapshots. */
  public listSnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshots'], resources: [this.allClusters, this.allSnapshots] })];
  }

  /** Re-read a shared snapshot by its ARN. */
  public describeSourceSnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshots'], resources: this.sourceSnapshots })];
  }

  /** Read this instance's copies by identifier. */
  public describeOwnCopies(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshots'], resources: [this.ownCopies] })];
  }

  /** Copy a source's shared snapshot to a `<copyPrefix>-*` snapshot that is tagged with this owner id. */
  public copyFromSources(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ actions: ['rds:CopyDBClusterSnapshot'], resources: this.sourceSnapshots }),
      new iam.PolicyStatement({
        actions: ['rds:CopyDBClusterSnapshot', 'rds:AddTagsToResource'],
        resources: [this.ownCopies],
        conditions: { StringEquals: { [`aws:RequestTag/${TARGET_TAG_OWNER}`]: this.ownerId } },
      }),
    ];
  }

  /** Copying decrypts with the source's key: only through RDS in this Region, grants only for AWS resources. */
  public useSourceKeysThroughRds(): iam.PolicyStatement[] {
    return this.useKeysThroughRds(this.sourceKeys, ['kms:DescribeKey', 'kms:Decrypt']);
  }

  /** Copying encrypts with this account's key: RDS creates a grant on it for the new snapshot. */
  public useCopyKeyThroughRds(keyArn: string): iam.PolicyStatement[] {
    return this.useKeysThroughRds([keyArn], ['kms:DescribeKey']);
  }

  /** Delete only `<copyPrefix>-*` snapshots that carry this owner id. */
  public deleteOwnCopies(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['rds:DeleteDBClusterSnapshot'],
      resources: [this.ownCopies],
      conditions: { StringEquals: { [`aws:ResourceTag/${TARGET_TAG_OWNER}`]: this.ownerId } },
    })];
  }

  /** Tells the copy limit from the snapshot quota: an account-level action without resources. */
  public readAccountQuotas(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeAccountAttributes'], resources: ['*'] })];
  }

  private useKeysThroughRds(keys: string[], readActions: string[]): iam.PolicyStatement[] {
    return useKeysThroughRds(this.stack, keys, readActions);
  }

  private arn(account: string, service: string, resource: string, name: string): string {
    return this.stack.formatArn({ account, service, resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}
