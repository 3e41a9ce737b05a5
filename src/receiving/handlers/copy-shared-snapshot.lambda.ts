import { CopyDBClusterSnapshotCommand } from '@aws-sdk/client-rds';
import { asOwnCopy, copyTags, findSnapshot, isEncrypted, quotaOrCopyLimit } from './copies.lambda-shared';
import { CopyInput, CopyState, deadlineFromNow, parseCopyInput } from './copy-state.lambda-shared';
import { CopyFailed, SharedSnapshotNotFound } from './errors.lambda-shared';
import { copyKeyArn, receiverSettings } from './settings.lambda-shared';
import { assertClusterSelected, copyIdentifier, describeSharedSnapshot, SourceSnapshotRef } from './sources.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import { isAwsError, KmsKeyNotAccessible, SnapshotFailed, SnapshotIdentifierConflict } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/**
 * Copies one shared snapshot into this account with this account's key, tagged with its origin.
 * A copy that already exists and is this instance's copy of the same source is success: a
 * duplicate event or a retried step copies nothing twice.
 */
export async function handler(event: CopyInput): Promise<CopyState> {
  const settings = receiverSettings();
  const { input, ref } = parseCopyInput(event, settings);
  const target = copyIdentifier(settings.copyPrefix, ref);
  const existing = await ownCopyOf(target, ref, settings.ownerId, settings.copyPrefix);
  if (existing) {
    log('info', 'A copy of this snapshot exists already', { target, status: existing.status });
    return state(input, existing.clusterIdentifier, target, existing.sourceSnapshotTime);
  }

  const shared = await describeSharedSnapshot(ref);
  const clusterIdentifier = assertClusterSelected(shared.DBClusterIdentifier, settings, ref.arn);
  if (shared.Status !== 'available') {
    throw new SnapshotFailed(`Shared snapshot '${ref.arn}' is '${shared.Status}', not available`);
  }
  const sourceSnapshotTime = (shared.SnapshotCreateTime ?? new Date()).toISOString();
  const keyArn = copyKeyArn();
  const encrypted = isEncrypted(shared);
  try {
    await rds.send(new CopyDBClusterSnapshotCommand({
      SourceDBClusterSnapshotIdentifier: ref.arn,
      TargetDBClusterSnapshotIdentifier: target,
      // Required for a shared encrypted snapshot; an error for an unencrypted one (Aurora cannot encrypt on copy).
      KmsKeyId: encrypted ? keyArn : undefined,
      CopyTags: false,
      Tags: copyTags({ ownerId: settings.ownerId, sourceAccount: ref.account, clusterIdentifier, sourceSnapshotArn: ref.arn, sourceSnapshotTime }),
    }));
    log(encrypted ? 'info' : 'warn', encrypted ? 'Copying shared snapshot' : 'Copying an UNENCRYPTED shared snapshot as it is', { source: ref.arn, target });
  } catch (error) {
    if (isAwsError(error, 'DBClusterSnapshotAlreadyExistsFault')) {
      if (!(await ownCopyOf(target, ref, settings.ownerId, settings.copyPrefix))) throw conflict(target, ref);
    } else if (isAwsError(error, 'DBClusterSnapshotNotFoundFault')) {
      throw new SharedSnapshotNotFound(`Shared snapshot '${ref.arn}' disappeared before it could be copied`);
    } else if (isAwsError(error, 'KMSKeyNotAccessibleFault')) {
      throw new KmsKeyNotAccessible(
        `RDS cannot use the keys to copy '${ref.arn}': the policy of the source key ${shared.KmsKeyId ?? '(unknown)'} must let this account use it (kms:Decrypt, kms:DescribeKey, kms:CreateGrant for AWS resources), and ${keyArn} must be enabled`,
      );
    } else if (isAwsError(error, 'SnapshotQuotaExceededFault')) {
      throw await quotaOrCopyLimit(target);
    } else if (isAwsError(error, 'InvalidDBClusterSnapshotStateFault')) {
      throw new CopyFailed(`RDS cannot copy '${ref.arn}' in its current state: ${(error as Error).message}`);
    } else {
      throw error;
    }
  }
  return state(input, clusterIdentifier, target, sourceSnapshotTime);
}

function state(input: CopyInput, clusterIdentifier: string, target: string, sourceSnapshotTime: string): CopyState {
  const copyRequestedAt = new Date().toISOString();
  return { ...input, clusterIdentifier, copyIdentifier: target, sourceSnapshotTime, deadline: deadlineFromNow(), copyRequestedAt };
}

/** This instance's copy of `ref` under `target`; a snapshot of that name that is anything else is a conflict. */
async function ownCopyOf(target: string, ref: SourceSnapshotRef, ownerId: string, copyPrefix: string) {
  const snapshot = await findSnapshot(target);
  if (!snapshot) return undefined;
  const copy = asOwnCopy(snapshot, ownerId, copyPrefix);
  if (copy && copy.sourceSnapshotArn === ref.arn && copy.sourceAccount === ref.account) return copy;
  throw conflict(target, ref);
}

function conflict(target: string, ref: SourceSnapshotRef): SnapshotIdentifierConflict {
  return new SnapshotIdentifierConflict(`Snapshot '${target}' exists but is not this receiver's copy of '${ref.arn}'`);
}
