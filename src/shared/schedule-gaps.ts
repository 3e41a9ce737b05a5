/**
 * The time between the runs a schedule expression starts, as both constructs check it at synth:
 * `rate(...)` exactly, `cron(...)` from its firings (cron-expression.ts), `at(...)` fires once.
 * EventBridge Scheduler's expressions (EventBridge Scheduler User Guide, "Schedule types"):
 * `rate(value unit)` with unit minute(s), hour(s) or day(s); `cron(...)`; `at(yyyy-mm-ddThh:mm:ss)`.
 *
 * Construct code (imported by both sides' validation), with no imports beyond its sibling.
 */
import { cronGaps, readCron, withinDay } from './cron-expression';

export interface ScheduleGaps {
  /** `rate`, `cron` or `at`; `other` for what this code does not recognise. */
  readonly kind: 'rate' | 'cron' | 'at' | 'other';
  /**
   * The shortest time between two consecutive firings, in seconds, where it is known. For a cron
   * expression whose days are not expanded (`L`, `W`, `#`), the shortest gap between its times of
   * day, which occurs on every day it fires.
   */
  readonly shortestSeconds?: number;
  /** The longest time between two consecutive firings, in seconds, where it is known exactly. */
  readonly longestSeconds?: number;
  /** Why a gap is not known: a feature not expanded, an expression that fires once or never. */
  readonly unknownBecause?: string;
}

const RATE = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/;
const SECONDS_PER_UNIT: Record<string, number> = { minute: 60, hour: 3600, day: 86_400 };

/** The gaps of a schedule expression (its `expressionString`); never throws. */
export function scheduleGaps(expression: string): ScheduleGaps {
  const text = expression.trim();
  const rate = RATE.exec(text);
  if (rate) {
    const seconds = Number(rate[1]) * SECONDS_PER_UNIT[rate[2].replace(/s$/, '')];
    if (seconds > 0) return { kind: 'rate', shortestSeconds: seconds, longestSeconds: seconds };
    return { kind: 'other', unknownBecause: 'a rate needs a value of at least 1' };
  }
  if (/^at\(.*\)$/.test(text)) return { kind: 'at', unknownBecause: 'a one-time schedule fires once' };
  const cron = readCron(text);
  if (cron.kind === 'unreadable') {
    return { kind: text.startsWith('cron(') ? 'cron' : 'other', unknownBecause: cron.why };
  }
  const { minutesOfDay, firesOn } = cron;
  if (!firesOn) {
    const shortestWithinDay = minutesOfDay.length > 1 ? Math.min(...withinDay(minutesOfDay)) * 60 : undefined;
    return { kind: 'cron', shortestSeconds: shortestWithinDay, unknownBecause: cron.daysUnknown };
  }
  const gaps = cronGaps({ minutesOfDay, firesOn });
  if (gaps.shortestSeconds === undefined) {
    return { kind: 'cron', unknownBecause: gaps.firingDays === 0 ? 'it never fires' : 'it fires only once' };
  }
  return { kind: 'cron', shortestSeconds: gaps.shortestSeconds, longestSeconds: gaps.longestSeconds };
}

/** A duration in words: `30 minutes`, `1 hour`, `26 hours 30 minutes`, `7 days`. */
export function describeSeconds(seconds: number): string {
  const parts: string[] = [];
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  // Whole days read as days only when nothing smaller follows; 26 hours reads better than 1 day 2 hours.
  if (days > 0 && hours === 0 && minutes === 0 && rest === 0) return plural(days, 'day');
  const totalHours = days * 24 + hours;
  if (totalHours > 0) parts.push(plural(totalHours, 'hour'));
  if (minutes > 0) parts.push(plural(minutes, 'minute'));
  if (rest > 0 || parts.length === 0) parts.push(plural(rest, 'second'));
  return parts.join(' ');
}
