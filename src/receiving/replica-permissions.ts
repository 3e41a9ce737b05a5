import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { KIND_IAM, KindArns } from './permissions';
import { TARGET_TAG_OWNER } from '../shared/constants';
import { useKeysThroughRds } from '../shared/kms-through-rds';

/** A replica Region and its key, as the permissions need them. */
export interface ReplicaTarget {
  readonly region: string;
  readonly keyArn: string;
}

/** One kind's ARNs in the replica Regions. */
interface ReplicaKindArns {
  readonly home: KindArns;
  /** `<copyPrefix>-*` snapshots of the kind in each replica Region. */
  readonly replicas: string[];
  /** Each replica Region's snapshots and databases of the kind: a listing is authorized on the wildcard ARNs. */
  readonly allSnapshots: string[];
  readonly allDatabases: string[];
}

/**
 * The least-privilege statements of the replica functions, per kind received: every RDS call is
 * allowed only in the listed Regions (ARNs per Region, and `aws:RequestedRegion`), every key only
 * through RDS (`kms:ViaService`). A cross-Region copy needs the copy permission on the source ARN
 * (the copy here) and the target ARN, and the keys of both Regions through RDS (aws-facts.md, "Regions").
 */
export class ReplicaPermissions {
  public readonly regions: string[];
  public readonly kinds: ReplicaKindArns[];
  private readonly inRegions: Record<string, Record<string, string[]>>;

  constructor(
    private readonly stack: Stack,
    copyPrefix: string,
    private readonly ownerId: string,
    private readonly replicas: ReplicaTarget[],
    homeKinds: KindArns[],
    private readonly homeKeyArn: string,
  ) {
    this.regions = replicas.map((r) => r.region);
    this.kinds = homeKinds.map((home) => {
      const { snapshot, database } = KIND_IAM[home.kind];
      return {
        home,
        replicas: this.regions.map((region) => this.arn(region, snapshot, `${copyPrefix}-*`)),
        allSnapshots: this.regions.map((region) => this.arn(region, snapshot, '*')),
        allDatabases: this.regions.map((region) => this.arn(region, database, '*')),
      };
    });
    this.inRegions = { StringEquals: { 'aws:RequestedRegion': this.regions } };
  }

  /** Read this instance's replicas by identifier. */
  public describeReplicas(): iam.PolicyStatement[] {
    return this.kinds.map((k) => new iam.PolicyStatement({ actions: [k.home.describeAction], resources: k.replicas, conditions: this.inRegions }));
  }

  /** List each replica Region's manual snapshots (to find this instance's replicas by tag). */
  public listReplicas(): iam.PolicyStatement[] {
    return this.kinds.map((k) => new iam.PolicyStatement({
      actions: [k.home.describeAction], resources: [...k.allDatabases, ...k.allSnapshots], conditions: this.inRegions,
    }));
  }

  /**
   * Copy this instance's copy (the source, named by its ARN here) into a `<copyPrefix>-*` replica
   * tagged with this owner id, called in the replica Region; read that Region's quotas; use this
   * Region's key to decrypt and the replica Region's key to encrypt, through RDS only. Which RDS
   * endpoint uses the source key in a cross-Region copy is not documented: both Regions' are allowed.
   */
  public copyReplicas(): iam.PolicyStatement[] {
    return [
      ...this.kinds.flatMap((k) => [
        new iam.PolicyStatement({ actions: [k.home.copyAction], resources: [k.home.ownCopies], conditions: this.inRegions }),
        new iam.PolicyStatement({
          actions: [k.home.copyAction, 'rds:AddTagsToResource'],
          resources: k.replicas,
          conditions: { StringEquals: { [`aws:RequestTag/${TARGET_TAG_OWNER}`]: this.ownerId, 'aws:RequestedRegion': this.regions } },
        }),
      ]),
      new iam.PolicyStatement({ actions: ['rds:DescribeAccountAttributes'], resources: ['*'], conditions: this.inRegions }),
      ...useKeysThroughRds(this.stack, [this.homeKeyArn], ['kms:DescribeKey', 'kms:Decrypt'], [this.stack.region, ...this.regions]),
      ...this.replicas.flatMap(({ region, keyArn }) => useKeysThroughRds(this.stack, [keyArn], ['kms:DescribeKey'], [region])),
    ];
  }

  /** Delete only `<copyPrefix>-*` replicas that carry this owner id, in the replica Regions. */
  public deleteReplicas(): iam.PolicyStatement[] {
    return this.kinds.map((k) => new iam.PolicyStatement({
      actions: [KIND_IAM[k.home.kind].remove],
      resources: k.replicas,
      conditions: { StringEquals: { [`aws:ResourceTag/${TARGET_TAG_OWNER}`]: this.ownerId, 'aws:RequestedRegion': this.regions } },
    }));
  }

  private arn(region: string, resource: string, name: string): string {
    return this.stack.formatArn({ region, service: 'rds', resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }
}
