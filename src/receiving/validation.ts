import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import type { ReceivedKind } from './permissions';
import type { ReceivedClusterSnapshotsProps } from './props';
import { replicaRegionProblems } from './replica-validation';
import {
  ACCOUNT_ID_PATTERN,
  MAX_IDENTIFIER_LENGTH,
  MAX_PREFIX_LENGTH,
  MAX_RECEIVED_CLUSTERS,
  MAX_RETAIN_COPIES,
  MAX_SOURCE_ACCOUNTS,
  TARGET_DEFAULTS,
} from '../shared/constants';
import { functionOptionProblems } from '../shared/function-options';
import { IDENTIFIER_RULE, isValidIdentifier, isValidPrefix } from '../shared/naming.lambda-shared';
import { describeSeconds, scheduleGaps } from '../shared/schedule-gaps';
import { throwIfInvalid } from '../shared/validation-error';

/**
 * The kinds of shared snapshot the receiver copies, and holds IAM permissions for: those whose
 * identifiers are listed, or both when neither list is set.
 */
export function receivedKinds(props: ReceivedClusterSnapshotsProps): ReceivedKind[] {
  const kinds: ReceivedKind[] = [];
  if ((props.clusterIdentifiers ?? []).length > 0) kinds.push('cluster');
  if ((props.instanceIdentifiers ?? []).length > 0) kinds.push('instance');
  return kinds.length > 0 ? kinds : ['cluster', 'instance'];
}

/** The props' defaults, as the construct uses them (the plain values live in `constants.ts`). */
export const RECEIVER_DEFAULTS = {
  retainCopies: TARGET_DEFAULTS.retainCopies,
  copyPrefix: TARGET_DEFAULTS.copyPrefix,
  schedule: scheduler.ScheduleExpression.rate(Duration.hours(TARGET_DEFAULTS.scanIntervalHours)),
  maxCopyAge: Duration.hours(TARGET_DEFAULTS.maxCopyAgeHours),
};

/** The longest scan interval: the alarm's hourly window (interval + 1 hour) must fit CloudWatch's 7 days. */
export const MAX_SCAN_INTERVAL_HOURS = 144;
/** A token schedule, or a cron one whose days are not expanded, is assumed to fire at least daily. */
const ASSUMED_CRON_INTERVAL_HOURS = 24;
const SOURCE_PREFIX = /^[a-z](?:[a-z0-9]|-(?!-))*$/;
/** Option group names: 1-255 letters, digits or hyphens, a letter first, no `--`, no trailing hyphen (RDS API Reference, CreateOptionGroup `OptionGroupName`). */
const OPTION_GROUP_NAME = /^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,254}$/;

/**
 * Throws one error, with the construct's path, that lists every problem with the props, each naming
 * the prop, the value and the rule. Unresolved tokens are not checked where a token can work.
 */
export function validateReceiverProps(scope: Construct, props: ReceivedClusterSnapshotsProps): void {
  const problems = [...sourceProblems(Stack.of(scope), props.sourceAccountIds)];
  const sourcePrefix = props.sourceSnapshotPrefix;
  const badPrefix = (p: string) => Token.isUnresolved(p) || p.length > MAX_IDENTIFIER_LENGTH || !SOURCE_PREFIX.test(p);
  if (sourcePrefix !== undefined && badPrefix(sourcePrefix)) {
    problems.push(`sourceSnapshotPrefix must be 1-${MAX_IDENTIFIER_LENGTH} lowercase letters, digits or hyphens, starting with a letter, with no '--' (and not a token), got '${sourcePrefix}'`);
  }
  problems.push(...databaseProblems(props.clusterIdentifiers ?? [], props.instanceIdentifiers ?? []));
  const group = props.optionGroupName;
  if (group !== undefined && !Token.isUnresolved(group) && (!OPTION_GROUP_NAME.test(group) || group.endsWith('-'))) {
    problems.push(`optionGroupName must be an option group name: 1-255 letters, digits or hyphens, starting with a letter, with no '--' and no trailing hyphen, got '${group}'`);
  }
  const retain = props.retainCopies;
  if (retain !== undefined && !Token.isUnresolved(retain) && (!Number.isInteger(retain) || retain < 1 || retain > MAX_RETAIN_COPIES)) {
    problems.push(`retainCopies must be a whole number from 1 to ${MAX_RETAIN_COPIES}, got ${retain}`);
  }
  const prefix = props.copyPrefix;
  if (prefix !== undefined && (Token.isUnresolved(prefix) || !isValidPrefix(prefix))) {
    problems.push(`copyPrefix must be 1-${MAX_PREFIX_LENGTH} lowercase letters, digits or hyphens, starting with a letter, with no '--' and no trailing hyphen (and not a token), got '${prefix}'`);
  }
  problems.push(...problemOf(() => scanIntervalHours(props.schedule ?? RECEIVER_DEFAULTS.schedule)));
  problems.push(...problemOf(() => maxCopyAgeSeconds(props.maxCopyAge ?? RECEIVER_DEFAULTS.maxCopyAge)));
  problems.push(...functionOptionProblems(props));
  problems.push(...replicaRegionProblems(Stack.of(scope), props.replicaRegions));
  throwIfInvalid(scope, 'ReceivedClusterSnapshots', problems);
}

/** The message of the error `check` throws, as a problem; none when it passes. */
function problemOf(check: () => unknown): string[] {
  try {
    check();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

function sourceProblems(stack: Stack, accounts: string[]): string[] {
  if (!Array.isArray(accounts) || accounts.length < 1 || accounts.length > MAX_SOURCE_ACCOUNTS) {
    return [`sourceAccountIds must list 1 to ${MAX_SOURCE_ACCOUNTS} account ids, got ${accounts?.length ?? 0}`];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const account of accounts) {
    if (Token.isUnresolved(account) || !ACCOUNT_ID_PATTERN.test(account)) {
      problems.push(`sourceAccountIds contains '${account}', which is not a literal 12-digit AWS account id`);
    } else if (seen.has(account)) {
      problems.push(`sourceAccountIds contains '${account}' twice`);
    } else if (!Token.isUnresolved(stack.account) && stack.account === account) {
      problems.push(`sourceAccountIds contains '${account}', which is this stack's own account: its snapshots are not shared with it`);
    }
    seen.add(account);
  }
  return problems;
}

/** `clusterIdentifiers` and `instanceIdentifiers`: valid, unique, and at most MAX_RECEIVED_CLUSTERS together (the handlers' environment). */
function databaseProblems(clusters: string[], instances: string[]): string[] {
  if (clusters.length + instances.length > MAX_RECEIVED_CLUSTERS) {
    return [`clusterIdentifiers and instanceIdentifiers list ${clusters.length + instances.length} databases together; at most ${MAX_RECEIVED_CLUSTERS} fit the handlers' `
      + 'environment. Leave both out to receive every database'];
  }
  return [...identifierProblems(clusters, 'clusterIdentifiers', 'a DB cluster identifier'), ...identifierProblems(instances, 'instanceIdentifiers', 'a DB instance identifier')];
}

function identifierProblems(ids: string[], prop: string, what: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (Token.isUnresolved(id)) continue;
    if (!isValidIdentifier(id)) {
      problems.push(`${prop} contains '${id}', which is not ${what}: ${IDENTIFIER_RULE}`);
    } else if (seen.has(id.toLowerCase())) {
      problems.push(`${prop} contains '${id}' twice`);
    }
    seen.add(id.toLowerCase());
  }
  return problems;
}

/**
 * The scan's longest interval in hours: from a rate expression, or from the firings of a cron one
 * (src/shared/schedule-gaps.ts); `ASSUMED_CRON_INTERVAL_HOURS` for a token or a cron expression
 * whose days are not expanded (`L`, `W`, `#`).
 */
export function scanIntervalHours(schedule: scheduler.ScheduleExpression): number {
  const expression = schedule.expressionString;
  if (Token.isUnresolved(expression)) return ASSUMED_CRON_INTERVAL_HOURS;
  const gaps = scheduleGaps(expression);
  if (gaps.kind !== 'rate' && gaps.kind !== 'cron') throw new Error(`schedule must be a rate or cron expression that repeats, got '${expression}'`);
  const hours = gaps.longestSeconds === undefined ? ASSUMED_CRON_INTERVAL_HOURS : gaps.longestSeconds / 3600;
  if (hours > MAX_SCAN_INTERVAL_HOURS) {
    const longest = gaps.kind === 'cron' ? ` (up to ${describeSeconds(gaps.longestSeconds!)} apart)` : '';
    throw new Error(`schedule must run the scan at least every ${MAX_SCAN_INTERVAL_HOURS} hours (the freshness alarm evaluates at most 7 days), got '${expression}'${longest}`);
  }
  return hours;
}

export function maxCopyAgeSeconds(maxCopyAge: Duration): number {
  const ms = maxCopyAge.toMilliseconds({ integral: false });
  if (Token.isUnresolved(ms) || !Number.isFinite(ms) || ms % 1000 !== 0) {
    throw new Error(`maxCopyAge must be a literal whole number of seconds, got ${maxCopyAge.toString()}`);
  }
  const seconds = ms / 1000;
  if (seconds < 3600 || seconds > 366 * 86_400) {
    throw new Error(`maxCopyAge must be between 1 hour and 366 days, got ${seconds} seconds`);
  }
  return seconds;
}

/** The freshness alarms' hourly periods: one value per scan, so (scan interval + 1 hour) sees at least one. */
export function freshnessPeriods(props: Pick<ReceivedClusterSnapshotsProps, 'schedule'>): number {
  return Math.ceil(scanIntervalHours(props.schedule ?? RECEIVER_DEFAULTS.schedule)) + 1;
}
