import { StorageEncryptionType } from '@aws-sdk/client-rds';
import { listEnv, requireEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';

/**
 * A database's or snapshot's encryption, from `StorageEncryptionType` (SDK model, on DBCluster and
 * DBInstance alike): `none`, `sse-rds` (an AWS-owned key: `StorageEncrypted` is false and there is no
 * `KmsKeyId`, the default for clusters created since 2026-02-18) or `sse-kms` (`aws/rds` or a
 * customer key). Only when RDS does not report the field is it derived from `StorageEncrypted`, as
 * before the field existed.
 */
export function encryptionOf(database: { StorageEncryptionType?: string; StorageEncrypted?: boolean }): string {
  return database.StorageEncryptionType ?? (database.StorageEncrypted ? StorageEncryptionType.CMK : StorageEncryptionType.UNENCRYPTED);
}

/** Key ARNs, compared case-insensitively (aliases are rejected at synth: a database reports the key ARN). */
export function sameKey(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

/**
 * A key the target accounts may use, so a snapshot on it is shared as it is: the sharing key, or one
 * of `additionalSharingKeys` (whose key policy, the user declares, already lets the targets use it).
 */
export function isShareableKey(keyArn: string | undefined): boolean {
  return [requireEnv(ENV.SHARING_KEY_ARN), ...listEnv(ENV.ADDITIONAL_SHARING_KEY_ARNS)].some((key) => sameKey(keyArn, key));
}
