import type { DBClusterSnapshot } from '@aws-sdk/client-rds';
import { integerEnv, listEnv } from '../../shared/config.lambda-shared';
import { COPY_PENDING, ENV, SOURCE_EVENTS_ENV, TAG_COPIED_PREFIX } from '../../shared/constants';

/** With `retainUntilCopied`, why an expired snapshot is kept or pruned. */
export interface RetentionDecision {
  readonly snapshot: DBClusterSnapshot;
  readonly prune: boolean;
  /** The receivers (target accounts that confirm copies) that have not confirmed this snapshot. */
  readonly awaiting: string[];
  readonly ageSeconds?: number;
}

/** The accounts whose confirmation (`shared-cluster-snapshots:copied-<account>` = a time) the snapshot carries. */
export function confirmedBy(snapshot: Pick<DBClusterSnapshot, 'TagList'>): string[] {
  return copyTags(snapshot).filter(([, value]) => value !== '' && value !== COPY_PENDING).map(([account]) => account);
}

/** The accounts the snapshot's copy tags name, confirmed or awaited (`pending`). */
export function receiversNamedBy(snapshot: Pick<DBClusterSnapshot, 'TagList'>): string[] {
  return copyTags(snapshot).map(([account]) => account);
}

function copyTags(snapshot: Pick<DBClusterSnapshot, 'TagList'>): Array<[string, string]> {
  return (snapshot.TagList ?? [])
    .filter((tag) => tag.Key?.startsWith(TAG_COPIED_PREFIX))
    .map((tag) => [tag.Key!.slice(TAG_COPIED_PREFIX.length), tag.Value ?? '']);
}

/**
 * The receivers: the current target accounts that confirmed, or are awaited on, any snapshot of the
 * cluster (a copy tag on any of `owned`).
 */
export function receiversOf(owned: DBClusterSnapshot[]): string[] {
  const targets = new Set(listEnv(ENV.TARGET_ACCOUNT_IDS));
  return [...new Set(owned.flatMap(receiversNamedBy))].filter((account) => targets.has(account)).sort();
}

/** True when the construct runs with `retainUntilCopied`. */
export function retainsUntilCopied(): boolean {
  return process.env[SOURCE_EVENTS_ENV.RETAIN_UNTIL_COPIED] === 'true';
}

/**
 * Decides, for each snapshot expired by `retainSnapshots`, whether it may go. The receivers are
 * `receiversOf(owned)`: a target without a receiver never confirms, and must not keep snapshots. An expired
 * snapshot is pruned once every receiver confirmed it, or once it is older than `maxRetention`;
 * a snapshot whose creation time RDS does not report counts as young.
 */
export function decideRetention(expired: DBClusterSnapshot[], owned: DBClusterSnapshot[], now: number = Date.now()): RetentionDecision[] {
  const maxRetentionSeconds = integerEnv(SOURCE_EVENTS_ENV.MAX_RETENTION_SECONDS);
  const receivers = receiversOf(owned);
  return expired.map((snapshot) => {
    const confirmed = new Set(confirmedBy(snapshot));
    const awaiting = receivers.filter((account) => !confirmed.has(account));
    const created = snapshot.SnapshotCreateTime?.getTime();
    const ageSeconds = created === undefined ? undefined : Math.floor((now - created) / 1000);
    const tooOld = ageSeconds !== undefined && ageSeconds > maxRetentionSeconds;
    return { snapshot, prune: awaiting.length === 0 || tooOld, awaiting, ageSeconds };
  });
}
