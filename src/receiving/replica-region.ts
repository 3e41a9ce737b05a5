import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * A Region that `ReceivedClusterSnapshots` keeps replicas of its copies in, for disaster recovery:
 * each new copy, once available, is copied into this Region under `encryptionKey`.
 */
export interface ReplicaRegion {
  /** The Region, e.g. `us-east-1`: not the stack's own Region, each listed once. */
  readonly region: string;

  /**
   * The KMS key in `region` every replica there is encrypted with, by its key ARN: a stack lives in
   * one Region, so import it, e.g. `kms.Key.fromKeyArn(this, 'DrKey', 'arn:aws:kms:us-east-1:...:key/...')`.
   * The ARN must be a literal key ARN (not an alias) of `region` ("you can't use KMS keys from one
   * Amazon Web Services Region in another": RDS API Reference, CopyDBClusterSnapshot `KmsKeyId`).
   * Its key policy must let this account use it (the default key policy does).
   */
  readonly encryptionKey: kms.IKey;

  /**
   * How many available replicas to keep per source account and cluster in this Region. Each is a
   * full copy, billed in full in this Region; 1 to 100.
   *
   * @default - the receiver's `retainCopies`
   */
  readonly retainCopies?: number;
}
