import { CopyDBClusterSnapshotCommand } from '@aws-sdk/client-rds';
import { asOwnCopy, copyTags, findSnapshot, isCopyOf, isEncrypted, OwnCopy, quotaOrCopyLimit } from './copies.lambda-shared';
import { CopyFailed, ReplicaKeyNotAccessible, ReplicaNotConfigured } from './errors.lambda-shared';
import { parseReplicaInput, ReplicaInput, ReplicaState } from './replicas.lambda-shared';
import { receiverSettings } from './settings.lambda-shared';
import { rds, rdsIn } from '../../shared/clients.lambda-shared';
import { integerEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { isAwsError, SnapshotIdentifierConflict } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/**
 * Copies one of this receiver's available copies into a replica Region, under that Region's key,
 * with the same identifier and origin tags. The call is made in the destination Region with the
 * copy's ARN (aws-facts.md, "Regions"). A replica that exists already and is this receiver's copy
 * of the same origin is success: a retried step or a second start copies nothing twice.
 */
export async function handler(event: ReplicaInput): Promise<ReplicaState> {
  const settings = receiverSettings();
  const { input, replica } = parseReplicaInput(event, settings);
  const id = input.copyIdentifier;
  const home = await findSnapshot(id, rds);
  const copy = home && asOwnCopy(home, settings.ownerId, settings.copyPrefix);
  if (!home || !copy) throw new ReplicaNotConfigured(`'${id}' is not a copy of this receiver in ${settings.region}`);
  if (copy.status !== 'available') throw new CopyFailed(`The copy '${id}' to replicate is '${copy.status}', not available`);
  const client = rdsIn(replica.region);
  const existing = await ownReplica(id, copy, client, settings.copyPrefix, replica.region);
  if (!existing) {
    try {
      await client.send(new CopyDBClusterSnapshotCommand({
        SourceDBClusterSnapshotIdentifier: home.DBClusterSnapshotArn,
        TargetDBClusterSnapshotIdentifier: id,
        // A key of the destination Region; an error for an unencrypted copy (Aurora cannot encrypt on copy).
        KmsKeyId: isEncrypted(home) ? replica.keyArn : undefined,
        CopyTags: false,
        Tags: copyTags(copy),
      }));
      log('info', 'Replicating copy', { copy: home.DBClusterSnapshotArn, region: replica.region });
    } catch (error) {
      const exists = isAwsError(error, 'DBClusterSnapshotAlreadyExistsFault') && await ownReplica(id, copy, client, settings.copyPrefix, replica.region);
      if (!exists) throw await replicaErrorOf(error, id, client, replica);
    }
  }
  const now = Date.now();
  return {
    ...input,
    sourceAccount: copy.sourceAccount,
    snapshotArn: copy.sourceSnapshotArn,
    clusterIdentifier: copy.clusterIdentifier,
    sourceSnapshotTime: copy.sourceSnapshotTime,
    copyArn: home.DBClusterSnapshotArn!,
    deadline: new Date(now + integerEnv(ENV.SNAPSHOT_TIMEOUT_SECONDS) * 1000).toISOString(),
    copyRequestedAt: new Date(now).toISOString(),
  };
}

/** This receiver's replica of `copy` in the Region, if there is one; a snapshot of that name that is anything else is a conflict. */
async function ownReplica(id: string, copy: OwnCopy, client: ReturnType<typeof rdsIn>, copyPrefix: string, region: string): Promise<OwnCopy | undefined> {
  const snapshot = await findSnapshot(id, client);
  if (!snapshot) return undefined;
  const replica = asOwnCopy(snapshot, copy.ownerId, copyPrefix);
  if (isCopyOf(replica, copy)) return replica;
  throw new SnapshotIdentifierConflict(`Snapshot '${id}' in ${region} exists but is not this receiver's replica of '${copy.sourceSnapshotArn}'`);
}

/** What a refused replica copy means, by the fault's name (aws-facts.md, "Regions"). */
async function replicaErrorOf(error: unknown, id: string, client: ReturnType<typeof rdsIn>, replica: { region: string; keyArn: string }): Promise<unknown> {
  if (isAwsError(error, 'KMSKeyNotAccessibleFault')) {
    return new ReplicaKeyNotAccessible(`RDS in ${replica.region} cannot use the replica key ${replica.keyArn} to copy '${id}': it must be enabled, in ${replica.region}, `
      + 'and its key policy must let this account use it (kms:DescribeKey, kms:CreateGrant for AWS resources)');
  }
  if (isAwsError(error, 'SnapshotQuotaExceededFault')) return quotaOrCopyLimit(`${id} in ${replica.region}`, client);
  if (isAwsError(error, 'InvalidDBClusterSnapshotStateFault', 'DBClusterSnapshotNotFoundFault')) {
    return new CopyFailed(`RDS cannot replicate '${id}' into ${replica.region}: ${(error as Error).message}`);
  }
  return error;
}
