import { AddTagsToResourceCommand } from '@aws-sdk/client-rds';
import { confirmedBy } from './confirmed-retention.lambda-shared';
import { findSnapshot } from './snapshots.lambda-shared';
import { ownershipOf } from './tags.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import { listEnv, requireEnv } from '../../shared/config.lambda-shared';
import { CONFIRMATION_ERROR, ENV, EVENT_DETAIL_TYPE, EVENT_SOURCE, SOURCE_EVENTS_ENV, TAG_COPIED_PREFIX } from '../../shared/constants';
import { InvalidInput, WorkflowError } from '../../shared/errors.lambda-shared';
import type { SnapshotCopiedDetail } from '../../shared/events';
import { log } from '../../shared/log.lambda-shared';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';
import { preview, requireObject } from '../../shared/validate.lambda-shared';

/** The EventBridge envelope of a `Cluster Snapshot Copied` event, as the rule delivers it. */
export interface CopiedSnapshotEvent {
  readonly 'source': string;
  readonly 'detail-type': string;
  /** The account that put the event: EventBridge sets it, the sender cannot. */
  readonly 'account': string;
  readonly 'detail': SnapshotCopiedDetail;
}

/** `recorded`: tagged now; `already-recorded`: tagged before (the first time is kept); `absent`: the snapshot is gone (pruned meanwhile). */
export type RecordOutcome = 'recorded' | 'already-recorded' | 'absent';

export interface RecordResult {
  readonly snapshotIdentifier: string;
  readonly targetAccount: string;
  readonly outcome: RecordOutcome;
}

/** The event names an account, Region, prefix, owner or snapshot this instance does not accept. Not retried by the workflow. */
export class ConfirmationRefused extends WorkflowError {
  public readonly name = CONFIRMATION_ERROR.ConfirmationRefused;
}

/** A cluster snapshot's ARN (`cluster-snapshot`) or a DB instance snapshot's (`snapshot`), with an id this construct could have derived. */
const SNAPSHOT_ARN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):(cluster-snapshot|snapshot):([a-z][a-z0-9-]{0,62})$/;

/**
 * Records a target account's `Cluster Snapshot Copied` confirmation as a tag on the shared snapshot
 * (`shared-cluster-snapshots:copied-<account>` = the time), which CleanUp reads with
 * `retainUntilCopied`. The event is untrusted: its account must be a target, the snapshot ARN this
 * account's, in this Region, with this instance's prefix, and RDS must show the snapshot carries
 * this owner's tags as a shared snapshot. Only the event's `account` and `detail.sourceSnapshotArn` are used.
 */
async function run(event: CopiedSnapshotEvent): Promise<RecordResult> {
  const ownerId = requireEnv(ENV.OWNER_ID);
  const prefix = requireEnv(ENV.SNAPSHOT_PREFIX);
  const ownAccount = requireEnv(SOURCE_EVENTS_ENV.ACCOUNT_ID);
  const region = requireEnv('AWS_REGION');
  const targets = listEnv(ENV.TARGET_ACCOUNT_IDS);

  const obj = requireObject(event, 'The event');
  if (obj.source !== EVENT_SOURCE || obj['detail-type'] !== EVENT_DETAIL_TYPE.copied) {
    throw new InvalidInput(`Expected a '${EVENT_DETAIL_TYPE.copied}' event from '${EVENT_SOURCE}', got ${preview(obj['detail-type'])} from ${preview(obj.source)}`);
  }
  const account = obj.account;
  if (typeof account !== 'string' || !targets.includes(account)) {
    throw new ConfirmationRefused(`The confirmation came from account ${preview(account)}, which is not one of the target accounts (${targets.join(', ')})`);
  }
  const detail = requireObject(obj.detail, 'The event detail');
  const arn = detail.sourceSnapshotArn;
  const match = typeof arn === 'string' ? SNAPSHOT_ARN.exec(arn) : null;
  if (!match) throw new ConfirmationRefused(`sourceSnapshotArn ${preview(arn)} is not a DB cluster snapshot or DB snapshot ARN`);
  const [, arnRegion, arnAccount, resourceType, snapshotIdentifier] = match;
  const kind = resourceType === 'snapshot' ? 'instance' : 'cluster';
  if (arnAccount !== ownAccount || arnRegion !== region) {
    throw new ConfirmationRefused(`Snapshot ${preview(arn)} is not in this account and Region (${ownAccount}, ${region})`);
  }
  if (!snapshotIdentifier.startsWith(`${prefix}-`)) {
    throw new ConfirmationRefused(`Snapshot ${preview(arn)} does not start with this instance's snapshotPrefix '${prefix}-'`);
  }

  const snapshot = await findSnapshot(snapshotIdentifier, kind);
  if (!snapshot) {
    log('info', 'Confirmed snapshot is gone; nothing to record', { snapshotIdentifier, targetAccount: account });
    return { snapshotIdentifier, targetAccount: account, outcome: 'absent' };
  }
  const ownership = ownershipOf(snapshot);
  if (ownership?.ownerId !== ownerId || ownership.role !== 'shared' || snapshot.DBClusterSnapshotArn !== arn) {
    throw new ConfirmationRefused(`Snapshot ${preview(arn)} is not a shared snapshot of this instance (owner tag '${ownerId}')`);
  }
  if (confirmedBy(snapshot).includes(account)) {
    return { snapshotIdentifier, targetAccount: account, outcome: 'already-recorded' };
  }
  await rds.send(new AddTagsToResourceCommand({
    ResourceName: snapshot.DBClusterSnapshotArn,
    Tags: [{ Key: `${TAG_COPIED_PREFIX}${account}`, Value: new Date().toISOString() }],
  }));
  log('info', 'Recorded a copy confirmation', { snapshotIdentifier, targetAccount: account });
  return { snapshotIdentifier, targetAccount: account, outcome: 'recorded' };
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('recordCopy', run);
