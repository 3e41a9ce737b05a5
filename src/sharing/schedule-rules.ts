import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { EVENT_PROP_DEFAULTS } from './event-props';
import type { SharedClusterSnapshotsProps } from './props';
import { MIN_RUN_INTERVAL_SECONDS } from '../shared/constants';
import { describeSeconds, ScheduleGaps, scheduleGaps } from '../shared/schedule-gaps';

/** The default `schedule`: daily at 03:00 UTC. */
export const DEFAULT_SCHEDULE = scheduler.ScheduleExpression.cron({ minute: '0', hour: '3' });

/** The id of the warning that `maxSnapshotAge` leaves a run less than `snapshotTimeout`, for `Annotations.acknowledgeWarning`. */
export const SNAPSHOT_AGE_MARGIN_WARNING = 'cdk-shared-cluster-snapshots:maxSnapshotAgeMargin';

/** The schedule's expression and gaps; undefined for a token, which is not checked. */
function gapsOf(props: SharedClusterSnapshotsProps): { expression: string; gaps: ScheduleGaps } | undefined {
  const expression = (props.schedule ?? DEFAULT_SCHEDULE).expressionString;
  if (Token.isUnresolved(expression)) return undefined;
  return { expression, gaps: scheduleGaps(expression) };
}

/** `maxSnapshotAge` in seconds when it is a literal whole number of seconds (eventPropProblems reports the rest). */
function literalMaxSnapshotAge(props: SharedClusterSnapshotsProps): number | undefined {
  const ms = (props.maxSnapshotAge ?? EVENT_PROP_DEFAULTS.maxSnapshotAge).toMilliseconds({ integral: false });
  return Token.isUnresolved(ms) || !Number.isFinite(ms) || ms % 1000 !== 0 ? undefined : ms / 1000;
}

/**
 * Runs must not overlap, and the freshness alarm must not fire between two runs that succeed: a
 * schedule that fires more often than hourly is refused, and so is a `maxSnapshotAge` shorter than
 * the schedule's longest interval. Checked where the gaps are known (schedule-gaps.ts): a rate, a
 * cron expression whose days are expanded; `at(...)` fires once and is not checked.
 */
export function scheduleProblems(props: SharedClusterSnapshotsProps): string[] {
  const schedule = gapsOf(props);
  if (!schedule) return [];
  const { expression, gaps } = schedule;
  const problems: string[] = [];
  if (gaps.shortestSeconds !== undefined && gaps.shortestSeconds < MIN_RUN_INTERVAL_SECONDS) {
    problems.push(
      `schedule must start a run at most once an hour, got '${expression}', which fires ${describeSeconds(gaps.shortestSeconds)} apart: `
      + 'a run of every cluster takes longer than that, and a firing while the previous run is in progress is skipped. Run it hourly or less often',
    );
  }
  const age = literalMaxSnapshotAge(props);
  if (gaps.longestSeconds !== undefined && age !== undefined && age < gaps.longestSeconds) {
    problems.push(
      `maxSnapshotAge (${describeSeconds(age)}) must be at least the schedule's longest interval between runs (${describeSeconds(gaps.longestSeconds)} for `
      + `'${expression}'), or freshnessAlarm fires between two runs that succeed. Raise maxSnapshotAge to that interval plus the time a run takes, `
      + 'or run more often',
    );
  }
  return problems;
}

/**
 * Warns where a `maxSnapshotAge` the user set leaves less than `snapshotTimeout` after the
 * schedule's longest interval: a slow run that is still within its timeout then lets freshnessAlarm
 * fire although nothing failed. The default (26 hours, for the default daily schedule) assumes a run
 * shares within 2 hours and is not warned about. Call once the props are valid.
 */
export function warnIfSnapshotAgeMarginShort(scope: Construct, props: SharedClusterSnapshotsProps, snapshotTimeout: Duration): void {
  const schedule = gapsOf(props);
  const age = literalMaxSnapshotAge(props);
  const longest = schedule?.gaps.longestSeconds;
  if (props.maxSnapshotAge === undefined || longest === undefined || age === undefined) return;
  const timeout = snapshotTimeout.toSeconds();
  if (age >= longest + timeout) return;
  Annotations.of(scope).addWarningV2(SNAPSHOT_AGE_MARGIN_WARNING,
    `maxSnapshotAge (${describeSeconds(age)}) leaves a run ${describeSeconds(age - longest)} after the schedule's longest interval `
    + `(${describeSeconds(longest)} for '${schedule!.expression}'), less than snapshotTimeout (${describeSeconds(timeout)}): a run that takes longer `
    + 'to share its snapshots makes freshnessAlarm fire although nothing failed. '
    + `Raise maxSnapshotAge to at least ${Math.ceil((longest + timeout) / 3600)} hours, or acknowledge this warning if the runs are known to be quicker.`);
}
