/**
 * EventBridge Scheduler's cron expressions, `cron(minutes hours day-of-month month day-of-week year)`
 * (EventBridge Scheduler User Guide, "Schedule types", cron-based schedules), expanded to the times
 * they fire, so that both constructs can check the gaps between the runs a schedule starts.
 *
 * Fields: minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or
 * SUN-SAT (1 is Sunday), year 1970-2199; `*`, `,` lists, `-` ranges and `/` increments; `?` in one
 * of the two day fields (one of them must be `?`). `L`, `W` and `#` (last, nearest weekday, n-th
 * weekday) are not expanded: the days such an expression fires on are left unknown, never guessed.
 *
 * Firings are enumerated day by day over every year the year field allows (1970-2199), about 84,000
 * days: the gaps are exact for any combination of the other fields, including a leap day or a
 * day-of-month that only some months have. They are wall-clock gaps in the schedule's time zone.
 *
 * Construct code (imported by both sides' validation), with no imports: pure calculation.
 */

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names for the values from `min` on (JAN for 1, SUN for 1). */
  readonly names?: readonly string[];
}

const MINUTES: FieldSpec = { name: 'minutes', min: 0, max: 59 };
const HOURS: FieldSpec = { name: 'hours', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] };
const DAY_OF_WEEK: FieldSpec = { name: 'day-of-week', min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };
const YEAR: FieldSpec = { name: 'year', min: 1970, max: 2199 };

/** A field's values; `any` for `?` (or `*`, which is the same set); `unknown` for a feature not expanded. */
type FieldValues = { readonly kind: 'values'; readonly values: ReadonlySet<number> } | { readonly kind: 'any' } | { readonly kind: 'unknown'; readonly why: string };

/** Whether a cron expression fires on a date (`weekday` 1 is Sunday, as in cron). */
export type FiresOn = (year: number, month: number, day: number, weekday: number) => boolean;

/** What a cron expression's fields say, or why they cannot be read. */
export type CronFields =
  | {
    readonly kind: 'fields';
    /** The minutes of the day it fires at, ascending. */
    readonly minutesOfDay: readonly number[];
    /** Whether it fires on a date; undefined when a day field uses a feature that is not expanded. */
    readonly firesOn?: FiresOn;
    /** Why `firesOn` is undefined. */
    readonly daysUnknown?: string;
  }
  | { readonly kind: 'unreadable'; readonly why: string };

const CRON = /^cron\((.*)\)$/;

/** Reads `cron(...)`; `unreadable` (with the reason) for anything this code does not understand. */
export function readCron(expression: string): CronFields {
  const body = CRON.exec(expression.trim())?.[1];
  if (body === undefined) return { kind: 'unreadable', why: 'not a cron expression' };
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) return { kind: 'unreadable', why: `a cron expression has 6 fields, this one ${parts.length}` };
  const [minutesText, hoursText, domText, monthText, dowText, yearText] = parts;
  const fields = [
    field(minutesText, MINUTES), field(hoursText, HOURS), field(domText, DAY_OF_MONTH, true),
    field(monthText, MONTH), field(dowText, DAY_OF_WEEK, true), field(yearText, YEAR),
  ];
  const unreadable = fields.find((f): f is { kind: 'unreadable'; why: string } => 'kind' in f && f.kind === 'unreadable');
  if (unreadable) return unreadable;
  const [minutes, hours, dom, month, dow, year] = fields as FieldValues[];
  if ((domText === '?') === (dowText === '?')) {
    return { kind: 'unreadable', why: 'exactly one of day-of-month and day-of-week must be ?' };
  }
  const minutesOfDay: number[] = [];
  for (const h of expand(hours, HOURS)) for (const m of expand(minutes, MINUTES)) minutesOfDay.push(h * 60 + m);
  minutesOfDay.sort((a, b) => a - b);
  const dayField = dom.kind === 'unknown' ? dom : dow.kind === 'unknown' ? dow : undefined;
  if (dayField?.kind === 'unknown') return { kind: 'fields', minutesOfDay, daysUnknown: dayField.why };
  const months = new Set(expand(month, MONTH));
  const years = new Set(expand(year, YEAR));
  const days = new Set(expand(dom, DAY_OF_MONTH));
  const weekdays = new Set(expand(dow, DAY_OF_WEEK));
  return {
    kind: 'fields',
    minutesOfDay,
    firesOn: (y, m, d, weekday) => years.has(y) && months.has(m) && days.has(d) && weekdays.has(weekday),
  };
}

function expand(values: FieldValues, spec: FieldSpec): number[] {
  if (values.kind === 'values') return [...values.values];
  const all: number[] = [];
  for (let v = spec.min; v <= spec.max; v++) all.push(v);
  return all;
}

/** One field: a list of `*`, `?`, values, ranges and increments. */
function field(text: string, spec: FieldSpec, dayField = false): FieldValues | { kind: 'unreadable'; why: string } {
  if (text === '?') return dayField ? { kind: 'any' } : { kind: 'unreadable', why: `? is allowed only in the day fields, not in ${spec.name}` };
  // Day names are stripped first: WED holds a W, and JUL an L.
  const withoutNames = (spec.names ?? []).reduce((t, name) => t.replace(new RegExp(name, 'gi'), ''), text);
  if (dayField && /[LW#]/i.test(withoutNames)) {
    return { kind: 'unknown', why: `${spec.name} '${text}' uses L, W or #, which this check does not expand` };
  }
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const problem = addItem(item, spec, values);
    if (problem) return { kind: 'unreadable', why: `${spec.name} '${text}': ${problem}` };
  }
  return { kind: 'values', values };
}

/** Adds one list item's values; returns a problem, or undefined. */
function addItem(item: string, spec: FieldSpec, values: Set<number>): string | undefined {
  const [range, stepText, extra] = item.split('/');
  if (extra !== undefined) return `'${item}' has two /`;
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1 || !/^\d+$/.test(stepText ?? '1')) return `'${item}' needs a whole increment of at least 1`;
  let from: number | undefined;
  let to: number | undefined;
  if (range === '*') {
    [from, to] = [spec.min, spec.max];
  } else {
    const [a, b, more] = range.split('-');
    if (more !== undefined) return `'${item}' is not a range`;
    from = valueOf(a, spec);
    to = b === undefined ? (stepText === undefined ? from : spec.max) : valueOf(b, spec);
  }
  if (from === undefined || to === undefined) return `'${item}' is not a value from ${spec.min} to ${spec.max}`;
  if (from > to) return `'${item}' runs backwards`;
  for (let v = from; v <= to; v += step) values.add(v);
  return undefined;
}

function valueOf(text: string, spec: FieldSpec): number | undefined {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return spec.min + named;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= spec.min && value <= spec.max ? value : undefined;
}

/** The gaps between consecutive firings, in seconds, and how many days fire at all. */
export interface CronGaps {
  readonly shortestSeconds?: number;
  readonly longestSeconds?: number;
  /** Days from 1970 to 2199 the expression fires on. */
  readonly firingDays: number;
}

const SECONDS_PER_MINUTE = 60;
const MINUTES_PER_DAY = 1440;

/**
 * The shortest and longest gap between consecutive firings of `fields` with known days: within a
 * day, between the times of day; across days, from the day's last time to the next firing day's
 * first. Gaps are undefined when the expression fires fewer than twice in all.
 */
export function cronGaps(fields: { minutesOfDay: readonly number[]; firesOn: FiresOn }): CronGaps {
  const times = fields.minutesOfDay;
  const { firingDays, shortestDayStep, longestDayStep } = firingDaySteps(fields.firesOn);
  const gaps: number[] = [];
  if (firingDays > 0 && times.length > 1) gaps.push(...withinDay(times));
  if (shortestDayStep !== undefined && longestDayStep !== undefined) {
    const across = (step: number) => step * MINUTES_PER_DAY + times[0] - times[times.length - 1];
    gaps.push(across(shortestDayStep), across(longestDayStep));
  }
  if (gaps.length === 0) return { firingDays };
  return { firingDays, shortestSeconds: Math.min(...gaps) * SECONDS_PER_MINUTE, longestSeconds: Math.max(...gaps) * SECONDS_PER_MINUTE };
}

/** The gaps between consecutive times of one day, in minutes. */
export function withinDay(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]);
}

/** Every day from 1970-01-01 to 2199-12-31: how many fire, and the shortest and longest step between two that do. */
function firingDaySteps(firesOn: FiresOn) {
  let dayIndex = 0; // days since 1970-01-01, a Thursday
  let firingDays = 0;
  let previous: number | undefined;
  let shortestDayStep: number | undefined;
  let longestDayStep: number | undefined;
  for (let year = YEAR.min; year <= YEAR.max; year++) {
    for (let month = 1; month <= 12; month++) {
      const length = daysInMonth(year, month);
      for (let day = 1; day <= length; day++, dayIndex++) {
        // Cron's day-of-week: 1 is Sunday; 1970-01-01 was a Thursday (5).
        if (!firesOn(year, month, day, ((dayIndex + 4) % 7) + 1)) continue;
        firingDays++;
        if (previous !== undefined) {
          const step = dayIndex - previous;
          shortestDayStep = Math.min(shortestDayStep ?? step, step);
          longestDayStep = Math.max(longestDayStep ?? step, step);
        }
        previous = dayIndex;
      }
    }
  }
  return { firingDays, shortestDayStep, longestDayStep };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
