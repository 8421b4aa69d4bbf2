import { ScheduleExpressionError } from './errors';

/**
 * The one EventBridge schedule-expression grammar: the definition validates with it (so synth and
 * deploy get only what AWS accepts) and the local scheduler evaluates with it.
 */

/** A parsed EventBridge schedule expression that can say when it fires next. */
export interface Schedule {
  readonly expression: string;
  /** The first firing strictly after `after`, or undefined when there is none (e.g. a past year). */
  next(after: Date): Date | undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

function invalid(expression: string, why: string): ScheduleExpressionError {
  return new ScheduleExpressionError(`Invalid schedule expression "${expression}": ${why}`);
}

/** Parses one cron field of plain values (`*`, `a`, `a-b`, `a/n`, `*\/n`, lists) into the allowed set. */
function parseSet(
  field: string,
  min: number,
  max: number,
  names: readonly string[],
  offset: number,
  expr: string,
): Set<number> {
  const result = new Set<number>();
  const value = (text: string): number => {
    const named = names.indexOf(text.toUpperCase());
    const n = named >= 0 ? named + offset : Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw invalid(expr, `"${text}" is not in ${min}-${max}`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw invalid(expr, `bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [lo, hi] = [value(a), value(b)];
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let n = lo; n <= hi; n += step) result.add(n);
  }
  return result;
}

type DayRule = (year: number, month: number, day: number) => boolean;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1; // 1 = SUN … 7 = SAT
}

function domRule(field: string, expr: string): DayRule {
  if (field === '?') return () => true;
  if (field === 'L') return (y, m, d) => d === daysInMonth(y, m);
  const w = /^(\d{1,2})W$/.exec(field);
  if (w) {
    const target = Number(w[1]);
    return (y, m, d) => {
      const last = daysInMonth(y, m);
      const t = Math.min(target, last);
      const wd = weekday(y, m, t);
      let nearest = t;
      if (wd === 7) nearest = t === 1 ? 3 : t - 1; // Saturday
      if (wd === 1) nearest = t === last ? t - 2 : t + 1; // Sunday
      return d === nearest;
    };
  }
  const days = parseSet(field, 1, 31, [], 0, expr);
  return (_y, _m, d) => days.has(d);
}

function dowRule(field: string, expr: string): DayRule {
  if (field === '?') return () => true;
  const last = /^([1-7]|[A-Za-z]{3})L$/.exec(field);
  if (last) {
    const target = [...parseSet(last[1] as string, 1, 7, DAYS, 1, expr)][0] as number;
    return (y, m, d) => weekday(y, m, d) === target && d + 7 > daysInMonth(y, m);
  }
  const nth = /^([1-7]|[A-Za-z]{3})#([1-5])$/.exec(field);
  if (nth) {
    const target = [...parseSet(nth[1] as string, 1, 7, DAYS, 1, expr)][0] as number;
    const n = Number(nth[2]);
    return (y, m, d) => weekday(y, m, d) === target && Math.ceil(d / 7) === n;
  }
  if (field === 'L') return (y, m, d) => weekday(y, m, d) === 7;
  const days = parseSet(field, 1, 7, DAYS, 1, expr);
  return (y, m, d) => days.has(weekday(y, m, d));
}

function cron(expression: string, body: string): Schedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6)
    throw invalid(expression, 'expected 6 fields (minutes hours day-of-month month day-of-week year)');
  const [minF, hourF, domF, monF, dowF, yearF] = fields as [string, string, string, string, string, string];
  if ((domF === '?') === (dowF === '?')) {
    throw invalid(expression, 'exactly one of day-of-month and day-of-week must be "?"');
  }
  const minutes = [...parseSet(minF, 0, 59, [], 0, expression)].sort((a, b) => a - b);
  const hours = [...parseSet(hourF, 0, 23, [], 0, expression)].sort((a, b) => a - b);
  const months = parseSet(monF, 1, 12, MONTHS, 1, expression);
  const years = parseSet(yearF, 1970, 2199, [], 0, expression);
  const dom = domRule(domF, expression);
  const dow = dowRule(dowF, expression);
  return {
    expression,
    next(after) {
      const from = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
      const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
      for (let i = 0; i < 366 * 8; i += 1, day.setUTCDate(day.getUTCDate() + 1)) {
        const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
        if (!years.has(y) || !months.has(m) || !dom(y, m, d) || !dow(y, m, d)) continue;
        for (const h of hours) {
          for (const min of minutes) {
            const at = Date.UTC(y, m - 1, d, h, min);
            if (at >= from.getTime()) return new Date(at);
          }
        }
      }
      return undefined;
    },
  };
}

/**
 * Parses an EventBridge schedule expression: `rate(n minute|minutes|hour|hours|day|days)` (counted from
 * `start`) or `cron(min hour day-of-month month day-of-week year)` in UTC with `*`, `?`, `,`, `-`, `/`,
 * `L`, `W` and `#`.
 * @example parseSchedule('cron(17 * * * ? *)').next(new Date('2025-01-01T00:20:00Z')) // 01:17
 */
export function parseSchedule(expression: string, start = new Date()): Schedule {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = (rate[2] as string).replace(/s$/, '');
    if (n <= 0) throw invalid(expression, 'the rate must be a positive integer');
    if ((n === 1) !== !(rate[2] as string).endsWith('s'))
      throw invalid(expression, 'use "1 minute" or "n minutes"');
    const period = n * (UNIT_MS[unit] as number);
    return {
      expression,
      next(after) {
        const elapsed = after.getTime() - start.getTime();
        const k = elapsed < 0 ? 1 : Math.floor(elapsed / period) + 1;
        return new Date(start.getTime() + k * period);
      },
    };
  }
  const c = /^cron\((.*)\)$/.exec(expression);
  if (c) return cron(expression, c[1] as string);
  throw invalid(expression, 'expected cron(...) or rate(...)');
}
