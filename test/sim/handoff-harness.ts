import type { DBClusterSnapshot } from '@aws-sdk/client-rds';
import { Duration } from 'aws-cdk-lib';
import { MINUTE, runDay } from './harness';
import { synthesizeReceiverTemplate } from '../../sim/example-receiver';
import { synthesizeTemplate } from '../../sim/example-stack';
import { HandoffSimulation, SECOND_TARGET_ACCOUNT, SOURCE_ACCOUNT, TARGET_ACCOUNT } from '../../sim/handoff';
import type { FaultOptions } from '../../sim/rds-types';
import type { ReceivedClusterSnapshotsProps, SharedClusterSnapshotsProps } from '../../src';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE, TAG_ROLE, TAG_RUN, TARGET_TAG_OWNER, TARGET_TAG_SOURCE_SNAPSHOT } from '../../src/shared/constants';
import type { SnapshotSharedDetail } from '../../src/shared/events';

export { MINUTE, runDay, SECOND_TARGET_ACCOUNT, SOURCE_ACCOUNT, TARGET_ACCOUNT };
export const CLUSTER = 'orders-db';
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const cache = new Map<string, { Resources: Record<string, any> }>();
function cached(key: unknown, synth: () => { Resources: Record<string, any> }) {
  const k = JSON.stringify(key, (_, v) => (v instanceof Duration ? `${v.toSeconds()}s` : v));
  if (!cache.has(k)) cache.set(k, synth());
  return cache.get(k)!;
}

export interface HandoffSetup {
  readonly source?: Partial<SharedClusterSnapshotsProps>;
  /** The receiver in TARGET_ACCOUNT. */
  readonly receiver?: Partial<ReceivedClusterSnapshotsProps>;
  /** A receiver in SECOND_TARGET_ACCOUNT too. */
  readonly secondReceiver?: Partial<ReceivedClusterSnapshotsProps>;
  readonly sourceFaults?: FaultOptions;
  readonly targetFaults?: FaultOptions;
  readonly start?: Date;
}

/**
 * The source account with one SharedClusterSnapshots on `orders-db` (sharing with each account that
 * runs a receiver, `notifyTargetAccounts` on, unless `source` says otherwise), a receiver in TARGET_ACCOUNT (and optionally one in SECOND_TARGET_ACCOUNT), each
 * receiving from SOURCE_ACCOUNT. Call `dispose()` when done.
 */
export function handoff(setup: HandoffSetup = {}): HandoffSimulation {
  // The source shares with (and notifies) the accounts that run a receiver, unless `source` says otherwise.
  const targetAccountIds = setup.secondReceiver ? [TARGET_ACCOUNT, SECOND_TARGET_ACCOUNT] : [TARGET_ACCOUNT];
  const sourceProps = { clusterIdentifiers: [CLUSTER], targetAccountIds, notifyTargetAccounts: true, ...setup.source };
  const receiverProps = (extra?: Partial<ReceivedClusterSnapshotsProps>) => ({ sourceAccountIds: [SOURCE_ACCOUNT], ...extra });
  const accounts = [
    { account: SOURCE_ACCOUNT, templates: [cached(['source', sourceProps], () => synthesizeTemplate(sourceProps))], rdsFaults: setup.sourceFaults },
    {
      account: TARGET_ACCOUNT,
      templates: [cached(['receiver', TARGET_ACCOUNT, receiverProps(setup.receiver)], () => synthesizeReceiverTemplate(TARGET_ACCOUNT, receiverProps(setup.receiver)))],
      rdsFaults: setup.targetFaults,
    },
  ];
  if (setup.secondReceiver) {
    const props = receiverProps(setup.secondReceiver);
    accounts.push({ account: SECOND_TARGET_ACCOUNT, templates: [cached(['receiver', SECOND_TARGET_ACCOUNT, props], () => synthesizeReceiverTemplate(SECOND_TARGET_ACCOUNT, props))], rdsFaults: undefined });
  }
  const sim = new HandoffSimulation({ accounts, start: setup.start ?? new Date(runDay(0).getTime() - MINUTE) });
  sim.account(SOURCE_ACCOUNT).rds.addCluster({ identifier: CLUSTER, snapshotMs: 8 * MINUTE, copyMs: 12 * MINUTE });
  return sim;
}

/** The source's scheduled run on `day`, then everything it sets off (events, copies, confirmations). */
export async function sourceRun(sim: HandoffSimulation, day: number): Promise<void> {
  const run = await sim.fireSchedule(SOURCE_ACCOUNT, runDay(day));
  if (run.error) throw new Error(`The source's starter failed: ${run.error}`);
  await sim.runUntilIdle();
}

/** The receiver's catch-up scan in `account` at `time`, then the copies it starts. Returns the scan's result. */
export async function catchUpScan(sim: HandoffSimulation, time: Date, account = TARGET_ACCOUNT): Promise<any> {
  const run = await sim.fireSchedule(account, time);
  await sim.runUntilIdle();
  if (run.error) throw new Error(`The scan failed: ${run.error}`);
  return run.result;
}

/** The source's shared snapshots of the cluster (its own view). */
export function sourceShared(sim: HandoffSimulation): DBClusterSnapshot[] {
  return sim.account(SOURCE_ACCOUNT).rds.snapshotsOf(CLUSTER).filter((s) => s.TagList?.some((t) => t.Key === TAG_ROLE && t.Value === 'shared'));
}

/** The receiver's copies in `account` (its own view), oldest source first. */
export function copiesIn(sim: HandoffSimulation, account = TARGET_ACCOUNT): DBClusterSnapshot[] {
  return sim.account(account).rds.snapshotsOf(CLUSTER).filter((s) => s.TagList?.some((t) => t.Key === TARGET_TAG_OWNER));
}

export function sourceArnOf(copy: DBClusterSnapshot): string | undefined {
  return copy.TagList?.find((t) => t.Key === TARGET_TAG_SOURCE_SNAPSHOT)?.Value;
}

/**
 * Puts a `Cluster Snapshot Shared` event for `snapshot` from account `from` onto `to`'s default bus,
 * as the source's PublishSnapshotShared task would: for duplicates, forgeries and events from
 * accounts that run no source.
 */
export function putSharedEvent(sim: HandoffSimulation, snapshot: DBClusterSnapshot, from = SOURCE_ACCOUNT, to = TARGET_ACCOUNT) {
  const detail: SnapshotSharedDetail = {
    clusterIdentifier: snapshot.DBClusterIdentifier!,
    snapshotIdentifier: snapshot.DBClusterSnapshotIdentifier!,
    snapshotArn: snapshot.DBClusterSnapshotArn!,
    kmsKeyArn: snapshot.KmsKeyId,
    sharedWith: [to],
    runId: snapshot.TagList?.find((t) => t.Key === TAG_RUN)?.Value ?? '',
    snapshotCreateTime: snapshot.SnapshotCreateTime!.toISOString(),
  };
  return sim.putEvents(from, [{
    EventBusName: `arn:aws:events:eu-west-1:${to}:event-bus/default`,
    Source: EVENT_SOURCE,
    DetailType: EVENT_DETAIL_TYPE.shared,
    Detail: JSON.stringify(detail),
  }]);
}
