import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ClusterTag } from './props';
import { IAM_LIMITS, MAX_IDENTIFIER_LENGTH, TAG_OWNER } from '../shared/constants';

/**
 * The longest value each pseudo parameter takes where the stack may deploy, so that a policy that
 * measures within IAM's limits with them fits in every partition and Region: `aws-us-gov` is the
 * longest partition name, Region names are at most 15 characters today (e.g. `us-isof-south-1`),
 * 20 are assumed.
 */
const LONGEST_PSEUDO_VALUES: Record<string, string> = {
  'AWS::Partition': 'aws-us-gov',
  'AWS::Region': 'x'.repeat(20),
  'AWS::AccountId': '0'.repeat(12),
  'AWS::URLSuffix': 'amazonaws.com.cn',
};

/** The ARNs and conditions every handler's least-privilege policy is built from. */
export class SnapshotPermissions {
  /** Every cluster snapshot this construct may create, copy, share or delete. */
  public readonly ownSnapshots: string;
  public readonly allSnapshots: string;
  public readonly allClusters: string;
  private readonly ownerCondition: Record<string, Record<string, string>>;
  private readonly requestOwnerCondition: Record<string, Record<string, string>>;
  private readonly viaRds: Record<string, string>;
  /** The explicit clusters' ARNs, split into managed policy documents that each fit IAM's limit. */
  private readonly clusterDocuments: iam.PolicyDocument[];

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
    this.viaRds = { 'kms:ViaService': `rds.${stack.region}.${stack.urlSuffix}` };
    this.clusterDocuments = this.splitClusterArns();
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
   * Snapshot the configured clusters, creating tagged snapshots. Tagged clusters are allowed by
   * their own tag (`aws:ResourceTag`, which RDS reads from the cluster). Explicit clusters are
   * allowed by ARN, in managed policies of their own (`attachClusterPolicies`): a tag the caller
   * puts in its own request (`aws:RequestTag`) would prove nothing about the cluster.
   */
  public createSnapshots(): iam.PolicyStatement[] {
    const statements = [
      new iam.PolicyStatement({
        actions: ['rds:CreateDBClusterSnapshot', 'rds:AddTagsToResource'],
        resources: [this.ownSnapshots],
        conditions: this.requestOwnerCondition,
      }),
    ];
    if (this.clusterTag) {
      statements.push(new iam.PolicyStatement({
        actions: ['rds:CreateDBClusterSnapshot'],
        resources: [this.allClusters],
        conditions: { StringEquals: { [`aws:ResourceTag/${this.clusterTag.key}`]: this.clusterTag.value } },
      }));
    }
    return statements;
  }

  /**
   * Attaches the explicit clusters' ARNs to `role` as managed policies, as many as the list needs
   * (a role's inline policies hold 10,240 characters in all, a managed policy 6,144). `dependent`
   * (the function) waits for them, so its first run has them.
   */
  public attachClusterPolicies(scope: Construct, id: string, role: iam.IRole, dependent: Construct): iam.ManagedPolicy[] {
    return this.clusterDocuments.map((document, i) => {
      const policy = new iam.ManagedPolicy(scope, `${id}${i + 1}`, {
        description: `SharedClusterSnapshots: the clusterIdentifiers it may snapshot (part ${i + 1} of ${this.clusterDocuments.length})`,
        document,
        roles: [role],
      });
      dependent.node.addDependency(policy);
      return policy;
    });
  }

  /**
   * Packs the cluster ARNs into as few policy documents as fit IAM's managed policy limit, each
   * measured as deployed with the longest pseudo parameter values; throws, naming
   * `clusterIdentifiers`, when they need more managed policies than a role may hold.
   */
  private splitClusterArns(): iam.PolicyDocument[] {
    // RDS stores identifiers lowercase, and IAM compares case-sensitively.
    const arns = this.clusterIdentifiers.map((id) => this.rdsArn('cluster', Token.isUnresolved(id) ? id : id.toLowerCase()));
    if (arns.length === 0) return [];
    const document = (resources: string[]) => new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({ actions: ['rds:CreateDBClusterSnapshot'], resources })],
    });
    const sizes = arns.map((arn) => this.deployedLength(arn));
    // A document of two ARNs, less the ARNs and their comma, is what every document costs besides its ARNs.
    const overhead = this.deployedLength(document([arns[0], arns[0].concat('x')])) - 2 * sizes[0] - 2;
    let chunk: string[] = [];
    const chunks = [chunk];
    let used = overhead;
    for (const [i, arn] of arns.entries()) {
      if (chunk.length > 0 && used + 1 + sizes[i] > IAM_LIMITS.managedPolicyCharacters) {
        if (chunks.length === IAM_LIMITS.managedPoliciesPerRole) throw this.tooManyClusters(i);
        chunk = [];
        chunks.push(chunk);
        used = overhead;
      }
      used += (chunk.length > 0 ? 1 : 0) + sizes[i];
      chunk.push(arn);
    }
    return chunks.map(document);
  }

  private tooManyClusters(fit: number): Error {
    return new Error(
      `clusterIdentifiers lists ${this.clusterIdentifiers.length} clusters, but only the first ${fit} fit the CreateSnapshot role's IAM policies `
      + `(${IAM_LIMITS.managedPoliciesPerRole} managed policies of ${IAM_LIMITS.managedPolicyCharacters.toLocaleString('en-US')} characters, listing each cluster by ARN). `
      + 'Tag the clusters and select them with clusterTag instead, which needs one statement for any number of clusters',
    );
  }

  /**
   * The characters `value` takes in a deployed policy: its JSON once CloudFormation has resolved it,
   * with the longest pseudo parameter values, and an unresolved cluster identifier at its longest.
   */
  private deployedLength(value: unknown): number {
    const substitute = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(substitute);
      if (v === null || typeof v !== 'object') return v;
      const node = v as Record<string, unknown>;
      if (typeof node.Ref === 'string') return LONGEST_PSEUDO_VALUES[node.Ref] ?? 'x'.repeat(MAX_IDENTIFIER_LENGTH);
      if (Array.isArray(node['Fn::Join'])) {
        const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
        return parts.map((part) => String(substitute(part))).join(separator);
      }
      const keys = Object.keys(node);
      if (keys.length === 1 && keys[0].startsWith('Fn::')) return 'x'.repeat(MAX_IDENTIFIER_LENGTH);
      return Object.fromEntries(keys.map((key) => [key, substitute(node[key])]));
    };
    return JSON.stringify(substitute(this.stack.resolve(value))).length;
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
    return this.useKeysThroughRds(keys, ['kms:DescribeKey', 'kms:Decrypt']);
  }

  /**
   * Copying with the sharing key: RDS describes the key and creates a grant on it for the new
   * snapshot. Only RDS in this Region may do so on the role's behalf, and only grants for AWS
   * resources: the role cannot create a grant for itself or anyone else.
   */
  public useSharingKeyThroughRds(keyArn: string): iam.PolicyStatement[] {
    return this.useKeysThroughRds(keyArn, ['kms:DescribeKey']);
  }

  private useKeysThroughRds(keys: string, reads: string[]): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({ actions: reads, resources: [keys], conditions: { StringEquals: this.viaRds } }),
      new iam.PolicyStatement({
        actions: ['kms:CreateGrant'],
        resources: [keys],
        conditions: { StringEquals: this.viaRds, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
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
