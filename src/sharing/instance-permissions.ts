import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ClusterTag } from './cluster-tag';
import { rdsArn, splitDatabaseArns } from './permissions';
import { TAG_COPIED_PREFIX, TAG_OWNER } from '../shared/constants';
import { ExpectedWildcard, expectedWildcard } from '../shared/nag';

/**
 * The DB instance counterparts of SnapshotPermissions, when the construct selects DB instances:
 * the same scoping (this instance's `<prefix>-*` DB snapshots with its owner tag; the selected
 * instances by ARN or by their own tag), on the instance resource types of the Service
 * Authorization Reference (`db`, `snapshot`).
 */
export class InstancePermissions {
  /** Every DB snapshot this construct may create, copy, share or delete. */
  public readonly ownSnapshots: string;
  public readonly allSnapshots: string;
  public readonly allInstances: string;
  private readonly ownerCondition: Record<string, Record<string, string>>;
  private readonly requestOwnerCondition: Record<string, Record<string, string>>;
  private readonly instanceDocuments: iam.PolicyDocument[];

  constructor(
    private readonly stack: Stack,
    prefix: string,
    private readonly ownerId: string,
    instanceIdentifiers: string[],
    private readonly instanceTag?: ClusterTag,
  ) {
    this.ownSnapshots = rdsArn(stack, 'snapshot', `${prefix}-*`);
    this.allSnapshots = rdsArn(stack, 'snapshot', '*');
    this.allInstances = rdsArn(stack, 'db', '*');
    this.ownerCondition = { StringEquals: { [`aws:ResourceTag/${TAG_OWNER}`]: ownerId } };
    this.requestOwnerCondition = { StringEquals: { [`aws:RequestTag/${TAG_OWNER}`]: ownerId } };
    this.instanceDocuments = splitDatabaseArns(stack, instanceIdentifiers, {
      resource: 'db', action: 'rds:CreateDBSnapshot', prop: 'instanceIdentifiers', one: 'DB instance', what: 'DB instances', tagProp: 'instanceTag',
    });
  }

  /** Look up a DB instance by id (Prepare), or list them (tag discovery). */
  public describeInstances(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances'], resources: [this.allInstances] })];
  }

  /** List one instance's, or every, manual DB snapshot (a filtered listing is authorized on the instance and the snapshots). */
  public listSnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBSnapshots'], resources: [this.allInstances, this.allSnapshots] })];
  }

  /** Read this construct's DB snapshots by identifier. */
  public describeOwnSnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBSnapshots'], resources: [this.ownSnapshots] })];
  }

  /** Read who this construct's DB snapshots are shared with. */
  public describeOwnSnapshotAttributes(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBSnapshotAttributes'], resources: [this.ownSnapshots] })];
  }

  /**
   * Snapshot the selected instances into tagged DB snapshots: tagged instances by their own tag
   * (`aws:ResourceTag`), explicit ones by ARN in managed policies of their own (`attachInstancePolicies`).
   */
  public createSnapshots(): iam.PolicyStatement[] {
    const statements = [new iam.PolicyStatement({
      actions: ['rds:CreateDBSnapshot', 'rds:AddTagsToResource'],
      resources: [this.ownSnapshots],
      conditions: this.requestOwnerCondition,
    })];
    if (this.instanceTag) {
      statements.push(new iam.PolicyStatement({
        actions: ['rds:CreateDBSnapshot'],
        resources: [this.allInstances],
        conditions: { StringEquals: { [`aws:ResourceTag/${this.instanceTag.key}`]: this.instanceTag.value } },
      }));
    }
    return statements;
  }

  /** Attaches the explicit instances' ARNs to `role` as managed policies, as SnapshotPermissions does the clusters'. */
  public attachInstancePolicies(scope: Construct, id: string, role: iam.IRole, dependent: Construct): iam.ManagedPolicy[] {
    return this.instanceDocuments.map((document, i) => {
      const policy = new iam.ManagedPolicy(scope, `${id}${i + 1}`, {
        description: `SharedClusterSnapshots: the instanceIdentifiers it may snapshot (part ${i + 1} of ${this.instanceDocuments.length})`,
        document,
        roles: [role],
      });
      dependent.node.addDependency(policy);
      return policy;
    });
  }

  /** Copy one of this construct's DB snapshots to another, tagged as its own. */
  public copySnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['rds:CopyDBSnapshot', 'rds:AddTagsToResource'],
      resources: [this.ownSnapshots],
      conditions: this.requestOwnerCondition,
    })];
  }

  /** Share only DB snapshots with this construct's prefix and owner tag. */
  public shareSnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:ModifyDBSnapshotAttribute'], resources: [this.ownSnapshots], conditions: this.ownerCondition })];
  }

  /** Delete only DB snapshots with this construct's prefix and owner tag. */
  public deleteOwnSnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DeleteDBSnapshot'], resources: [this.ownSnapshots], conditions: this.ownerCondition })];
  }

  /** Add only copy confirmation tags, only to this owner's `<prefix>-*` DB snapshots (as `recordConfirmationStatements`). */
  public recordConfirmations(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['rds:AddTagsToResource'],
      resources: [this.ownSnapshots],
      conditions: {
        'StringEquals': { [`aws:ResourceTag/${TAG_OWNER}`]: this.ownerId },
        'ForAllValues:StringLike': { 'aws:TagKeys': [`${TAG_COPIED_PREFIX}*`] },
      },
    })];
  }

  /** The wildcards these statements grant on, with the reason each is needed, for the cdk-nag suppressions. */
  public expectedWildcards(prefix: string): ExpectedWildcard[] {
    const known = (resource: string, reason: string, onlyActions?: string[], notes?: Record<string, string>) =>
      expectedWildcard(this.stack, resource, reason, onlyActions, notes);
    return [
      known(this.ownSnapshots, `DB snapshot identifiers are generated per run, so only this instance's '${prefix}-' prefix is known at deploy time.`,
        undefined, {
          [`aws:RequestTag/${TAG_OWNER}`]: `New DB snapshots must be tagged ${TAG_OWNER} with this instance's owner id.`,
          [`aws:ResourceTag/${TAG_OWNER}`]: `Existing DB snapshots must carry ${TAG_OWNER} with this instance's owner id.`,
        }),
      known(this.allSnapshots, 'Lists one DB instance\'s manual snapshots (filter db-instance-id), or all of them to count copies in '
        + 'progress, to find those this instance owns by tag; a filtered list call has no snapshot ARN to scope to.', ['rds:DescribeDBSnapshots']),
      known(this.allInstances, 'DB instances are chosen at run time (found by instanceTag, or named in an execution input and checked by '
        + 'the handler against instanceIdentifiers and instanceTag), so their ARNs cannot all be listed in advance.', undefined, this.instanceTag && {
        [`aws:ResourceTag/${this.instanceTag.key}`]: 'Snapshots may be created only of DB instances that carry instanceTag (aws:ResourceTag, '
          + 'read from the instance); explicit instanceIdentifiers are allowed by ARN in managed policies of their own.',
      }),
    ];
  }
}
