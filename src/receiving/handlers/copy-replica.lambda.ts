import { asOwnCopy, copyTags, findSnapshot, isCopyOf, OwnCopy } from './copies.lambda-shared';
import { isEncrypted, quotaOrCopyLimit } from './copy-request.lambda-shared';
import { CopyFailed, ReplicaKeyNotAccessible, ReplicaNotConfigured } from './errors.lambda-shared';
import { kindOf, parseReplicaInput, ReplicaInput, ReplicaRegionSettings, ReplicaState } from './replicas.lambda-shared';
import { receiverSettings } from './settings.lambda-shared';
import { inRegion } from '../../shared/clients.lambda-shared';
import { integerEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import type { DatabaseKind } from '../../shared/database-kind.lambda-shared';
import { isAwsError, SnapshotIdentifierConflict } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';

/**
 * Copies one of this receiver's available copies (of either kind) into a replica Region, under
 * that Region's key, with the same identifier and origin tags. The call is made in the destination
 * Region with the copy's ARN (aws-facts.md, "Regions"). A replica that exists already and is this
 * receiver's copy of the same origin is success: a retried step or a second start copies nothing twice.
 */
export async function handler(event: ReplicaInput): Promise<ReplicaState> {
  const settings = receiverSettings();
  const { input, replica } = parseReplicaInput(event, settings);
  const id = input.copyIdentifier;
  const kind = kindOf(input);
  const home = await findSnapshot(id, kind);
  const copy = home && asOwnCopy(home, settings.ownerId, settings.copyPrefix, kind);
  if (!home || !copy) throw new ReplicaNotConfigured(`'${id}' is not a copy of this receiver in ${settings.region}`);
  if (copy.status !== 'available') throw new CopyFailed(`The copy '${id}' to replicate is '${copy.status}', not available`);
  if (!(await ownReplica(copy, replica.region, settings.copyPrefix))) {
    try {
      // Called in the destination Region (inRegion): a key of that Region; none for an unencrypted
      // cluster snapshot (Aurora cannot encrypt on copy).
      await inRegion(replica.region, () => snapshotApi(kind).copy({
        source: home.DBClusterSnapshotArn!,
        target: id,
        kmsKeyId: kind === 'instance' || isEncrypted(home) ? replica.keyArn : undefined,
        tags: copyTags(copy),
      }));
      log('info', 'Replicating copy', { copy: home.DBClusterSnapshotArn, region: replica.region });
    } catch (error) {
      const exists = isAwsError(error, snapshotApi(kind).faults.snapshotExists) && await ownReplica(copy, replica.region, settings.copyPrefix);
      if (!exists) throw await replicaError(error, id, kind, replica);
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

/** This receiver's replica of `copy` in `region`, if there is one; a snapshot of that name that is anything else is a conflict. */
async function ownReplica(copy: OwnCopy, region: string, copyPrefix: string): Promise<OwnCopy | undefined> {
  const snapshot = await findSnapshot(copy.identifier, copy.kind, region);
  if (!snapshot) return undefined;
  const replica = asOwnCopy(snapshot, copy.ownerId, copyPrefix, copy.kind);
  if (isCopyOf(replica, copy)) return replica;
  throw new SnapshotIdentifierConflict(`Snapshot '${copy.identifier}' in ${region} exists but is not this receiver's replica of '${copy.sourceSnapshotArn}'`);
}

/** What a refused replica copy means, by the fault's name (aws-facts.md, "Regions"). */
async function replicaError(error: unknown, id: string, kind: DatabaseKind, replica: ReplicaRegionSettings): Promise<unknown> {
  const faults = snapshotApi(kind).faults;
  if (isAwsError(error, 'KMSKeyNotAccessibleFault')) {
    return new ReplicaKeyNotAccessible(`RDS in ${replica.region} cannot use the replica key ${replica.keyArn} to copy '${id}': it must be enabled, in ${replica.region}, `
      + 'and its key policy must let this account use it (kms:DescribeKey, kms:CreateGrant for AWS resources)');
  }
  if (isAwsError(error, 'SnapshotQuotaExceededFault')) return quotaOrCopyLimit(`${id} in ${replica.region}`, kind, replica.region);
  if (isAwsError(error, faults.snapshotState, faults.snapshotNotFound)) {
    return new CopyFailed(`RDS cannot replicate '${id}' into ${replica.region}: ${(error as Error).message}`);
  }
  return error;
}
