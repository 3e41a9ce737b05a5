import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ClusterTag } from './cluster-tag';
import { deployedLength, packResources } from './policy-size';
import { IAM_LIMITS, TAG_OWNER } from '../shared/constants';

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
    /** Another Region's (`regions`): every ARN and condition names it. @default - the stack's Region */
    private readonly region?: string,
  ) {
    this.ownSnapshots = this.rdsArn('cluster-snapshot', `${prefix}-*`);
    this.allSnapshots = this.rdsArn('cluster-snapshot', '*');
    this.allClusters = this.rdsArn('cluster', '*');
    this.ownerCondition = { StringEquals: { [`aws:ResourceTag/${TAG_OWNER}`]: ownerId } };
    this.requestOwnerCondition = { StringEquals: { [`aws:RequestTag/${TAG_OWNER}`]: ownerId } };
    this.viaRds = { 'kms:ViaService': `rds.${region ?? stack.region}.${stack.urlSuffix}` };
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
    return createSnapshotStatements('rds:CreateDBClusterSnapshot', this.ownSnapshots, this.requestOwnerCondition, this.allClusters, this.clusterTag);
  }

  /**
   * Attaches the explicit clusters' ARNs to `role` as managed policies, as many as the list needs
   * (a role's inline policies hold 10,240 characters in all, a managed policy 6,144). `dependent`
   * (the function) waits for them, so its first run has them.
   */
  public attachClusterPolicies(scope: Construct, id: string, role: iam.IRole, dependent: Construct): iam.ManagedPolicy[] {
    return attachArnPolicies(scope, id, role, dependent, this.clusterDocuments, 'clusterIdentifiers');
  }

  /** Copy one of this construct's snapshots to another, tagged as its own. */
  public copySnapshots(): iam.PolicyStatement[] {
    return [ownerTaggedWrite(['rds:CopyDBClusterSnapshot', 'rds:AddTagsToResource'], this.ownSnapshots, this.requestOwnerCondition)];
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
    return this.useKeysThroughRds(keys, ['kms:DescribeKey', 'kms:Decrypt']);
  }

  /**
   * Copying with the sharing key: RDS describes the key and creates a grant on it for the new
   * snapshot. Only RDS in this Region may do so on the role's behalf, and only grants for AWS
   * resources: the role cannot create a grant for itself or anyone else. (The AWS-managed
   * `aws/rds` key's own policy allows RDS's callers exactly this way, with `kms:ViaService`.)
   */
  public useSharingKeyThroughRds(keyArn: string): iam.PolicyStatement[] {
    return this.useKeysThroughRds(keyArn, ['kms:DescribeKey']);
  }

  /** `reads` and grants for AWS resources on `keys`, only through RDS in this Region. */
  public useKeysThroughRds(keys: string | string[], reads: string[]): iam.PolicyStatement[] {
    const resources = typeof keys === 'string' ? [keys] : keys;
    return [
      new iam.PolicyStatement({ actions: reads, resources, conditions: { StringEquals: this.viaRds } }),
      new iam.PolicyStatement({
        actions: ['kms:CreateGrant'],
        resources,
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

  /**
   * The quota pre-check reads the account's RDS quotas: an account-level action without resources.
   * In another Region, only there (`aws:RequestedRegion`: the resource cannot say it).
   */
  public readAccountQuotas(): iam.PolicyStatement[] {
    const conditions = this.region ? { StringEquals: { 'aws:RequestedRegion': this.region } } : undefined;
    return [new iam.PolicyStatement({ actions: ['rds:DescribeAccountAttributes'], resources: ['*'], conditions })];
  }

  /** Tag discovery lists every cluster. */
  public listClusters(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [this.allClusters] })];
  }

  private splitClusterArns(): iam.PolicyDocument[] {
    return splitDatabaseArns(this.stack, this.clusterIdentifiers, {
      resource: 'cluster', action: 'rds:CreateDBClusterSnapshot', prop: 'clusterIdentifiers', one: 'cluster', what: 'clusters', tagProp: 'clusterTag',
    });
  }

  private rdsArn(resource: string, name: string): string {
    return rdsArn(this.stack, resource, name, this.region);
  }
}

/** `actions` on `resource` only with `conditions` (the owner tag in the request, or on the snapshot). */
export function ownerTaggedWrite(actions: string[], resource: string, conditions: Record<string, Record<string, string>>): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions, resources: [resource], conditions });
}

/**
 * Create snapshots (`action`) only into `ownSnapshots` with the owner tag in the request (and tag
 * them), and, with a selection tag, of the databases carrying it (`aws:ResourceTag`, read from the
 * database); explicit databases are allowed by ARN in managed policies of their own.
 */
export function createSnapshotStatements(
  action: string, ownSnapshots: string, requestOwner: Record<string, Record<string, string>>, allDatabases: string, tag?: ClusterTag,
): iam.PolicyStatement[] {
  const statements = [ownerTaggedWrite([action, 'rds:AddTagsToResource'], ownSnapshots, requestOwner)];
  if (tag) {
    statements.push(new iam.PolicyStatement({
      actions: [action],
      resources: [allDatabases],
      conditions: { StringEquals: { [`aws:ResourceTag/${tag.key}`]: tag.value } },
    }));
  }
  return statements;
}

/** Attaches `documents` (the explicit databases' ARNs of `prop`) to `role` as managed policies; `dependent` waits for them. */
export function attachArnPolicies(
  scope: Construct, id: string, role: iam.IRole, dependent: Construct, documents: iam.PolicyDocument[], prop: string,
): iam.ManagedPolicy[] {
  return documents.map((document, i) => {
    const policy = new iam.ManagedPolicy(scope, `${id}${i + 1}`, {
      description: `SharedClusterSnapshots: the ${prop} it may snapshot (part ${i + 1} of ${documents.length})`,
      document,
      roles: [role],
    });
    dependent.node.addDependency(policy);
    return policy;
  });
}

/** An RDS ARN of this stack's account and Region, or `region` (`arn:<partition>:rds:<region>:<account>:<resource>:<name>`). */
export function rdsArn(stack: Stack, resource: string, name: string, region?: string): string {
  return stack.formatArn({ service: 'rds', region, resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/**
 * Packs the explicit databases' ARNs (`cluster:<id>` or `db:<id>`) into as few managed policy
 * documents granting `action` as fit, measured as deployed; throws, naming the prop, when they need
 * more managed policies than a role may hold.
 */
export function splitDatabaseArns(
  stack: Stack, identifiers: string[], kind: { resource: string; action: string; prop: string; one: string; what: string; tagProp: string },
): iam.PolicyDocument[] {
  // RDS stores identifiers lowercase, and IAM compares case-sensitively.
  const names = identifiers.map((id) => (Token.isUnresolved(id) ? id : id.toLowerCase()));
  // A literal id is appended to one formatted ARN prefix and adds its own JSON length to the
  // prefix's: a fleet of 500 ids is formatted and measured once, not 500 times.
  const prefix = rdsArn(stack, kind.resource, '');
  const prefixLength = deployedLength(stack, prefix);
  const arns = names.map((name) => (Token.isUnresolved(name) ? rdsArn(stack, kind.resource, name) : `${prefix}${name}`));
  const sizes = names.map((name, i) => (Token.isUnresolved(name)
    ? deployedLength(stack, arns[i])
    : prefixLength + JSON.stringify(name).length - 2));
  const packed = packResources(stack, arns, (resources) => new iam.PolicyDocument({
    statements: [new iam.PolicyStatement({ actions: [kind.action], resources })],
  }), { maxDocuments: IAM_LIMITS.managedPoliciesPerRole, maxCharacters: IAM_LIMITS.managedPolicyCharacters }, sizes);
  if ('documents' in packed) return packed.documents;
  throw new Error(
    `${kind.prop} lists ${arns.length} ${kind.what}, but only the first ${packed.fit} fit the CreateSnapshot role's IAM policies `
    + `(${IAM_LIMITS.managedPoliciesPerRole} managed policies of ${IAM_LIMITS.managedPolicyCharacters.toLocaleString('en-US')} characters, `
    + `listing each ${kind.one} by ARN). Tag the ${kind.what} and select them with ${kind.tagProp} instead, which needs one statement for any number of ${kind.what}`,
  );
}
