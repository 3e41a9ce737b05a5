import { DescribeAccountAttributesCommand } from '@aws-sdk/client-rds';
import type { CopyOrigin } from './copies.lambda-shared';
import { copyTags } from './copies.lambda-shared';
import { CopyFailed, CopyLimitReached, OptionGroupRequired, SharedSnapshotNotFound } from './errors.lambda-shared';
import type { ReceiverSettings } from './settings.lambda-shared';
import type { SourceSnapshotRef } from './sources.lambda-shared';
import { rdsIn } from '../../shared/clients.lambda-shared';
import type { DatabaseKind, SnapshotView } from '../../shared/database-kind.lambda-shared';
import { isAwsError, KmsKeyNotAccessible, SnapshotQuotaExceeded } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';

/** One copy request: the shared snapshot (as RDS described it), the copy's name, key and origin tags. */
export interface CopyRequest {
  readonly ref: SourceSnapshotRef;
  readonly shared: SnapshotView;
  readonly target: string;
  readonly keyArn: string;
  readonly origin: CopyOrigin;
  /** The options the event says the copy's option group needs (DB snapshots only). */
  readonly requiredOptions?: string[];
}

/**
 * RDS's refusal of a DB snapshot copy for want of a target option group: "The snapshot requires a
 * target option group with the following options: [Timezone]" (aws-facts.md, "DB instances";
 * awslabs/rds-snapshot-tool#57). No fault of its own is documented (InvalidParameterValue is
 * assumed, not confirmed), so the message is the only sign: read only when the event gave no hint.
 */
const REQUIRES_OPTION_GROUP = /requires a target option group with the following options: \[([^\]]*)\]/i;

/**
 * Asks RDS for the copy under this account's key, tagged with its origin (CopyTags off), and names
 * what RDS refuses. A DB snapshot that needs an option group (the event's `requiredOptions`, or
 * RDS's refusal) is copied with `optionGroupName` (CopyDBSnapshot `OptionGroupName`, RDS API
 * Reference: "The name of an option group to associate with the copy of the snapshot"); without one
 * configured, OptionGroupRequired and nothing is copied. `DBSnapshotAlreadyExists` and its cluster
 * counterpart are returned as `exists` for the caller to check the owner.
 */
export async function requestCopy(request: CopyRequest, settings: ReceiverSettings): Promise<'requested' | 'exists'> {
  const { ref, requiredOptions } = request;
  const needsGroup = ref.kind === 'instance' && (requiredOptions?.length ?? 0) > 0;
  if (needsGroup && !settings.optionGroupName) throw optionGroupRequired(ref, requiredOptions!);
  let optionGroupName = needsGroup ? settings.optionGroupName : undefined;
  for (;;) {
    try {
      await copyOnce(request, optionGroupName);
      return 'requested';
    } catch (error) {
      const missing = ref.kind === 'instance' ? REQUIRES_OPTION_GROUP.exec((error as Error)?.message ?? '') : null;
      if (missing && optionGroupName === undefined && settings.optionGroupName) {
        optionGroupName = settings.optionGroupName;
        continue;
      }
      if (missing) throw optionGroupRequired(ref, missing[1].split(',').map((o) => o.trim()).filter(Boolean), optionGroupName);
      if (isAwsError(error, snapshotApi(ref.kind).faults.snapshotExists)) return 'exists';
      throw await named(error, request, optionGroupName);
    }
  }
}

async function copyOnce(request: CopyRequest, optionGroupName: string | undefined): Promise<void> {
  const { ref, shared, target, keyArn, origin } = request;
  // A cluster snapshot copy cannot encrypt (KmsKeyId is an error for an unencrypted one); a DB
  // snapshot copy may (RDS User Guide, "Copying a DB snapshot"), so every DB snapshot copy is on this account's key.
  const encrypt = ref.kind === 'instance' || isEncrypted(shared);
  await snapshotApi(ref.kind).copy({ source: ref.arn, target, kmsKeyId: encrypt ? keyArn : undefined, tags: copyTags(origin), optionGroupName });
  const unencrypted = !encrypt;
  log(unencrypted ? 'warn' : 'info', unencrypted ? 'Copying an UNENCRYPTED shared snapshot as it is' : 'Copying shared snapshot', {
    source: ref.arn, target, ...(optionGroupName ? { optionGroupName } : {}),
  });
}

function optionGroupRequired(ref: SourceSnapshotRef, options: string[], tried?: string): OptionGroupRequired {
  const what = `Shared snapshot '${ref.arn}' needs a target option group holding [${options.join(', ')}] (Oracle Timezone/OLS)`;
  return new OptionGroupRequired(tried
    ? `${what}, and optionGroupName '${tried}' does not hold them. Nothing was copied: add the options to '${tried}'`
    : `${what}, and optionGroupName is not set. Nothing was copied: create an option group with those options for the snapshot's engine and set optionGroupName`);
}

/** RDS's fault as the receiver's named error; anything else passed on for the state machine's retry. */
async function named(error: unknown, request: CopyRequest, optionGroupName: string | undefined): Promise<unknown> {
  const { ref, shared, target, keyArn } = request;
  const faults = snapshotApi(ref.kind).faults;
  if (isAwsError(error, faults.snapshotNotFound)) return new SharedSnapshotNotFound(`Shared snapshot '${ref.arn}' disappeared before it could be copied`);
  if (isAwsError(error, 'OptionGroupNotFoundFault')) {
    return new OptionGroupRequired(`optionGroupName '${optionGroupName}' does not exist in this account and Region; nothing was copied from '${ref.arn}'`);
  }
  if (isAwsError(error, 'KMSKeyNotAccessibleFault')) {
    return new KmsKeyNotAccessible(
      `RDS cannot use the keys to copy '${ref.arn}': the policy of the source key ${shared.KmsKeyId ?? '(unknown)'} must let this account use it (kms:Decrypt, kms:DescribeKey, kms:CreateGrant for AWS resources), and ${keyArn} must be enabled`,
    );
  }
  if (isAwsError(error, 'SnapshotQuotaExceededFault')) return quotaOrCopyLimit(target, ref.kind);
  if (isAwsError(error, faults.snapshotState)) return new CopyFailed(`RDS cannot copy '${ref.arn}' in its current state: ${(error as Error).message}`);
  return error;
}

/**
 * StorageEncrypted is false for an AWS-owned key (`sse-rds`), which is still encryption
 * (StorageEncryptionType, SDK model text); only `none`, or neither field with no key, is unencrypted.
 */
export function isEncrypted(snapshot: SnapshotView): boolean {
  if (snapshot.StorageEncryptionType !== undefined) return snapshot.StorageEncryptionType !== 'none';
  return snapshot.StorageEncrypted === true || snapshot.KmsKeyId !== undefined;
}

/**
 * RDS answers both the manual snapshot quota and the limit of copies in progress with
 * SnapshotQuotaExceeded (aws-facts.md): the account's quota of the kind (`ManualClusterSnapshots`,
 * `ManualSnapshots`) tells them apart, never the message.
 */
export async function quotaOrCopyLimit(target: string, kind: DatabaseKind, region?: string): Promise<Error> {
  const out = await rdsIn(region).send(new DescribeAccountAttributesCommand({}));
  const quota = out.AccountQuotas?.find((q) => q.AccountQuotaName === snapshotApi(kind).quotaName);
  if (quota?.Max !== undefined && quota.Used !== undefined && quota.Used >= quota.Max) {
    const what = kind === 'instance' ? 'DB instance' : 'DB cluster';
    return new SnapshotQuotaExceeded(`The manual ${what} snapshot quota is used up (${quota.Used} of ${quota.Max}); cannot copy to '${target}'`);
  }
  return new CopyLimitReached(`RDS refused the copy to '${target}' with SnapshotQuotaExceeded while the snapshot quota has room: too many copies in progress`);
}
