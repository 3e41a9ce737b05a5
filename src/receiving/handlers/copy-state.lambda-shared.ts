import { SnapshotNotFromSource } from './errors.lambda-shared';
import type { ReceiverSettings } from './settings.lambda-shared';
import { copyIdentifier, parseSourceSnapshotArn, SourceSnapshotRef } from './sources.lambda-shared';
import { integerEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { rejectUnknownKeys, requireObject } from '../../shared/validate.lambda-shared';

/**
 * The execution input: one shared snapshot to copy, of either kind (its ARN tells which). The
 * receiver and the scan start executions with it.
 */
export interface CopyInput {
  readonly sourceAccount: string;
  readonly snapshotArn: string;
  /**
   * The options a DB snapshot's copy needs in its option group (Oracle `Timezone`/`OLS`), as the
   * source's Shared event says (`requiredOptions`): the copy is then made with `optionGroupName`. A
   * hint: without it, RDS's refusal of the copy tells the same.
   */
  readonly requiredOptions?: string[];
}

/** The `Cluster Snapshot Copied` entry the state machine puts on the source account's default bus. */
export interface ConfirmationEntry {
  readonly eventBusName: string;
  /** The JSON of a `SnapshotCopiedDetail`. */
  readonly detail: string;
}

/** The state the copy steps pass on. Every step re-derives the copy identifier from the ARN. */
export interface CopyState extends CopyInput {
  readonly clusterIdentifier: string;
  readonly copyIdentifier: string;
  /** ISO-8601: when the source snapshot was taken. */
  readonly sourceSnapshotTime: string;
  /** ISO-8601: the last status check; past it the copy times out. */
  readonly deadline: string;
  /** ISO-8601: when the copy was requested (a copy not yet visible within the grace period is "not yet"). */
  readonly copyRequestedAt: string;
  /** Set once the copy is available. */
  readonly copyArn?: string;
  /** Set by RetainCopies: the older copies it deleted. */
  readonly deletedCopies?: string[];
  /** Set by RetainCopies when `confirmCopies` is on and the copy is kept. */
  readonly confirmation?: ConfirmationEntry;
}

const INPUT_KEYS = ['sourceAccount', 'snapshotArn', 'requiredOptions'] as const;
/** An option name as the event may carry it (option names are short words, e.g. `Timezone`, `OLS`); at most this many. */
const OPTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_REQUIRED_OPTIONS = 20;
const STATE_KEYS: readonly string[] = [...INPUT_KEYS, 'clusterIdentifier', 'copyIdentifier', 'sourceSnapshotTime', 'deadline', 'copyRequestedAt', 'copyArn', 'deletedCopies', 'confirmation'];

/** Checks an execution input; the snapshot must belong to the named source account. */
export function parseCopyInput(event: unknown, settings: ReceiverSettings): { input: CopyInput; ref: SourceSnapshotRef } {
  const obj = requireObject(event, 'The copy input');
  rejectUnknownKeys(obj, INPUT_KEYS, 'The copy input');
  const sourceAccount = obj.sourceAccount;
  if (typeof sourceAccount !== 'string' || !settings.sourceAccountIds.includes(sourceAccount)) {
    throw new SnapshotNotFromSource(`sourceAccount ${JSON.stringify(sourceAccount)?.slice(0, 40)} is not one of the source accounts (${settings.sourceAccountIds.join(', ')})`);
  }
  const ref = parseSourceSnapshotArn(obj.snapshotArn, settings, sourceAccount);
  const requiredOptions = parseRequiredOptions(obj.requiredOptions, ref.kind === 'instance');
  return { input: { sourceAccount, snapshotArn: ref.arn, ...(requiredOptions ? { requiredOptions } : {}) }, ref };
}

/** `requiredOptions`: absent, or (for a DB snapshot only) a short list of option names. */
export function parseRequiredOptions(value: unknown, dbSnapshot: boolean): string[] | undefined {
  if (value === undefined) return undefined;
  const valid = Array.isArray(value) && value.length <= MAX_REQUIRED_OPTIONS && value.every((o) => typeof o === 'string' && OPTION_NAME.test(o));
  if (!valid || !dbSnapshot) {
    throw new InvalidInput(`requiredOptions must be a list of at most ${MAX_REQUIRED_OPTIONS} option names, for a DB snapshot only; got ${JSON.stringify(value)?.slice(0, 80)}`);
  }
  return value.length > 0 ? value : undefined;
}

/** Checks the state a previous step returned, and that its copy identifier is the one its ARN gives; `ref` tells the kind. */
export function parseCopyState(event: unknown, settings: ReceiverSettings): { state: CopyState; ref: SourceSnapshotRef } {
  const obj = requireObject(event, 'The copy state');
  rejectUnknownKeys(obj, STATE_KEYS, 'The copy state');
  const { sourceAccount, snapshotArn, requiredOptions } = obj;
  const { input, ref } = parseCopyInput({ sourceAccount, snapshotArn, requiredOptions }, settings);
  const expected = copyIdentifier(settings.copyPrefix, ref);
  if (obj.copyIdentifier !== expected) {
    throw new InvalidInput(`copyIdentifier must be '${expected}' for ${ref.arn}, got ${JSON.stringify(obj.copyIdentifier)?.slice(0, 80)}`);
  }
  for (const key of ['clusterIdentifier', 'sourceSnapshotTime', 'deadline', 'copyRequestedAt'] as const) {
    if (typeof obj[key] !== 'string' || obj[key] === '') throw new InvalidInput(`The copy state has no ${key}`);
  }
  return { state: { ...(obj as unknown as CopyState), ...input }, ref };
}

/** The deadline of the status checks: `snapshotTimeout` from now. */
export function deadlineFromNow(): string {
  return new Date(Date.now() + integerEnv(ENV.SNAPSHOT_TIMEOUT_SECONDS) * 1000).toISOString();
}
