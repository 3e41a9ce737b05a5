import { Duration, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { eventPropProblems } from './event-props';
import { instanceProblems } from './instance-validation';
import { encryptionKeyProblems } from './key-validation';
import type { SharedClusterSnapshotsProps } from './props';
import { regionProblems } from './region-validation';
import { DEFAULT_SCHEDULE, scheduleProblems, warnIfSnapshotAgeMarginShort } from './schedule-rules';
import { selectionProblems } from './selection-validation';
import { warnIfQuotaTooSmall } from './snapshot-quota';
import { snapshotTagProblems } from './snapshot-tags';
import { ACCOUNT_ID_PATTERN, DEFAULTS, MAX_CHECKS_PER_PHASE, MAX_CONCURRENT_COPIES, MAX_REQUESTS_PER_SECOND, MAX_TARGET_ACCOUNTS, MAX_WAIT_INTERVAL_SECONDS, MIN_REQUESTS_PER_SECOND, MIN_WAIT_INTERVAL_SECONDS } from '../shared/constants';
import { functionOptionProblems } from '../shared/function-options';
import { isValidPrefix, PREFIX_RULE } from '../shared/naming.lambda-shared';
import { throwIfInvalid } from '../shared/validation-error';

/** The props' defaults, as the construct uses them (the plain values live in `constants.ts`). */
export const PROP_DEFAULTS = {
  rdsRequestsPerSecond: DEFAULTS.rdsRequestsPerSecond,
  waitInterval: Duration.seconds(DEFAULTS.waitIntervalSeconds),
  snapshotTimeout: Duration.seconds(DEFAULTS.snapshotTimeoutSeconds),
  retainSnapshots: DEFAULTS.retainSnapshots,
  snapshotPrefix: DEFAULTS.snapshotPrefix,
  maxConcurrentCopies: DEFAULTS.maxConcurrentCopies,
  schedule: DEFAULT_SCHEDULE,
};

/**
 * Throws one error, with the construct's path, that lists every problem with the props, each naming
 * the prop, the value and the rule; warns where the props fit the rules but not the account's
 * defaults. Unresolved tokens are not checked.
 */
export function validateProps(scope: Construct, props: SharedClusterSnapshotsProps): void {
  const stack = Stack.of(scope);
  throwIfInvalid(scope, 'SharedClusterSnapshots', [
    ...clusterProblems(props),
    ...instanceProblems(scope, props),
    ...targetProblems(stack, props.targetAccountIds),
    ...timingProblems(props),
    ...(props.encryptionKey ? encryptionKeyProblems(stack, props.encryptionKey) : []),
    ...regionProblems(stack, props.regions),
    ...numberProblems(props),
    ...prefixProblems(props.snapshotPrefix),
    ...functionOptionProblems(props),
    ...snapshotTagProblems(props.snapshotTags, props.retainUntilCopied ? props.targetAccountIds.length : 0),
    ...eventPropProblems(props),
    ...scheduleProblems(props),
  ]);
  warnIfQuotaTooSmall(scope, props);
  warnIfSnapshotAgeMarginShort(scope, props, snapshotTimeoutOf(props));
}

function numberProblems(props: SharedClusterSnapshotsProps): string[] {
  const problems: string[] = [];
  const retain = props.retainSnapshots;
  if (retain !== undefined && !Token.isUnresolved(retain) && (!Number.isInteger(retain) || retain < 1)) {
    problems.push(`retainSnapshots must be a whole number of at least 1, got ${retain}`);
  }
  const rate = props.rdsRequestsPerSecond;
  const rateOutOfRange = rate !== undefined && (rate < MIN_REQUESTS_PER_SECOND || rate > MAX_REQUESTS_PER_SECOND);
  if (rate !== undefined && !Token.isUnresolved(rate) && (!Number.isInteger(rate) || rateOutOfRange)) {
    problems.push(`rdsRequestsPerSecond must be a whole number from ${MIN_REQUESTS_PER_SECOND} to ${MAX_REQUESTS_PER_SECOND}, got ${rate}`);
  }
  const copies = props.maxConcurrentCopies;
  if (copies !== undefined && !Token.isUnresolved(copies) && (!Number.isInteger(copies) || copies < 1 || copies > MAX_CONCURRENT_COPIES)) {
    problems.push(`maxConcurrentCopies must be a whole number from 1 to ${MAX_CONCURRENT_COPIES} (RDS allows ${MAX_CONCURRENT_COPIES} copies in progress per account and Region), got ${copies}`);
  }
  return problems;
}

function prefixProblems(prefix: string | undefined): string[] {
  if (prefix === undefined || (!Token.isUnresolved(prefix) && isValidPrefix(prefix))) return [];
  return [`snapshotPrefix must be ${PREFIX_RULE} (and not a token), got '${prefix}'`];
}

function clusterProblems(props: SharedClusterSnapshotsProps): string[] {
  const problems: string[] = [];
  const ids = props.clusterIdentifiers ?? [];
  const instancesSelected = (props.instanceIdentifiers ?? []).length > 0 || props.instanceTag !== undefined;
  if (ids.length === 0 && !props.clusterTag && !instancesSelected) {
    problems.push(props.clusterIdentifiers === undefined
      ? 'Give clusterIdentifiers, clusterTag or both (or, for DB instances, instanceIdentifiers or instanceTag): neither was given, so there is nothing to snapshot'
      : 'clusterIdentifiers is an empty list and no clusterTag is given, so there is nothing to snapshot. '
        + 'List at least one DB cluster identifier, or select the clusters by tag with clusterTag');
  }
  return [...problems, ...selectionProblems(ids, props.clusterTag, { ids: 'clusterIdentifiers', tag: 'clusterTag', what: 'a DB cluster identifier' })];
}

function targetProblems(stack: Stack, targets: string[]): string[] {
  if (!Array.isArray(targets) || targets.length < 1 || targets.length > MAX_TARGET_ACCOUNTS) {
    return [`targetAccountIds must list 1 to ${MAX_TARGET_ACCOUNTS} account ids (RDS shares a snapshot with at most 20), got ${targets?.length ?? 0}`];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const account of targets) {
    if (Token.isUnresolved(account)) continue;
    if (!ACCOUNT_ID_PATTERN.test(account)) {
      problems.push(`targetAccountIds contains '${account}', which is not a 12-digit AWS account id`);
    } else if (seen.has(account)) {
      problems.push(`targetAccountIds contains '${account}' twice`);
    } else if (!Token.isUnresolved(stack.account) && stack.account === account) {
      problems.push(`targetAccountIds contains '${account}', which is this stack's own account: snapshots are already restorable here`);
    }
    seen.add(account);
  }
  return problems;
}

/** The snapshotTimeout checks need a valid waitInterval: they are skipped when it is not. */
function timingProblems(props: SharedClusterSnapshotsProps): string[] {
  const problems: string[] = [];
  const interval = wholeSeconds('waitInterval', props.waitInterval ?? PROP_DEFAULTS.waitInterval, problems);
  if (interval !== undefined && (interval < MIN_WAIT_INTERVAL_SECONDS || interval > MAX_WAIT_INTERVAL_SECONDS)) {
    problems.push(`waitInterval must be between 1 second and 1 hour, got ${interval} seconds`);
  }
  if (props.snapshotTimeout === undefined) return problems;
  const timeout = wholeSeconds('snapshotTimeout', props.snapshotTimeout, problems);
  if (interval === undefined || timeout === undefined || problems.length > 0) return problems;
  if (timeout < interval) {
    problems.push(`snapshotTimeout (${timeout} seconds) must be at least waitInterval (${interval} seconds)`);
  } else if (Math.ceil(timeout / interval) > MAX_CHECKS_PER_PHASE) {
    problems.push(
      `snapshotTimeout (${timeout} seconds) needs ${Math.ceil(timeout / interval)} checks at waitInterval (${interval} seconds); at most ${MAX_CHECKS_PER_PHASE} are allowed (an execution's history holds 25,000 events). Lengthen waitInterval or shorten snapshotTimeout`,
    );
  }
  return problems;
}

/** Step Functions counts in whole seconds; say so in this library's words, not CDK's. Undefined (and a problem) when not. */
function wholeSeconds(prop: string, duration: Duration, problems: string[]): number | undefined {
  if (Token.isUnresolved(duration.toMilliseconds({ integral: false }))) {
    problems.push(`${prop} must be a literal duration, not a token`);
    return undefined;
  }
  const ms = duration.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms) || ms % 1000 !== 0) {
    problems.push(`${prop} must be a whole number of seconds, got ${ms / 1000} seconds`);
    return undefined;
  }
  return ms / 1000;
}

/** The effective snapshot timeout: the prop, or 6 hours capped at 2,000 checks. */
export function snapshotTimeoutOf(props: SharedClusterSnapshotsProps): Duration {
  if (props.snapshotTimeout) return props.snapshotTimeout;
  const interval = (props.waitInterval ?? PROP_DEFAULTS.waitInterval).toSeconds();
  return Duration.seconds(Math.min(DEFAULTS.snapshotTimeoutSeconds, interval * MAX_CHECKS_PER_PHASE));
}
