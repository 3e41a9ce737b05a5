import { Duration, Token } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { DatabaseKind, RefreshedDatabaseProps, RefreshMode } from './props';
import {
  ACCOUNT_ID_PATTERN, AWS_RESERVED_TAG_PREFIXES, MAX_DATABASE_IDENTIFIER_LENGTH, MAX_REFRESH_INSTANCES, MAX_SERVERLESS_CAPACITY,
  MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS_PER_RESOURCE, MAX_WAIT_INTERVAL_SECONDS, MIN_SERVERLESS_CAPACITY, MIN_WAIT_INTERVAL_SECONDS,
  OWN_DATABASE_TAG_COUNT, REFRESH_DEFAULTS, REFRESH_RESERVED_TAG_PREFIX, TAG_CHARACTERS_PATTERN,
} from '../shared/constants';
import { functionOptionProblems } from '../shared/function-options';
import { identifierRule, isValidIdentifier, isValidPrefix } from '../shared/naming.lambda-shared';
import { throwIfInvalid } from '../shared/validation-error';

/** The props' defaults, as the construct uses them (the plain values live in `constants.ts`). */
export const REFRESH_PROP_DEFAULTS = {
  kind: DatabaseKind.AURORA_CLUSTER,
  mode: RefreshMode.REFRESH,
  schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: String(REFRESH_DEFAULTS.scheduleHourUtc) }),
  restoreTimeout: Duration.seconds(REFRESH_DEFAULTS.restoreTimeoutSeconds),
  postRestoreTimeout: Duration.seconds(REFRESH_DEFAULTS.postRestoreTimeoutSeconds),
  waitInterval: Duration.seconds(REFRESH_DEFAULTS.waitIntervalSeconds),
  maxDataAge: Duration.hours(REFRESH_DEFAULTS.maxDataAgeHours),
  serverlessV2: { minCapacity: REFRESH_DEFAULTS.minCapacity, maxCapacity: REFRESH_DEFAULTS.maxCapacity },
};

/** RDS: a VPC security group list holds 1 to 5 groups per database (as for Lambda functions). */
const MAX_DATABASE_SECURITY_GROUPS = 5;
const HOUR = 3600;
const DAY = 86_400;

/**
 * Throws one error, with the construct's path, that lists every problem with the props, each naming
 * the prop, the value and the rule. Unresolved tokens are not checked where a token can work.
 */
export function validateRefreshProps(scope: Construct, props: RefreshedDatabaseProps): void {
  const problems: string[] = [...functionOptionProblems(props)];
  const id = props.databaseIdentifier;
  if (Token.isUnresolved(id) || !isValidIdentifier(id) || id !== id.toLowerCase() || id.length > MAX_DATABASE_IDENTIFIER_LENGTH) {
    problems.push(`databaseIdentifier must be ${identifierRule(MAX_DATABASE_IDENTIFIER_LENGTH, true)} (and not a token: IAM is scoped to it), got '${id}'`);
  }
  const source = props.sourceClusterIdentifier;
  if (!Token.isUnresolved(source) && !isValidIdentifier(source)) {
    problems.push(`sourceClusterIdentifier must be a DB cluster identifier (${identifierRule()}), got '${source}'`);
  }
  if (props.sourceAccountId !== undefined && !Token.isUnresolved(props.sourceAccountId) && !ACCOUNT_ID_PATTERN.test(props.sourceAccountId)) {
    problems.push(`sourceAccountId must be a 12-digit AWS account id, got '${props.sourceAccountId}'`);
  }
  if (!Token.isUnresolved(props.source.copyPrefix) && !isValidPrefix(props.source.copyPrefix)) {
    problems.push(`source.copyPrefix must be a receiver's copy prefix (${identifierRule(24, true)}), got '${props.source.copyPrefix}'`);
  }
  const groups = props.databaseSecurityGroups;
  if (!Array.isArray(groups) || groups.length < 1 || groups.length > MAX_DATABASE_SECURITY_GROUPS) {
    problems.push(`databaseSecurityGroups must list 1 to ${MAX_DATABASE_SECURITY_GROUPS} security groups, got ${groups?.length ?? 0}`);
  }
  problems.push(...capacityProblems(props));
  problems.push(...durationProblems(props));
  problems.push(...tagProblems(props.tags ?? {}));
  if (props.mode === RefreshMode.RESTORE_TEST) {
    for (const prop of ['keepPrevious', 'finalSnapshot', 'deletionProtection', 'maxDataAge'] as const) {
      if (props[prop] !== undefined) problems.push(`${prop} is given in RefreshMode.RESTORE_TEST, which never serves and deletes every database it restores: leave it out`);
    }
  }
  throwIfInvalid(scope, 'RefreshedDatabase', problems);
}

function capacityProblems(props: RefreshedDatabaseProps): string[] {
  const problems: string[] = [];
  const instances = props.instances;
  const badCount = (n: number) => !Number.isInteger(n) || n < 1 || n > MAX_REFRESH_INSTANCES;
  if (instances !== undefined && !Token.isUnresolved(instances) && badCount(instances)) {
    problems.push(`instances must be a whole number from 1 to ${MAX_REFRESH_INSTANCES}, got ${instances}`);
  }
  if (props.instanceClass !== undefined && props.serverlessV2 !== undefined) {
    problems.push(`serverlessV2 is given with instanceClass '${props.instanceClass}': give one of them (serverlessV2 applies to db.serverless instances only)`);
  }
  if (props.instanceClass !== undefined && !Token.isUnresolved(props.instanceClass) && !/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(props.instanceClass)) {
    problems.push(`instanceClass must be a DB instance class such as 'db.r6g.large', got '${props.instanceClass}'`);
  }
  const capacity = props.serverlessV2;
  if (capacity) {
    const { minCapacity: min, maxCapacity: max } = capacity;
    const valid = (n: number) => Number.isFinite(n) && n >= MIN_SERVERLESS_CAPACITY && n <= MAX_SERVERLESS_CAPACITY && (n * 2) % 1 === 0;
    if (!valid(min) || !valid(max) || max < Math.max(min, 1)) {
      problems.push(`serverlessV2 must have minCapacity and maxCapacity from ${MIN_SERVERLESS_CAPACITY} to ${MAX_SERVERLESS_CAPACITY} ACU in steps of 0.5, `
        + `maxCapacity at least 1 and at least minCapacity, got ${min} to ${max}`);
    }
    const pause = capacity.secondsUntilAutoPause?.toSeconds();
    if (pause !== undefined && (min !== 0 || pause < 300 || pause > DAY)) {
      problems.push(`serverlessV2.secondsUntilAutoPause must be from 5 minutes to 1 day, with minCapacity 0, got ${pause} seconds with minCapacity ${min}`);
    }
  }
  return problems;
}

function durationProblems(props: RefreshedDatabaseProps): string[] {
  const problems: string[] = [];
  const check = (name: string, value: Duration | undefined, min: number, max: number, unit: string) => {
    if (value === undefined) return;
    const seconds = value.toSeconds({ integral: false });
    if (Token.isUnresolved(seconds) || seconds < min || seconds > max || seconds % 1 !== 0) {
      problems.push(`${name} must be a whole number of seconds from ${unit}, got ${value.toString()}`);
    }
  };
  check('waitInterval', props.waitInterval, MIN_WAIT_INTERVAL_SECONDS, MAX_WAIT_INTERVAL_SECONDS, `${MIN_WAIT_INTERVAL_SECONDS} second to 1 hour`);
  check('restoreTimeout', props.restoreTimeout, 15 * 60, DAY, '15 minutes to 1 day');
  check('postRestoreTimeout', props.postRestoreTimeout, 60, DAY, '1 minute to 1 day');
  check('keepPrevious', props.keepPrevious, 0, 30 * DAY, '0 to 30 days');
  check('maxDataAge', props.maxDataAge, HOUR, 366 * DAY, '1 hour to 366 days');
  if (props.postRestoreTimeout !== undefined && props.postRestore === undefined) {
    problems.push('postRestoreTimeout is given without postRestore: give the step too (or leave the timeout out)');
  }
  return problems;
}

function tagProblems(tags: Record<string, string>): string[] {
  const problems: string[] = [];
  const keys = Object.keys(tags);
  if (keys.length + OWN_DATABASE_TAG_COUNT > MAX_TAGS_PER_RESOURCE) {
    problems.push(`tags holds ${keys.length} tags; RDS allows ${MAX_TAGS_PER_RESOURCE} per database, of which RefreshedDatabase uses ${OWN_DATABASE_TAG_COUNT}`);
  }
  for (const [key, value] of Object.entries(tags)) {
    if (Token.isUnresolved(key) || key.length < 1 || key.length > MAX_TAG_KEY_LENGTH || !TAG_CHARACTERS_PATTERN.test(key)
      || [REFRESH_RESERVED_TAG_PREFIX, ...AWS_RESERVED_TAG_PREFIXES].some((p) => key.toLowerCase().startsWith(p))) {
      problems.push(`tags has the key '${key}': keys must be literal, 1-${MAX_TAG_KEY_LENGTH} letters, digits, spaces or _ . : / = + - @, not starting with ${REFRESH_RESERVED_TAG_PREFIX}, aws: or rds:`);
    } else if (!Token.isUnresolved(value) && (value.length > MAX_TAG_VALUE_LENGTH || !TAG_CHARACTERS_PATTERN.test(value))) {
      problems.push(`tags['${key}'] is '${value}': values must be at most ${MAX_TAG_VALUE_LENGTH} letters, digits, spaces or _ . : / = + - @`);
    }
  }
  return problems;
}
