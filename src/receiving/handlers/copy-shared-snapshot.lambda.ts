import { asOwnCopy, findSnapshot } from './copies.lambda-shared';
import { requestCopy } from './copy-request.lambda-shared';
import { CopyInput, CopyState, deadlineFromNow, parseCopyInput } from './copy-state.lambda-shared';
import { copyKeyArn, receiverSettings } from './settings.lambda-shared';
import { assertDatabaseSelected, copyIdentifier, describeSharedSnapshot, SourceSnapshotRef, takenAt } from './sources.lambda-shared';
import { SnapshotFailed, SnapshotIdentifierConflict } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/**
 * Copies one shared snapshot (a DB cluster snapshot, or a DB snapshot of a DB instance) into this
 * account with this account's key, tagged with its origin. A copy that already exists and is this
 * instance's copy of the same source is success: a duplicate event or a retried step copies
 * nothing twice. Restoring a DB instance from a shared encrypted snapshot is not allowed at all
 * (RDS User Guide, "Sharing a DB snapshot": copy it first), which this copy is.
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
  const clusterIdentifier = assertDatabaseSelected(ref, shared.DBClusterIdentifier, settings);
  if (shared.Status !== 'available') {
    throw new SnapshotFailed(`Shared snapshot '${ref.arn}' is '${shared.Status}', not available`);
  }
  const sourceSnapshotTime = (takenAt(shared) ?? new Date()).toISOString();
  const origin = { ownerId: settings.ownerId, sourceAccount: ref.account, clusterIdentifier, sourceSnapshotArn: ref.arn, sourceSnapshotTime };
  const outcome = await requestCopy({ ref, shared, target, keyArn: copyKeyArn(), origin, requiredOptions: input.requiredOptions }, settings);
  if (outcome === 'exists' && !(await ownCopyOf(target, ref, settings.ownerId, settings.copyPrefix))) throw conflict(target, ref);
  return state(input, clusterIdentifier, target, sourceSnapshotTime);
}

function state(input: CopyInput, clusterIdentifier: string, target: string, sourceSnapshotTime: string): CopyState {
  const copyRequestedAt = new Date().toISOString();
  return { ...input, clusterIdentifier, copyIdentifier: target, sourceSnapshotTime, deadline: deadlineFromNow(), copyRequestedAt };
}

/** This instance's copy of `ref` under `target`; a snapshot of that name that is anything else is a conflict. */
async function ownCopyOf(target: string, ref: SourceSnapshotRef, ownerId: string, copyPrefix: string) {
  const snapshot = await findSnapshot(target, ref.kind);
  if (!snapshot) return undefined;
  const copy = asOwnCopy(snapshot, ownerId, copyPrefix, ref.kind);
  if (copy && copy.sourceSnapshotArn === ref.arn && copy.sourceAccount === ref.account) return copy;
  throw conflict(target, ref);
}

function conflict(target: string, ref: SourceSnapshotRef): SnapshotIdentifierConflict {
  return new SnapshotIdentifierConflict(`Snapshot '${target}' exists but is not this receiver's copy of '${ref.arn}'`);
}
