import * as fs from 'fs';
import * as path from 'path';
import { Annotations as CoreAnnotations, Duration, Lazy, Stack, TimeZone } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { addSnapshots, newStack } from './helpers';
import { SharedClusterSnapshots, SharedClusterSnapshotsProps } from '../../../src';
import { SNAPSHOT_AGE_MARGIN_WARNING } from '../../../src/sharing/schedule-rules';

function build(props: Partial<SharedClusterSnapshotsProps> = {}, stack: Stack = newStack()): SharedClusterSnapshots {
  return addSnapshots(stack, props);
}

const cron = (expression: string) => ScheduleExpression.expression(expression);
const marginWarnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('maxSnapshotAge'))
  .map((w) => String(w.entry.data));

describe('schedule: at most one run an hour', () => {
  test('every minute is refused, naming the prop, the value, how often it fires and the rule', () => {
    expect(() => build({ schedule: ScheduleExpression.rate(Duration.minutes(1)) })).toThrow(
      "schedule must start a run at most once an hour, got 'rate(1 minute)', which fires 1 minute apart: a run of every cluster takes "
      + 'longer than that, and a firing while the previous run is in progress is skipped. Run it hourly or less often',
    );
    expect(() => build({ schedule: cron('cron(* * * * ? *)') })).toThrow(/schedule must start a run at most once an hour, got 'cron\(\* \* \* \* \? \*\)', which fires 1 minute apart/);
  });

  test('twice an hour is refused: cron(0/30 * * * ? *) and rate(30 minutes)', () => {
    expect(() => build({ schedule: cron('cron(0/30 * * * ? *)') })).toThrow(/got 'cron\(0\/30 \* \* \* \? \*\)', which fires 30 minutes apart/);
    expect(() => build({ schedule: ScheduleExpression.rate(Duration.minutes(30)) })).toThrow(/got 'rate\(30 minutes\)', which fires 30 minutes apart/);
  });

  test('two firings close together once a day are refused too (03:00 and 03:20)', () => {
    expect(() => build({ schedule: cron('cron(0,20 3 * * ? *)') })).toThrow(/which fires 20 minutes apart/);
  });

  test('within a day, even where the days are not expanded (every 10 minutes on the last day of the month)', () => {
    expect(() => build({ schedule: cron('cron(0/10 3 L * ? *)') })).toThrow(/which fires 10 minutes apart/);
  });

  test('hourly is allowed (with a maxSnapshotAge of at least an hour, which every allowed value is)', () => {
    expect(() => build({ schedule: ScheduleExpression.rate(Duration.hours(1)) })).not.toThrow();
    expect(() => build({ schedule: cron('cron(0 * * * ? *)') })).not.toThrow();
  });

  test('a valid daily cron passes, with and without a time zone, and so does the default schedule', () => {
    expect(() => build({ schedule: ScheduleExpression.cron({ hour: '3', minute: '0' }) })).not.toThrow();
    expect(() => build({ schedule: ScheduleExpression.cron({ hour: '3', minute: '0', timeZone: TimeZone.EUROPE_BERLIN }) })).not.toThrow();
    const stack = newStack();
    build({}, stack);
    expect(marginWarnings(stack)).toEqual([]);
  });

  test('a one-time at() schedule, an unresolved token and an expression whose days are not expanded are not checked', () => {
    expect(() => build({ schedule: ScheduleExpression.at(new Date('2027-01-01T03:00:00Z')) })).not.toThrow();
    const token = Lazy.string({ produce: () => 'rate(1 minute)' });
    expect(() => build({ schedule: ScheduleExpression.expression(token) })).not.toThrow();
    // The last day of the month is about a month apart, but L is not expanded: maxSnapshotAge is not compared.
    expect(() => build({ schedule: cron('cron(0 3 L * ? *)') })).not.toThrow();
  });
});

describe('maxSnapshotAge against the schedule\'s longest interval', () => {
  test('rate(7 days) with the default maxSnapshotAge (26 hours) is refused', () => {
    expect(() => build({ schedule: ScheduleExpression.rate(Duration.days(7)) })).toThrow(
      "maxSnapshotAge (26 hours) must be at least the schedule's longest interval between runs (7 days for 'rate(7 days)'), or freshnessAlarm "
      + 'fires between two runs that succeed. Raise maxSnapshotAge to that interval plus the time a run takes, or run more often',
    );
  });

  test('a weekday-only cron is refused with 26 hours: Friday to Monday is 3 days', () => {
    expect(() => build({ schedule: ScheduleExpression.cron({ hour: '3', minute: '0', weekDay: 'MON-FRI' }) }))
      .toThrow(/maxSnapshotAge \(26 hours\) must be at least the schedule's longest interval between runs \(3 days for 'cron\(0 3 \? \* MON-FRI \*\)'\)/);
  });

  test('a weekday-only cron passes with a maxSnapshotAge that covers the weekend and a run', () => {
    expect(() => build({ schedule: ScheduleExpression.cron({ hour: '3', minute: '0', weekDay: 'MON-FRI' }), maxSnapshotAge: Duration.hours(80) })).not.toThrow();
  });

  test('both problems at once, with every other problem', () => {
    expect(() => build({ schedule: cron('cron(0/30 * ? * MON *)'), retainSnapshots: 0 })).toThrow(
      /- retainSnapshots must be a whole number of at least 1, got 0\n- schedule must start a run at most once an hour, got 'cron\(0\/30 \* \? \* MON \*\)', which fires 30 minutes apart: .*\n- maxSnapshotAge \(26 hours\) must be at least the schedule's longest interval between runs \(144 hours 30 minutes for 'cron\(0\/30 \* \? \* MON \*\)'\)/,
    );
  });

  test('rate(7 days) passes with a maxSnapshotAge of 7 days plus a run', () => {
    const stack = newStack();
    build({ schedule: ScheduleExpression.rate(Duration.days(7)), maxSnapshotAge: Duration.hours(7 * 24 + 8) }, stack);
    expect(marginWarnings(stack)).toEqual([]);
  });
});

describe('the warning where maxSnapshotAge leaves a run less than snapshotTimeout', () => {
  test('warns with the numbers and what to do, under an id to acknowledge', () => {
    const stack = newStack();
    build({ maxSnapshotAge: Duration.hours(26), snapshotTimeout: Duration.hours(6) }, stack);
    expect(marginWarnings(stack)).toEqual([
      "maxSnapshotAge (26 hours) leaves a run 2 hours after the schedule's longest interval (1 day for 'cron(0 3 * * ? *)'), less than "
      + 'snapshotTimeout (6 hours): a run that takes longer to share its snapshots makes freshnessAlarm fire although nothing failed. '
      + 'Raise maxSnapshotAge to at least 30 hours, or acknowledge this warning if the runs are known to be quicker. '
      + `[ack: ${SNAPSHOT_AGE_MARGIN_WARNING}]`,
    ]);
  });

  test('no warning once maxSnapshotAge covers the interval and snapshotTimeout', () => {
    const stack = newStack();
    build({ maxSnapshotAge: Duration.hours(30), snapshotTimeout: Duration.hours(6) }, stack);
    expect(marginWarnings(stack)).toEqual([]);
  });

  test('the default maxSnapshotAge, chosen for the default daily schedule, is not warned about', () => {
    const stack = newStack();
    build({ snapshotTimeout: Duration.hours(12) }, stack);
    expect(marginWarnings(stack)).toEqual([]);
  });

  test('it can be acknowledged', () => {
    const stack = newStack();
    const construct = build({ schedule: ScheduleExpression.rate(Duration.hours(12)), maxSnapshotAge: Duration.hours(13) }, stack);
    CoreAnnotations.of(construct).acknowledgeWarning(SNAPSHOT_AGE_MARGIN_WARNING, 'runs take minutes');
    expect(marginWarnings(stack)).toEqual([]);
  });
});

test('the README acknowledges the warning by its real id', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
  expect(readme).toContain(`acknowledgeWarning('${SNAPSHOT_AGE_MARGIN_WARNING}', '<why>')`);
});
