/**
 * Regions in the simulator: RDS and KMS per (account, Region).
 *
 * - Each account has one `FakeRds` per Region: the home one (`REGION`, what `Simulation.rds` is)
 *   and the others, made on first use by `rds.inRegion(region)`. Each has its own clusters, DB
 *   instances, snapshots of both kinds, manual snapshot quotas, copy limits and KMS keys
 *   (`rds.inRegion(region).kms.addKey(id)` gives a key ARN of that Region; `.kms.disable(arn)`
 *   disables it). `rds.regions()` lists the Regions in use; `snapshotsOf`, `snapshot`,
 *   `lifecycles`, `copiesInProgress()` of a Region's `FakeRds` read that Region alone.
 * - A handler reaches a Region through an SDK client constructed with it (`new RDSClient({ region })`):
 *   the mock (aws-sdk-client-mock, the one mechanism that intercepts every SDK call) reads the
 *   calling client's Region and serves the call in that Region's `FakeRds` (`clientRegion`). The
 *   handlers' default client reads `AWS_REGION`, which the simulation sets to the home Region for
 *   every function, as Lambda sets it to the function's Region.
 * - A cross-Region copy (CopyDBClusterSnapshot / CopyDBSnapshot) is called in the destination
 *   Region with the source snapshot's ARN naming the other Region and a `KmsKeyId` of the
 *   destination Region: "KMS keys are specific to the Amazon Web Services Region that they are
 *   created in, and you can't use KMS keys from one Amazon Web Services Region in another" (SDK
 *   model text of CopyDBClusterSnapshotMessage.KmsKeyId and CopyDBSnapshotMessage.KmsKeyId; RDS API
 *   Reference, CopyDBClusterSnapshot): a key of another Region is refused (rds-encryption.ts).
 *   "To copy an encrypted DB cluster snapshot to another Amazon Web Services Region, you must set
 *   KmsKeyId" (same text): an encrypted source without one is refused (error name assumed).
 * - The source must be the caller's own snapshot: "You can't copy a DB cluster snapshot across
 *   Regions and accounts in a single step" (aws-facts.md, "RDS cluster snapshot API" and "Regions").
 * - Copy limits count per destination Region and account: 5 cluster snapshot copies in progress
 *   (Aurora User Guide, "DB cluster snapshot copying"), 20 DB snapshot copies (RDS User Guide,
 *   "Copying a DB snapshot"; aws-facts.md, "Regions" and "DB instances"). A cross-Region copy
 *   holds a slot in its destination Region only.
 * - A cross-Region copy takes `faults.crossRegionCopyMs` (default `CROSS_REGION_COPY_MS`): a model
 *   time, not measured ("can take hours", aws-facts.md). Aurora copies across Regions are full
 *   copies (storage billed in full per Region; the transfer is billed as data transfer): the copy
 *   records its `sourceRegion` for a cost model to charge, the simulator bills nothing itself.
 * - Deleting the source of a cross-Region copy in progress "might" fail the copy (aws-facts.md,
 *   "Deleting ... the source before the copy is available"): modelled as failing it, the worse case.
 */
import {
  DBClusterSnapshotNotFoundFault, DBSnapshotNotFoundFault, InvalidDBClusterSnapshotStateFault, InvalidDBSnapshotStateFault,
} from '@aws-sdk/client-rds';
import { accountOf, regionOf, snapshotIdOf } from './aws-env';
import type { SnapshotBook } from './rds-snapshot-book';
import { clientError, Snapshot, SnapshotKind } from './rds-types';

/** How long a cross-Region copy takes unless `faults.crossRegionCopyMs` says otherwise: a model, not a measurement. */
export const CROSS_REGION_COPY_MS = 60 * 60_000;

/** One account's RDS in one Region, as the others of the same account see it. */
export interface RegionalRds {
  readonly account: string;
  readonly region: string;
  bookOf(kind: SnapshotKind): SnapshotBook;
}

/** A Region's RDS and its account's RDS in the other Regions. */
export interface RegionContext extends RegionalRds {
  peer(region: string): RegionalRds | undefined;
  peers(): readonly RegionalRds[];
}

/** Whether an ARN names a Region other than `region` (an identifier names none). */
export function inOtherRegion(idOrArn: string | undefined, region: string): boolean {
  const r = regionOf(idOrArn);
  return r !== undefined && r !== region;
}

/**
 * The source of a cross-Region copy into `ctx.region`: the caller's own available snapshot, by
 * its ARN in another Region. Throws what RDS throws otherwise (not found, not available,
 * another account's, an encrypted source without a key of the destination Region).
 */
export function crossRegionSource(kind: SnapshotKind, arn: string | undefined, kmsKeyId: string | undefined, ctx: RegionContext): Snapshot {
  if (accountOf(arn) !== ctx.account) {
    throw clientError('InvalidParameterCombination', `Cannot copy ${arn}, another account's snapshot in ${regionOf(arn)}, into ${ctx.region} in one step: copy it in its Region first.`);
  }
  const s = ctx.peer(regionOf(arn)!)?.bookOf(kind).visible(snapshotIdOf(arn) ?? '');
  if (!s) {
    const message = `${kind === 'cluster' ? 'DBClusterSnapshot' : 'DBSnapshot'} ${arn} not found.`;
    throw kind === 'cluster' ? new DBClusterSnapshotNotFoundFault({ message, $metadata: {} }) : new DBSnapshotNotFoundFault({ message, $metadata: {} });
  }
  if (s.status !== 'available') {
    const message = `Snapshot ${arn} is ${s.status}, not available.`;
    throw kind === 'cluster' ? new InvalidDBClusterSnapshotStateFault({ message, $metadata: {} }) : new InvalidDBSnapshotStateFault({ message, $metadata: {} });
  }
  if (s.encryption.type !== 'none' && !kmsKeyId) {
    throw clientError('InvalidParameterCombination', `KmsKeyId (a key of ${ctx.region}) is required to copy the encrypted snapshot ${arn} to ${ctx.region}.`);
  }
  return s;
}

/** Fails the cross-Region copies in progress whose source is `sourceArn` (its source is being deleted). */
export function failCopiesOf(kind: SnapshotKind, sourceArn: string, ctx: RegionContext): void {
  for (const peer of ctx.peers()) {
    if (peer.region === ctx.region) continue;
    for (const copy of peer.bookOf(kind).copiesInProgress().filter((c) => c.sourceArn === sourceArn)) {
      copy.outcome = 'failed';
      copy.readyAt = Date.now();
      peer.bookOf(kind).progress(copy);
    }
  }
}

/**
 * The Region the calling SDK client is configured with (`config.region` is a provider in SDK v3:
 * the `region` given to the constructor, else `AWS_REGION`, which every simulated function has),
 * or undefined when it has none: the home Region then. Test code outside a function should give
 * its clients a Region: without one the SDK reads ~/.aws/config.
 */
export async function clientRegion(getClient: (() => unknown) | undefined): Promise<string | undefined> {
  const region = (getClient?.() as { config?: { region?: unknown } } | undefined)?.config?.region;
  try {
    const value = typeof region === 'function' ? await region() : region;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined; // "Region is missing"
  }
}
