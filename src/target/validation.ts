import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { ReceivedClusterSnapshotsProps } from './props';
import {
  ACCOUNT_ID_PATTERN,
  MAX_IDENTIFIER_LENGTH,
  MAX_PREFIX_LENGTH,
  MAX_RECEIVED_CLUSTERS,
  MAX_RETAIN_COPIES,
  MAX_SOURCE_ACCOUNTS,
  TARGET_DEFAULTS,
} from '../shared/constants';
import { isValidIdentifier, isValidPrefix } from '../shared/naming.lambda-shared';

/** The props' defaults, as the construct uses them (the plain values live in `constants.ts`). */
export const RECEIVER_DEFAULTS = {
  retainCopies: TARGET_DEFAULTS.retainCopies,
  copyPrefix: TARGET_DEFAULTS.copyPrefix,
  schedule: scheduler.ScheduleExpression.rate(Duration.hours(TARGET_DEFAULTS.scanIntervalHours)),
  maxCopyAge: Duration.hours(TARGET_DEFAULTS.maxCopyAgeHours),
};

/** The longest scan interval: the alarm's hourly window (interval + 1 hour) must fit CloudWatch's 7 days. */
export const MAX_SCAN_INTERVAL_HOURS = 144;
/** A cron (or token) schedule is assumed to fire at least daily. */
const ASSUMED_CRON_INTERVAL_HOURS = 24;
const SOURCE_PREFIX = /^[a-z](?:[a-z0-9]|-(?!-))*$/;

/** Throws an error that names the prop, the value and the rule. Unresolved tokens are not checked where a token can work. */
export function validateReceiverProps(stack: Stack, props: ReceivedClusterSnapshotsProps): void {
  validateSources(stack, props.sourceAccountIds);
  const sourcePrefix = props.sourceSnapshotPrefix;
  const badPrefix = (p: string) => Token.isUnresolved(p) || p.length > MAX_IDENTIFIER_LENGTH || !SOURCE_PREFIX.test(p);
  if (sourcePrefix !== undefined && badPrefix(sourcePrefix)) {
    throw new Error(`sourceSnapshotPrefix must be 1-${MAX_IDENTIFIER_LENGTH} lowercase letters, digits or hyphens, starting with a letter, with no '--' (and not a token), got '${sourcePrefix}'`);
  }
  validateClusters(props.clusterIdentifiers ?? []);
  const retain = props.retainCopies;
  if (retain !== undefined && !Token.isUnresolved(retain) && (!Number.isInteger(retain) || retain < 1 || retain > MAX_RETAIN_COPIES)) {
    throw new Error(`retainCopies must be a whole number from 1 to ${MAX_RETAIN_COPIES}, got ${retain}`);
  }
  const prefix = props.copyPrefix;
  if (prefix !== undefined && (Token.isUnresolved(prefix) || !isValidPrefix(prefix))) {
    throw new Error(`copyPrefix must be 1-${MAX_PREFIX_LENGTH} lowercase letters, digits or hyphens, starting with a letter, with no '--' and no trailing hyphen (and not a token), got '${prefix}'`);
  }
  scanIntervalHours(props.schedule ?? RECEIVER_DEFAULTS.schedule);
  maxCopyAgeSeconds(props.maxCopyAge ?? RECEIVER_DEFAULTS.maxCopyAge);
}

function validateSources(stack: Stack, accounts: string[]): void {
  if (!Array.isArray(accounts) || accounts.length < 1 || accounts.length > MAX_SOURCE_ACCOUNTS) {
    throw new Error(`sourceAccountIds must list 1 to ${MAX_SOURCE_ACCOUNTS} account ids, got ${accounts?.length ?? 0}`);
  }
  const seen = new Set<string>();
  for (const account of accounts) {
    if (Token.isUnresolved(account) || !ACCOUNT_ID_PATTERN.test(account)) {
      throw new Error(`sourceAccountIds contains '${account}', which is not a literal 12-digit AWS account id`);
    }
    if (seen.has(account)) throw new Error(`sourceAccountIds contains '${account}' twice`);
    seen.add(account);
    if (!Token.isUnresolved(stack.account) && stack.account === account) {
      throw new Error(`sourceAccountIds contains '${account}', which is this stack's own account: its snapshots are not shared with it`);
    }
  }
}

function validateClusters(ids: string[]): void {
  if (ids.length > MAX_RECEIVED_CLUSTERS) {
    throw new Error(`clusterIdentifiers lists ${ids.length} clusters; at most ${MAX_RECEIVED_CLUSTERS} fit the handlers' environment. Leave it out to receive every cluster`);
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (Token.isUnresolved(id)) continue;
    if (!isValidIdentifier(id)) {
      throw new Error(`clusterIdentifiers contains '${id}', which is not a DB cluster identifier: 1-63 letters, digits or hyphens, starting with a letter, with no '--' and no trailing hyphen`);
    }
    if (seen.has(id.toLowerCase())) throw new Error(`clusterIdentifiers contains '${id}' twice`);
    seen.add(id.toLowerCase());
  }
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const HOURS_PER_UNIT: Record<string, number> = { minute: 1 / 60, minutes: 1 / 60, hour: 1, hours: 1, day: 24, days: 24 };

/** The scan's interval in hours: from a rate expression, or `ASSUMED_CRON_INTERVAL_HOURS` for a cron one. */
export function scanIntervalHours(schedule: scheduler.ScheduleExpression): number {
  const expression = schedule.expressionString;
  if (Token.isUnresolved(expression) || expression.startsWith('cron(')) return ASSUMED_CRON_INTERVAL_HOURS;
  const rate = RATE.exec(expression);
  if (!rate) throw new Error(`schedule must be a rate or cron expression that repeats, got '${expression}'`);
  const hours = Number(rate[1]) * HOURS_PER_UNIT[rate[2]];
  if (hours > MAX_SCAN_INTERVAL_HOURS) {
    throw new Error(`schedule must run the scan at least every ${MAX_SCAN_INTERVAL_HOURS} hours (the freshness alarm evaluates at most 7 days), got '${expression}'`);
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
