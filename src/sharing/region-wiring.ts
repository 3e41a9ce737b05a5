import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { InstancePermissions } from './instance-permissions';
import { snapshotWildcards } from './nag-suppressions';
import { SnapshotPermissions } from './permissions';
import type { SharedClusterSnapshotsProps } from './props';
import { ENV, TAG_OWNER } from '../shared/constants';
import type { ExpectedWildcard } from '../shared/nag';

/** The workflow steps that work in the other Regions too, by the statements each needs there. */
export type RegionalStep = 'copyToRegion' | 'checkSnapshot' | 'shareSnapshot' | 'cleanUp' | 'cleanUpFailedRun' | 'publishFreshness';

/** One of `regions`, with the permissions of its ARNs (and of its DB snapshots', with DB instances). */
interface RegionPermissions {
  readonly region: string;
  readonly keyArn: string;
  readonly clusters: SnapshotPermissions;
  readonly instances?: InstancePermissions;
}

/** The id of the warning that the `regions` keys' policies are the user's to set, for `Annotations.acknowledgeWarning`. */
export const REGION_KEYS_WARNING = 'cdk-shared-cluster-snapshots:regionKeys';

/**
 * The other Regions' wiring when `regions` lists any (undefined otherwise, so a construct without
 * them synthesizes as before), with a warning that their keys' policies are the user's to set.
 */
export function regionWiring(
  scope: IConstruct, props: SharedClusterSnapshotsProps, prefix: string, ownerId: string,
  home: { readonly clusters: SnapshotPermissions; readonly instances?: InstancePermissions }, sharingKeyArn: string,
): RegionWiring | undefined {
  if (!props.regions?.length) return undefined;
  Annotations.of(scope).addWarningV2(REGION_KEYS_WARNING,
    'The regions keys are imported: each key policy must let the target accounts use it (as encryptionKey\'s must: kms:Decrypt, '
    + 'kms:DescribeKey, kms:Encrypt, kms:ReEncrypt*, kms:GenerateDataKey*, and kms:CreateGrant/ListGrants/RevokeGrant for AWS '
    + 'resources), or they cannot restore the copies there; and allow kms:CreateGrant and kms:DescribeKey for this account\'s '
    + 'principals (by delegating to IAM), or every copy into that Region fails with KmsKeyNotAccessible.');
  const homeKeys = [sharingKeyArn, ...(props.additionalSharingKeys ?? []).map((key) => key.keyArn)];
  return new RegionWiring(Stack.of(scope), props, prefix, ownerId, home, homeKeys);
}

/**
 * The other Regions of a SharedClusterSnapshots (`regions`): what the workflow's functions are
 * allowed there, and the environment naming each Region's key. Every statement names its Region's
 * ARNs (or, for an account-level read, `aws:RequestedRegion`), so the functions reach exactly the
 * listed Regions; each Region's key is usable only through RDS in that Region.
 */
export class RegionWiring {
  /** The Regions, in the order of `regions`. */
  public readonly regions: string[];
  private readonly perRegion: RegionPermissions[];

  constructor(
    private readonly stack: Stack,
    props: SharedClusterSnapshotsProps,
    prefix: string,
    private readonly ownerId: string,
    /** The home Region's permissions: the copy's source is its shared snapshot. */
    private readonly home: { readonly clusters: SnapshotPermissions; readonly instances?: InstancePermissions },
    /** The keys a home shared snapshot may be encrypted with: the sharing key and `additionalSharingKeys`. */
    private readonly homeKeyArns: string[],
  ) {
    this.perRegion = (props.regions ?? []).map(({ region, encryptionKey }) => ({
      region,
      keyArn: encryptionKey.keyArn,
      clusters: new SnapshotPermissions(stack, prefix, ownerId, [], undefined, region),
      instances: home.instances ? new InstancePermissions(stack, prefix, ownerId, [], undefined, region) : undefined,
    }));
    this.regions = this.perRegion.map((r) => r.region);
  }

  /** `ENV.SHARING_REGIONS`: each Region and its key, for the functions that work there. */
  public environment(): Record<string, string> {
    return { [ENV.SHARING_REGIONS]: this.perRegion.map((r) => `${r.region}=${r.keyArn}`).join(',') };
  }

  /** The wildcards the other Regions' statements grant on, with the reason each is needed, for the cdk-nag suppressions. */
  public expectedWildcards(prefix: string): ExpectedWildcard[] {
    return this.perRegion.flatMap((r) => [...snapshotWildcards(this.stack, r.clusters, prefix), ...r.instances?.expectedWildcards(prefix) ?? []]);
  }

  /** What `step` may do in the other Regions: the counterparts of its home statements, per Region. */
  public statements(step: RegionalStep): iam.PolicyStatement[] {
    return [
      ...(step === 'copyToRegion' ? this.readCopySources() : []),
      ...this.perRegion.flatMap((r) => this.inRegion(step, r)),
    ];
  }

  private inRegion(step: RegionalStep, { clusters: c, instances: i, keyArn }: RegionPermissions): iam.PolicyStatement[] {
    const both = (cluster: iam.PolicyStatement[], instance: (p: InstancePermissions) => iam.PolicyStatement[]) =>
      [...cluster, ...(i ? instance(i) : [])];
    switch (step) {
      case 'copyToRegion':
        // The copy slot count and the quota (RDS's copy limit looks like a full quota), the existing
        // copy of a retried call, and the copy itself, under the Region's key through RDS there.
        return [
          ...both([...c.countCopiesInProgress(), ...c.copySnapshots()], (p) => [...p.listSnapshots(), ...p.copySnapshots()]),
          ...c.useSharingKeyThroughRds(keyArn),
        ];
      case 'checkSnapshot':
        return both(c.describeOwnSnapshots(), (p) => p.describeOwnSnapshots());
      case 'shareSnapshot':
        return both([...c.shareSnapshots(), ...c.listSnapshotsOfCluster(), ...c.describeOwnSnapshotAttributes()],
          (p) => [...p.shareSnapshots(), ...p.listSnapshots(), ...p.describeOwnSnapshotAttributes()]);
      case 'cleanUp':
        return both([...c.listSnapshotsOfCluster(), ...c.describeOwnSnapshotAttributes(), ...c.deleteOwnSnapshots()],
          (p) => [...p.listSnapshots(), ...p.describeOwnSnapshotAttributes(), ...p.deleteOwnSnapshots()]);
      case 'cleanUpFailedRun':
        return both([...c.describeOwnSnapshots(), ...c.describeOwnSnapshotAttributes(), ...c.deleteOwnSnapshots()],
          (p) => [...p.describeOwnSnapshots(), ...p.describeOwnSnapshotAttributes(), ...p.deleteOwnSnapshots()]);
      case 'publishFreshness':
        return both(c.listSnapshotsOfCluster(), (p) => p.listSnapshots());
    }
  }

  /**
   * A cross-Region copy is authorized on its source too: the home Region's shared snapshot, which
   * carries this owner's tag, in the destination Region's request and in the source Region's part
   * the SDK presigns, so `aws:RequestedRegion` allows the home Region and the listed ones (aws-facts.md,
   * "Regions"). RDS reads the source's key through RDS in the home Region.
   */
  private readCopySources(): iam.PolicyStatement[] {
    const conditions = {
      StringEquals: {
        [`aws:ResourceTag/${TAG_OWNER}`]: this.ownerId,
        'aws:RequestedRegion': [this.stack.region, ...this.regions],
      },
    };
    const copyFrom = (action: string, source: string) => new iam.PolicyStatement({ actions: [action], resources: [source], conditions });
    return [
      copyFrom('rds:CopyDBClusterSnapshot', this.home.clusters.ownSnapshots),
      ...(this.home.instances ? [copyFrom('rds:CopyDBSnapshot', this.home.instances.ownSnapshots)] : []),
      ...this.home.clusters.useKeysThroughRds(this.homeKeyArns, ['kms:DescribeKey', 'kms:Decrypt']),
    ];
  }
}
