import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * One more Region a {@link SharedClusterSnapshots} copies each shared snapshot into, and shares it
 * there with the same target accounts: for targets that must be able to restore in that Region
 * when the home Region is lost.
 */
export interface SharingRegion {
  /**
   * The Region, e.g. `eu-central-1`: a literal Region name, not the stack's own Region, in the
   * stack's partition (RDS copies no snapshot to or from the China Regions, and within GovCloud
   * only between its two Regions).
   */
  readonly region: string;

  /**
   * The customer-managed KMS key in `region` that the copies there are encrypted with, given by its
   * key ARN: `kms.Key.fromKeyArn(this, 'DrKey', 'arn:aws:kms:eu-central-1:111111111111:key/...')`
   * (a stack deploys to one Region, so the key of another is always imported). Not an alias, and a
   * key of `region` itself (a multi-Region key's replica there). The construct cannot change its
   * key policy: it must let the target accounts use the key (as `encryptionKey`'s must), and allow
   * this account's principals `kms:CreateGrant` and `kms:DescribeKey` (by delegating to IAM).
   */
  readonly encryptionKey: kms.IKey;
}

/** The Regions beside the stack's own (part of {@link SharedClusterSnapshotsProps}). */
export interface RegionProps {
  /**
   * Also copy each shared snapshot into these Regions, each under its own key, and share it there
   * with the same target accounts (disaster recovery: a target restores in a Region the home
   * Region's loss leaves standing). Each run first shares the snapshot in the stack's Region as
   * without this prop, then, for every listed Region at once, copies it there (RDS allows 5 cluster
   * snapshot copies, 20 DB snapshot copies, in progress per destination Region and account:
   * `maxConcurrentCopies` and `maxConcurrentInstanceCopies` apply per Region), waits until the copy
   * is available, shares it, and deletes the older copies there beyond `retainSnapshots` (only once
   * the new one is shared there). A failed Region fails the run with `RegionCopyFailed` once the
   * other Regions are done; the stack's own Region keeps its shared snapshot. Each copy is a full
   * copy billed in that Region, and the transfer between Regions is billed too.
   *
   * @default - no other Region: snapshots are shared in the stack's Region only
   */
  readonly regions?: SharingRegion[];
}
