import { Duration, Token } from 'aws-cdk-lib';
import type { SharedClusterSnapshotsProps } from './props';
import {
  MAX_MAX_RETENTION_DAYS, MAX_MAX_SNAPSHOT_AGE_HOURS, MIN_MAX_RETENTION_DAYS, MIN_MAX_SNAPSHOT_AGE_HOURS, SOURCE_EVENTS_DEFAULTS,
} from '../shared/constants';

/** The defaults of the event, confirmation and freshness props. */
export const EVENT_PROP_DEFAULTS = {
  maxRetention: Duration.days(SOURCE_EVENTS_DEFAULTS.maxRetentionDays),
  maxSnapshotAge: Duration.hours(SOURCE_EVENTS_DEFAULTS.maxSnapshotAgeHours),
};

/** `maxRetention` in seconds (call after `eventPropProblems` found none). */
export function maxRetentionSeconds(props: SharedClusterSnapshotsProps): number {
  return (props.maxRetention ?? EVENT_PROP_DEFAULTS.maxRetention).toSeconds();
}

/** `maxSnapshotAge` in seconds (call after `eventPropProblems` found none). */
export function maxSnapshotAgeSeconds(props: SharedClusterSnapshotsProps): number {
  return (props.maxSnapshotAge ?? EVENT_PROP_DEFAULTS.maxSnapshotAge).toSeconds();
}

/** The problems with the event and freshness props, each naming the prop, the value and the rule. */
export function eventPropProblems(props: SharedClusterSnapshotsProps): string[] {
  const problems: string[] = [];
  const retention = literalSeconds('maxRetention', props.maxRetention ?? EVENT_PROP_DEFAULTS.maxRetention, problems);
  if (retention !== undefined && (retention < MIN_MAX_RETENTION_DAYS * 86_400 || retention > MAX_MAX_RETENTION_DAYS * 86_400)) {
    problems.push(`maxRetention must be between ${MIN_MAX_RETENTION_DAYS} and ${MAX_MAX_RETENTION_DAYS} days, got ${retention} seconds`);
  }
  const age = literalSeconds('maxSnapshotAge', props.maxSnapshotAge ?? EVENT_PROP_DEFAULTS.maxSnapshotAge, problems);
  if (age !== undefined && (age % 3600 !== 0 || age < MIN_MAX_SNAPSHOT_AGE_HOURS * 3600 || age > MAX_MAX_SNAPSHOT_AGE_HOURS * 3600)) {
    problems.push(`maxSnapshotAge must be a whole number of hours from ${MIN_MAX_SNAPSHOT_AGE_HOURS} to ${MAX_MAX_SNAPSHOT_AGE_HOURS}, got ${age} seconds`);
  }
  if (props.maxRetention !== undefined && !props.retainUntilCopied) {
    problems.push('maxRetention applies only with retainUntilCopied: set retainUntilCopied: true, or remove maxRetention');
  }
  return problems;
}

/** The duration in whole seconds, or undefined with a problem pushed when it is a token or not whole. */
function literalSeconds(prop: string, duration: Duration, problems: string[]): number | undefined {
  const ms = duration.toMilliseconds({ integral: false });
  if (Token.isUnresolved(ms)) {
    problems.push(`${prop} must be a literal duration, not a token`);
    return undefined;
  }
  if (!Number.isFinite(ms) || ms % 1000 !== 0) {
    problems.push(`${prop} must be a whole number of seconds, got ${ms / 1000} seconds`);
    return undefined;
  }
  return ms / 1000;
}
