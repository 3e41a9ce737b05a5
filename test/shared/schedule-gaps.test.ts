import { readCron } from '../../src/shared/cron-expression';
import { describeSeconds, scheduleGaps } from '../../src/shared/schedule-gaps';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/** The shortest and longest gap of an expression, in seconds ([undefined, undefined] when unknown). */
const gaps = (expression: string) => {
  const g = scheduleGaps(expression);
  return [g.shortestSeconds, g.longestSeconds];
};

describe('rate expressions', () => {
  test.each([
    ['rate(1 minute)', MINUTE],
    ['rate(30 minutes)', 30 * MINUTE],
    ['rate(1 hour)', HOUR],
    ['rate(90 minutes)', 90 * MINUTE],
    ['rate(12 hours)', 12 * HOUR],
    ['rate(1 day)', DAY],
    ['rate(7 days)', 7 * DAY],
  ])('%s fires every %i seconds', (expression, seconds) => {
    expect(scheduleGaps(expression)).toEqual({ kind: 'rate', shortestSeconds: seconds, longestSeconds: seconds });
  });

  test('a rate of 0 and an unknown unit are not understood, so not checked', () => {
    expect(scheduleGaps('rate(0 minutes)')).toEqual({ kind: 'other', unknownBecause: 'a rate needs a value of at least 1' });
    expect(scheduleGaps('rate(2 weeks)')).toMatchObject({ kind: 'other' });
    expect(gaps('rate(2 weeks)')).toEqual([undefined, undefined]);
  });
});

test('a one-time at() expression has no gaps', () => {
  expect(scheduleGaps('at(2027-01-01T00:00:00)')).toEqual({ kind: 'at', unknownBecause: 'a one-time schedule fires once' });
});

describe('cron expressions: exact gaps', () => {
  test.each<[string, string, number, number]>([
    ['every minute', 'cron(* * * * ? *)', MINUTE, MINUTE],
    ['every 30 minutes (increment from 0)', 'cron(0/30 * * * ? *)', 30 * MINUTE, 30 * MINUTE],
    ['every 15 minutes (increment from *)', 'cron(*/15 * * * ? *)', 15 * MINUTE, 15 * MINUTE],
    ['minutes 5 and 50 of every hour (a list)', 'cron(5,50 * * * ? *)', 15 * MINUTE, 45 * MINUTE],
    ['hourly', 'cron(0 * * * ? *)', HOUR, HOUR],
    ['daily at 03:00', 'cron(0 3 * * ? *)', DAY, DAY],
    ['twice a day, 03:00 and 15:00 (a list)', 'cron(0 3,15 * * ? *)', 12 * HOUR, 12 * HOUR],
    ['every 5 hours from 3 (an increment): 23:00 to 03:00 is the shortest', 'cron(0 3/5 * * ? *)', 4 * HOUR, 5 * HOUR],
    ['hours 1 to 5 every 2 (a range with an increment)', 'cron(0 1-5/2 * * ? *)', 2 * HOUR, 20 * HOUR],
    ['office hours on weekdays (ranges, day names)', 'cron(0 9-17 ? * MON-FRI *)', HOUR, 64 * HOUR],
    ['weekdays at 03:00 (day numbers: 2 is Monday)', 'cron(0 3 ? * 2-6 *)', DAY, 3 * DAY],
    ['weekdays at 03:00 (day names, lower case)', 'cron(0 3 ? * mon-fri *)', DAY, 3 * DAY],
    ['Wednesdays (WED holds a W, and is a name)', 'cron(15 10 ? * WED *)', 7 * DAY, 7 * DAY],
    ['Sundays and Wednesdays (a list of names)', 'cron(0 3 ? * SUN,WED *)', 3 * DAY, 4 * DAY],
    ['the 1st of every month', 'cron(0 3 1 * ? *)', 28 * DAY, 31 * DAY],
    ['the 31st: only in the months that have it', 'cron(0 3 31 * ? *)', 31 * DAY, 61 * DAY],
    ['every quarter (month increment)', 'cron(0 0 1 */3 ? *)', 90 * DAY, 92 * DAY],
    ['every day of July only (JUL holds an L, and is a name)', 'cron(0 3 * JUL ? *)', DAY, 336 * DAY],
    ['once a year', 'cron(0 3 1 1 ? *)', 365 * DAY, 366 * DAY],
    ['leap days only: every 4 years, 8 across 2100', 'cron(0 3 29 2 ? *)', 1461 * DAY, 2921 * DAY],
    ['05:00 and 04:00 the next day (across midnight)', 'cron(0 4,5 * * ? *)', HOUR, 23 * HOUR],
    ['23:30 and 00:10 (across midnight, the shortest)', 'cron(10,30 0,23 * * ? *)', 20 * MINUTE, 22 * HOUR + 40 * MINUTE],
    ['daily in 2026 only (a year field)', 'cron(0 3 * * ? 2026)', DAY, DAY],
  ])('%s: %s', (_, expression, shortest, longest) => {
    expect(scheduleGaps(expression)).toEqual({ kind: 'cron', shortestSeconds: shortest, longestSeconds: longest });
  });

  test('spaces around the fields are allowed', () => {
    expect(gaps('cron( 0  3 * * ? * )')).toEqual([DAY, DAY]);
  });
});

describe('cron expressions: what is not expanded is unknown, never guessed', () => {
  test.each([
    ['L in day-of-month (the last day)', 'cron(0 3 L * ? *)', "day-of-month 'L'"],
    ['W in day-of-month (the nearest weekday)', 'cron(0 3 15W * ? *)', "day-of-month '15W'"],
    ['LW in day-of-month', 'cron(0 3 LW * ? *)', "day-of-month 'LW'"],
    ['# in day-of-week (the third Friday)', 'cron(0 3 ? * 6#3 *)', "day-of-week '6#3'"],
    ['L in day-of-week (the last Friday)', 'cron(0 3 ? * 6L *)', "day-of-week '6L'"],
    ['# with a day name', 'cron(0 3 ? * FRI#2 *)', "day-of-week 'FRI#2'"],
  ])('%s: no gap is known', (_, expression, field) => {
    expect(scheduleGaps(expression)).toEqual({ kind: 'cron', unknownBecause: `${field} uses L, W or #, which this check does not expand` });
  });

  test('with L, W or #, the times of day are still exact: the shortest gap within a firing day is known', () => {
    expect(scheduleGaps('cron(0/10 3 L * ? *)')).toMatchObject({ kind: 'cron', shortestSeconds: 10 * MINUTE });
    expect(gaps('cron(0/10 3 L * ? *)')).toEqual([10 * MINUTE, undefined]);
    expect(gaps('cron(0 1,5 ? * 2#1 *)')).toEqual([4 * HOUR, undefined]);
  });

  test.each([
    ['both day fields given', 'cron(0 3 * * * *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['neither day field given', 'cron(0 3 ? * ? *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['five fields', 'cron(0 3 * * ?)', 'a cron expression has 6 fields, this one 5'],
    ['a minute out of range', 'cron(60 3 * * ? *)', "minutes '60': '60' is not a value from 0 to 59"],
    ['a backwards range', 'cron(0 22-2 * * ? *)', "hours '22-2': '22-2' runs backwards"],
    ['an increment of 0', 'cron(0/0 * * * ? *)', "minutes '0/0': '0/0' needs a whole increment of at least 1"],
    ['? outside the day fields', 'cron(? 3 * * ? *)', '? is allowed only in the day fields, not in minutes'],
    ['L outside the day fields', 'cron(0 L * * ? *)', "hours 'L': 'L' is not a value from 0 to 23"],
    ['a year out of range', 'cron(0 3 * * ? 2200)', "year '2200': '2200' is not a value from 1970 to 2199"],
  ])('an expression this code cannot read is unknown (%s)', (_, expression, why) => {
    expect(scheduleGaps(expression)).toEqual({ kind: 'cron', unknownBecause: why });
  });

  test('an expression that never fires (30 February), or fires once, has no gaps', () => {
    expect(scheduleGaps('cron(0 3 30 2 ? *)')).toEqual({ kind: 'cron', unknownBecause: 'it never fires' });
    expect(scheduleGaps('cron(0 3 1 1 ? 2030)')).toEqual({ kind: 'cron', unknownBecause: 'it fires only once' });
  });

  test('an expression of another kind is not understood', () => {
    expect(scheduleGaps('every day')).toEqual({ kind: 'other', unknownBecause: 'not a cron expression' });
  });
});

describe('readCron', () => {
  test('expands lists, ranges and increments into the minutes of the day, ascending', () => {
    const fields = readCron('cron(0,30 9-10,8 ? * MON *)');
    expect(fields).toMatchObject({ kind: 'fields', minutesOfDay: [480, 510, 540, 570, 600, 630] });
  });

  test('day-of-week 1 is Sunday, and a date fires on its weekday only', () => {
    const fields = readCron('cron(0 3 ? * 1 *)');
    if (fields.kind !== 'fields' || !fields.firesOn) throw new Error('expected known days');
    // 2026-11-29 is a Sunday (weekday 1), 2026-11-30 a Monday (2).
    expect(fields.firesOn(2026, 11, 29, 1)).toBe(true);
    expect(fields.firesOn(2026, 11, 30, 2)).toBe(false);
  });
});

test.each([
  [60, '1 minute'],
  [1800, '30 minutes'],
  [3600, '1 hour'],
  [5400, '1 hour 30 minutes'],
  [93_600, '26 hours'],
  [86_400, '1 day'],
  [604_800, '7 days'],
  [45, '45 seconds'],
])('describeSeconds(%i) is %s', (seconds, words) => {
  expect(describeSeconds(seconds)).toBe(words);
});
