import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ClusterTag } from './cluster-tag';
import { attachArnPolicies, createSnapshotStatements, ownerTaggedWrite, rdsArn, splitDatabaseArns } from './permissions';
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
  /** The automated snapshots of the selected instances: `rds:<id>-*` by id, every one with instanceTag. */
  private readonly automatedSnapshots: string[];

  constructor(
    private readonly stack: Stack,
    prefix: string,
    private readonly ownerId: string,
    instanceIdentifiers: string[],
    private readonly instanceTag?: ClusterTag,
    /** Another Region's (`regions`): only the DB snapshot statements apply there. @default - the stack's Region */
    region?: string,
  ) {
    this.ownSnapshots = rdsArn(stack, 'snapshot', `${prefix}-*`, region);
    this.allSnapshots = rdsArn(stack, 'snapshot', '*', region);
    this.allInstances = rdsArn(stack, 'db', '*', region);
    this.ownerCondition = { StringEquals: { [`aws:ResourceTag/${TAG_OWNER}`]: ownerId } };
    this.requestOwnerCondition = { StringEquals: { [`aws:RequestTag/${TAG_OWNER}`]: ownerId } };
    this.automatedSnapshots = instanceTag
      ? [rdsArn(stack, 'snapshot', 'rds:*')]
      : instanceIdentifiers.map((id) => rdsArn(stack, 'snapshot', `rds:${Token.isUnresolved(id) ? id : id.toLowerCase()}-*`));
    this.instanceDocuments = splitDatabaseArns(stack, instanceIdentifiers, {
      resource: 'db', action: 'rds:CreateDBSnapshot', prop: 'instanceIdentifiers', one: 'DB instance', what: 'DB instances', tagProp: 'instanceTag',
    });
  }

  /** Look up a DB instance by id (Prepare), or list them (tag discovery). */
  public describeInstances(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances'], resources: [this.allInstances] })];
  }

  /** Read an instance's option groups: what decides whether RDS shares its snapshots (TDE, permanent options). */
  public describeOptionGroups(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeOptionGroups'], resources: [rdsArn(this.stack, 'og', '*')] })];
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
    return createSnapshotStatements('rds:CreateDBSnapshot', this.ownSnapshots, this.requestOwnerCondition, this.allInstances, this.instanceTag);
  }

  /** Attaches the explicit instances' ARNs to `role` as managed policies, as SnapshotPermissions does the clusters'. */
  public attachInstancePolicies(scope: Construct, id: string, role: iam.IRole, dependent: Construct): iam.ManagedPolicy[] {
    return attachArnPolicies(scope, id, role, dependent, this.instanceDocuments, 'instanceIdentifiers');
  }

  /** Copy one of this construct's DB snapshots to another, tagged as its own. */
  public copySnapshots(): iam.PolicyStatement[] {
    return [ownerTaggedWrite(['rds:CopyDBSnapshot', 'rds:AddTagsToResource'], this.ownSnapshots, this.requestOwnerCondition)];
  }

  /**
   * `snapshotSource` automated: copy the selected instances' automated snapshots (the copy's source,
   * which RDS authorizes on the source ARN too) into owner-tagged snapshots. Their names are RDS's
   * (`rds:<instance>-<time>`): scoped by instance where the ids are known, to every automated
   * snapshot with instanceTag (automated snapshots carry no tag to scope by).
   */
  public copyAutomatedSnapshots(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:CopyDBSnapshot'], resources: this.automatedSnapshots, conditions: this.requestOwnerCondition })];
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
      ...this.automatedSnapshots.map((arn) => known(arn, 'Automated snapshots are named by RDS when it takes them (rds:<instance>-<time>): '
        + 'only the selected instances\' prefix is known at deploy time (with instanceTag, no prefix at all).', ['rds:CopyDBSnapshot'], {
        [`aws:RequestTag/${TAG_OWNER}`]: `The copy must be tagged ${TAG_OWNER} with this instance's owner id.`,
      })),
      known(rdsArn(this.stack, 'og', '*'), 'Option groups are those of the DB instances chosen at run time; reading them '
        + 'tells whether RDS may share the instance\'s snapshots (TDE, permanent or persistent options).', ['rds:DescribeOptionGroups']),
      known(this.allInstances, 'DB instances are chosen at run time (found by instanceTag, or named in an execution input and checked by '
        + 'the handler against instanceIdentifiers and instanceTag), so their ARNs cannot all be listed in advance.', undefined, this.instanceTag && {
        [`aws:ResourceTag/${this.instanceTag.key}`]: 'Snapshots may be created only of DB instances that carry instanceTag (aws:ResourceTag, '
          + 'read from the instance); explicit instanceIdentifiers are allowed by ARN in managed policies of their own.',
      }),
    ];
  }
}
