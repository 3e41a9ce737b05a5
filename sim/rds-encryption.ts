/**
 * How RDS encrypts clusters, snapshots and copies, as the SDK model (`StorageEncryptionType` on
 * DBCluster and DBClusterSnapshot in @aws-sdk/client-rds models_0.d.ts), the Aurora User Guide
 * ("Encrypting Amazon Aurora resources", "Copying a DB cluster snapshot", "Sharing a DB cluster
 * snapshot") and /work/shared/docs/aws-facts.md describe it.
 */
import { DBClusterSnapshot, KMSKeyNotAccessibleFault, StorageEncryptionType } from '@aws-sdk/client-rds';
import { ACCOUNT, AWS_MANAGED_RDS_ALIAS, AWS_MANAGED_RDS_KEY, AWS_OWNED_KEY, kmsKeyArn, REGION, regionOf } from './aws-env';
import { clientError, FaultOptions } from './rds-types';

/** `none`; `sse-rds` (an AWS-owned key, no key ARN); `sse-kms` with the key ARN (aws/rds or a customer key). */
export type Encryption =
  | { readonly type: 'none' }
  | { readonly type: 'sse-rds' }
  | { readonly type: 'sse-kms'; readonly keyArn: string };

/** A cluster's encryption from the simulator's `kmsKeyId` spec (undefined: the aws/rds key). */
export function encryptionOf(kmsKeyId: string | null | undefined): Encryption {
  if (kmsKeyId === null) return { type: 'none' };
  if (kmsKeyId === AWS_OWNED_KEY) return { type: 'sse-rds' };
  return { type: 'sse-kms', keyArn: kmsKeyId ?? AWS_MANAGED_RDS_KEY };
}

/**
 * The encryption fields of a DBCluster or DBClusterSnapshot. For `sse-rds`, `StorageEncrypted` is
 * false and there is no `KmsKeyId` (SDK model: "If the DB cluster is encrypted with an Amazon Web
 * Services owned key, this value is false and StorageEncryptionType is sse-rds").
 */
export function encryptionFields(e: Encryption, omitType = false): Pick<DBClusterSnapshot, 'StorageEncrypted' | 'StorageEncryptionType' | 'KmsKeyId'> {
  const type: StorageEncryptionType = e.type;
  return {
    StorageEncrypted: e.type === 'sse-kms',
    ...(omitType ? {} : { StorageEncryptionType: type }),
    ...(e.type === 'sse-kms' ? { KmsKeyId: e.keyArn } : {}),
  };
}

/**
 * The KMS keys of one simulated account in one Region: alias ARNs resolve to their key ARN, as KMS
 * resolves an alias passed as `KmsKeyId` (CopyDBClusterSnapshot accepts "the key ARN, key ID, alias
 * ARN, or alias name"; a snapshot then reports the key ARN, never the alias). Keys are Regional:
 * "KMS keys are specific to the Amazon Web Services Region that they are created in, and you can't
 * use KMS keys from one Amazon Web Services Region in another" (SDK model text of
 * CopyDBClusterSnapshotMessage.KmsKeyId and CopyDBSnapshotMessage.KmsKeyId), so a key ARN of
 * another Region is refused. A key is usable unless disabled (`disable`); any key ARN of this
 * Region is accepted (KMS within one account is not modelled further).
 */
export class KmsKeys {
  private readonly aliases = new Map<string, string>();
  private readonly disabled = new Set<string>();

  constructor(public readonly account = ACCOUNT, public readonly region = REGION) {
    // Every account and Region has its own aws/rds key; the home one is the simulated account's.
    if (region === REGION) this.aliases.set(AWS_MANAGED_RDS_ALIAS, AWS_MANAGED_RDS_KEY);
    else this.aliases.set(`arn:aws:kms:${region}:${account}:alias/aws/rds`, kmsKeyArn('aws-rds-managed-key', account, region));
  }

  public addAlias(aliasName: string, keyArn: string): string {
    const aliasArn = aliasName.startsWith('arn:') ? aliasName : `arn:aws:kms:${this.region}:${this.account}:${aliasName.startsWith('alias/') ? aliasName : `alias/${aliasName}`}`;
    this.aliases.set(aliasArn, keyArn);
    return aliasArn;
  }

  /** A customer-managed key of this account in this Region: its ARN. */
  public addKey(keyId: string): string {
    return kmsKeyArn(keyId, this.account, this.region);
  }

  /** Disables a key, as `kms:DisableKey` would: RDS can no longer encrypt a copy with it. */
  public disable(keyArn: string): void {
    this.disabled.add(keyArn);
  }

  public enable(keyArn: string): void {
    this.disabled.delete(keyArn);
  }

  /**
   * The key ARN behind a key or alias ARN. An unknown alias, a key of another Region or a disabled
   * key is not accessible: KMSKeyNotAccessibleFault, the fault the CopyDBClusterSnapshot and
   * CopyDBSnapshot API references list for "an error accessing a KMS key" (that RDS answers with it
   * for a key of another Region or a disabled key is not confirmed).
   */
  public resolve(keyOrAlias: string): string {
    const keyRegion = regionOf(keyOrAlias);
    if (keyRegion !== undefined && keyRegion !== this.region) {
      throw new KMSKeyNotAccessibleFault({ message: `The KMS key ${keyOrAlias} is in ${keyRegion}; a copy in ${this.region} needs a key of ${this.region}.`, $metadata: {} });
    }
    const key = keyOrAlias.includes(':alias/') ? this.aliases.get(keyOrAlias) : keyOrAlias;
    if (!key) throw new KMSKeyNotAccessibleFault({ message: `The specified KMS key ${keyOrAlias} does not exist or is not accessible.`, $metadata: {} });
    if (this.disabled.has(key)) throw new KMSKeyNotAccessibleFault({ message: `The specified KMS key ${key} is disabled.`, $metadata: {} });
    return key;
  }
}

/**
 * The encryption of a copy. Without KmsKeyId the copy keeps the source's encryption; with it, an
 * encrypted source is re-encrypted with that key; an unencrypted one is an error ("You cannot
 * encrypt an unencrypted DB cluster snapshot when you copy it ... an error is returned":
 * CopyDBClusterSnapshot API reference). A DB (instance) snapshot copy may encrypt ("If you
 * specify this parameter when you copy an unencrypted snapshot, the copy is encrypted": SDK model
 * text of CopyDBSnapshotMessage.KmsKeyId): `kind` 'instance'. Re-encrypting an `sse-rds` snapshot
 * is expected to work like `aws/rds` but is not confirmed; `faults.reEncryptionRefused` models a refusal.
 */
export function copyEncryption(
  source: Encryption, kmsKeyId: string | undefined, keys: KmsKeys, faults: FaultOptions, kind: 'cluster' | 'instance' = 'cluster',
): Encryption {
  if (!kmsKeyId) return source;
  if (source.type === 'none' && kind === 'cluster') {
    throw clientError('InvalidParameterCombination', 'Cannot encrypt an unencrypted DB cluster snapshot when copying it; omit KmsKeyId.');
  }
  const refused = faults.reEncryptionRefused;
  if (source.type !== 'none' && refused?.types.includes(source.type)) {
    throw clientError(refused.errorName ?? 'InvalidParameterCombination', `A snapshot encrypted with ${source.type} cannot be re-encrypted with ${kmsKeyId}.`);
  }
  const keyArn = keys.resolve(kmsKeyId);
  if (faults.inaccessibleKeys?.some((k) => k === kmsKeyId || k === keyArn)) {
    throw new KMSKeyNotAccessibleFault({ message: `The specified KMS key ${kmsKeyId} is not accessible.`, $metadata: {} });
  }
  return { type: 'sse-kms', keyArn };
}

/**
 * Refuses what RDS refuses when accounts are added to `restore`: a snapshot on the AWS-managed
 * `aws/rds` key ("You can't share a snapshot that has been encrypted using the default AWS KMS
 * key": Aurora User Guide), one on an AWS-owned key (its key cannot be shared with another
 * account at all; inferred, not confirmed), and `all` for any encrypted snapshot ("you can't share
 * encrypted DB cluster snapshots as public"). The error name is not documented for either case:
 * InvalidParameterValue is what RDS answers to other invalid attribute values.
 */
export function assertShareable(e: Encryption, snapshotId: string, adding: readonly string[]): void {
  if (adding.length === 0) return;
  if (e.type === 'sse-kms' && e.keyArn === AWS_MANAGED_RDS_KEY) {
    throw clientError('InvalidParameterValue', `The snapshot ${snapshotId} is encrypted with the default KMS key aws/rds and cannot be shared.`);
  }
  if (e.type === 'sse-rds') {
    throw clientError('InvalidParameterValue', `The snapshot ${snapshotId} is encrypted with an AWS owned key and cannot be shared.`);
  }
  if (adding.includes('all') && e.type !== 'none') {
    throw clientError('InvalidParameterValue', `The encrypted snapshot ${snapshotId} cannot be shared publicly (all).`);
  }
}
