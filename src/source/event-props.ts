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

/** `maxRetention` in seconds, validated. */
export function maxRetentionSeconds(props: SharedClusterSnapshotsProps): number {
  const seconds = literalSeconds('maxRetention', props.maxRetention ?? EVENT_PROP_DEFAULTS.maxRetention);
  if (seconds < MIN_MAX_RETENTION_DAYS * 86_400 || seconds > MAX_MAX_RETENTION_DAYS * 86_400) {
    throw new Error(`maxRetention must be between ${MIN_MAX_RETENTION_DAYS} and ${MAX_MAX_RETENTION_DAYS} days, got ${seconds} seconds`);
  }
  return seconds;
}

/** `maxSnapshotAge` in seconds, validated. */
export function maxSnapshotAgeSeconds(props: SharedClusterSnapshotsProps): number {
  const seconds = literalSeconds('maxSnapshotAge', props.maxSnapshotAge ?? EVENT_PROP_DEFAULTS.maxSnapshotAge);
  if (seconds % 3600 !== 0 || seconds < MIN_MAX_SNAPSHOT_AGE_HOURS * 3600 || seconds > MAX_MAX_SNAPSHOT_AGE_HOURS * 3600) {
    throw new Error(`maxSnapshotAge must be a whole number of hours from ${MIN_MAX_SNAPSHOT_AGE_HOURS} to ${MAX_MAX_SNAPSHOT_AGE_HOURS}, got ${seconds} seconds`);
  }
  return seconds;
}

/** Throws, naming the prop, the value and the rule. */
export function validateEventProps(props: SharedClusterSnapshotsProps): void {
  maxRetentionSeconds(props);
  maxSnapshotAgeSeconds(props);
  if (props.maxRetention !== undefined && !props.retainUntilCopied) {
    throw new Error('maxRetention applies only with retainUntilCopied: set retainUntilCopied: true, or remove maxRetention');
  }
}

function literalSeconds(prop: string, duration: Duration): number {
  const ms = duration.toMilliseconds({ integral: false });
  if (Token.isUnresolved(ms)) throw new Error(`${prop} must be a literal duration, not a token`);
  if (!Number.isFinite(ms) || ms % 1000 !== 0) throw new Error(`${prop} must be a whole number of seconds, got ${ms / 1000} seconds`);
  return ms / 1000;
}
