import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TARGET_TAG_OWNER } from '../shared/constants';
import { useKeysThroughRds } from '../shared/kms-through-rds';

/** The kinds of shared snapshot the receiver copies: a DB cluster's, or a DB instance's (a DB snapshot). */
export type ReceivedKind = 'cluster' | 'instance';

/**
 * Each kind's actions and resource types in the Service Authorization Reference: cluster
 * snapshots (`cluster-snapshot`, listings on `cluster`), DB snapshots (`snapshot`, listings on `db`).
 */
export interface KindIam {
  readonly describe: string;
  readonly copy: string;
  readonly remove: string;
  /** The snapshot resource type, and the database's (on which a listing without an identifier is authorized). */
  readonly snapshot: string;
  readonly database: string;
}
export const KIND_IAM: Record<ReceivedKind, KindIam> = {
  cluster: {
    describe: 'rds:DescribeDBClusterSnapshots', copy: 'rds:CopyDBClusterSnapshot', remove: 'rds:DeleteDBClusterSnapshot', snapshot: 'cluster-snapshot', database: 'cluster',
  },
  instance: {
    describe: 'rds:DescribeDBSnapshots', copy: 'rds:CopyDBSnapshot', remove: 'rds:DeleteDBSnapshot', snapshot: 'snapshot', database: 'db',
  },
};

/** The ARNs of one kind the receiver's policies name. */
export interface KindArns {
  readonly kind: ReceivedKind;
  /** The kind's describe action (for the cdk-nag reasons). */
  readonly describeAction: string;
  readonly copyAction: string;
  /** Every copy this instance may make or delete: `<copyPrefix>-*` snapshots of the kind in this account. */
  readonly ownCopies: string;
  /** This account's snapshots and databases of the kind: a listing without an identifier is authorized on them. */
  readonly allSnapshots: string;
  readonly allDatabases: string;
  /** The shared snapshots of the kind of each source account (with `sourceSnapshotPrefix`). */
  readonly sourceSnapshots: string[];
}

/** The ARNs and conditions the receiver's least-privilege policies are built from, for each kind it copies. */
export class ReceiverPermissions {
  /** Per kind copied (those selected: both without a selection). */
  public readonly kinds: KindArns[];
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
    kinds: readonly ReceivedKind[],
  ) {
    this.kinds = kinds.map((kind) => {
      const { snapshot, database, describe, copy } = KIND_IAM[kind];
      return {
        kind,
        describeAction: describe,
        copyAction: copy,
        ownCopies: this.arn(stack.account, snapshot, `${copyPrefix}-*`),
        allSnapshots: this.arn(stack.account, snapshot, '*'),
        allDatabases: this.arn(stack.account, database, '*'),
        sourceSnapshots: sourceAccountIds.map((account) => this.arn(account, snapshot, `${sourceSnapshotPrefix}*`)),
      };
    });
    this.sourceKeys = sourceAccountIds.map((account) => stack.formatArn({ account, service: 'kms', resource: 'key', resourceName: '*' }));
    this.sourceBuses = sourceAccountIds.map((account) => stack.formatArn({ account, service: 'events', resource: 'event-bus', resourceName: 'default' }));
  }

  /** List the snapshots shared with this account, and this account's manual snapshots. */
  public listSnapshots(): iam.PolicyStatement[] {
    return this.perKind((k) => [new iam.PolicyStatement({ actions: [k.describeAction], resources: [k.allDatabases, k.allSnapshots] })]);
  }

  /** Re-read a shared snapshot by its ARN. */
  public describeSourceSnapshots(): iam.PolicyStatement[] {
    return this.perKind((k) => [new iam.PolicyStatement({ actions: [k.describeAction], resources: k.sourceSnapshots })]);
  }

  /** Read this instance's copies by identifier. */
  public describeOwnCopies(): iam.PolicyStatement[] {
    return this.perKind((k) => [new iam.PolicyStatement({ actions: [k.describeAction], resources: [k.ownCopies] })]);
  }

  /**
   * Copy a source's shared snapshot to a `<copyPrefix>-*` snapshot that is tagged with this owner
   * id. A DB snapshot copy's `OptionGroupName` needs no permission of its own (CopyDBSnapshot
   * authorizes only on `snapshot` resources).
   */
  public copyFromSources(): iam.PolicyStatement[] {
    return this.perKind((k) => [
      new iam.PolicyStatement({ actions: [k.copyAction], resources: k.sourceSnapshots }),
      new iam.PolicyStatement({
        actions: [k.copyAction, 'rds:AddTagsToResource'],
        resources: [k.ownCopies],
        conditions: { StringEquals: { [`aws:RequestTag/${TARGET_TAG_OWNER}`]: this.ownerId } },
      }),
    ]);
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
    return this.perKind((k) => [new iam.PolicyStatement({
      actions: [KIND_IAM[k.kind].remove],
      resources: [k.ownCopies],
      conditions: { StringEquals: { [`aws:ResourceTag/${TARGET_TAG_OWNER}`]: this.ownerId } },
    })]);
  }

  /** Tells the copy limit from the snapshot quota: an account-level action without resources. */
  public readAccountQuotas(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['rds:DescribeAccountAttributes'], resources: ['*'] })];
  }

  private perKind(statements: (k: KindArns) => iam.PolicyStatement[]): iam.PolicyStatement[] {
    return this.kinds.flatMap(statements);
  }

  private useKeysThroughRds(keys: string[], readActions: string[]): iam.PolicyStatement[] {
    return useKeysThroughRds(this.stack, keys, readActions);
  }

  private arn(account: string, resource: string, name: string): string {
    return this.stack.formatArn({ account, service: 'rds', resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}
