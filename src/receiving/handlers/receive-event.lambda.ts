import { parseRequiredOptions } from './copy-state.lambda-shared';
import { SnapshotNotFromSource, SnapshotNotSelected } from './errors.lambda-shared';
import { assertNoOwnAccountSource } from './own-account.lambda-shared';
import { ReceiverSettings, receiverSettings } from './settings.lambda-shared';
import { assertDatabaseSelected, copyExecutionName, copyIdentifier, describeSharedSnapshot, parseSourceSnapshotArn, SourceSnapshotRef } from './sources.lambda-shared';
import { startCopy, StartOutcome } from './start-copy.lambda-shared';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE } from '../../shared/constants';
import { DATABASE_KINDS, isDatabaseKind } from '../../shared/database-kind.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import type { SnapshotSharedDetail } from '../../shared/events';
import { log } from '../../shared/log.lambda-shared';
import { requireObject } from '../../shared/validate.lambda-shared';

/** The EventBridge envelope of a `Cluster Snapshot Shared` event, as the rule delivers it. */
export interface SharedSnapshotEvent {
  readonly 'source': string;
  readonly 'detail-type': string;
  /** The account that put the event: EventBridge sets it, the sender cannot. */
  readonly 'account': string;
  readonly 'detail': SnapshotSharedDetail;
}

export interface ReceiveResult {
  /** `notSelected`: a source's snapshot outside `sourceSnapshotPrefix`, `clusterIdentifiers` or `instanceIdentifiers`, skipped. */
  readonly outcome: StartOutcome | 'notSelected';
  /** The copy execution's name, when one was started or found started. */
  readonly executionName?: string;
  /** Why a snapshot was not selected. */
  readonly reason?: string;
}

/**
 * Starts one copy execution for a shared snapshot, of a DB cluster or a DB instance. The event is a
 * hint: its account must be a source, its `databaseKind` one this receiver knows and the kind of
 * the snapshot ARN (events before DB instances have none: the ARN, a cluster snapshot's, tells), which must be that
 * account's, in this Region, with the prefix; the snapshot is re-read from RDS (its database from
 * RDS must be selected). A DB snapshot's `requiredOptions` go to the copy (its option group). Anything else is refused,
 * except a source's snapshot outside the selection: the source may share more than this receiver
 * copies, so that is skipped (an error would count in the failure alarm).
 */
export async function handler(event: SharedSnapshotEvent): Promise<ReceiveResult> {
  const settings = receiverSettings();
  assertNoOwnAccountSource(settings);
  try {
    return await receive(event, settings);
  } catch (error) {
    if (!(error instanceof SnapshotNotSelected)) throw error;
    log('info', 'Shared snapshot not selected', { reason: error.message });
    return { outcome: 'notSelected', reason: error.message };
  }
}

async function receive(event: SharedSnapshotEvent, settings: ReceiverSettings): Promise<ReceiveResult> {
  const obj = requireObject(event, 'The event');
  if (obj.source !== EVENT_SOURCE || obj['detail-type'] !== EVENT_DETAIL_TYPE.shared) {
    throw new InvalidInput(`Expected a '${EVENT_DETAIL_TYPE.shared}' event from '${EVENT_SOURCE}', got ${JSON.stringify(obj['detail-type'])?.slice(0, 60)} from ${JSON.stringify(obj.source)?.slice(0, 60)}`);
  }
  const account = obj.account;
  if (typeof account !== 'string' || !settings.sourceAccountIds.includes(account)) {
    throw new SnapshotNotFromSource(`The event came from account ${JSON.stringify(account)?.slice(0, 40)}, which is not one of the source accounts (${settings.sourceAccountIds.join(', ')})`);
  }
  const detail = requireObject(obj.detail, 'The event detail');
  const kind = detail.databaseKind;
  if (kind !== undefined && !isDatabaseKind(kind)) {
    throw new InvalidInput(`The event's databaseKind ${JSON.stringify(kind)?.slice(0, 40)} is not a kind this receiver copies (${DATABASE_KINDS.join(', ')}); nothing was copied`);
  }
  const ref = parseSourceSnapshotArn(detail.snapshotArn, settings, account);
  if (kind !== undefined) assertKind(ref, kind);
  const requiredOptions = ref.kind === 'instance' ? parseRequiredOptions(detail.requiredOptions, true) : undefined;
  const shared = await describeSharedSnapshot(ref);
  assertDatabaseSelected(ref, shared.DBClusterIdentifier, settings);

  const executionName = copyExecutionName(copyIdentifier(settings.copyPrefix, ref));
  const outcome = await startCopy({ sourceAccount: account, snapshotArn: ref.arn, ...(requiredOptions ? { requiredOptions } : {}) }, executionName);
  log('info', 'Shared snapshot received', { snapshotArn: ref.arn, databaseKind: ref.kind, executionName, outcome });
  return { executionName, outcome };
}

/** The event's kind must be the snapshot ARN's (`cluster-snapshot` a cluster's, `snapshot` a DB instance's). */
function assertKind(ref: SourceSnapshotRef, kind: string): void {
  if (ref.kind !== kind) {
    throw new InvalidInput(`The event's databaseKind '${kind}' does not match its snapshot ARN '${ref.arn}', a ${ref.kind === 'instance' ? 'DB snapshot' : 'DB cluster snapshot'}`);
  }
}
