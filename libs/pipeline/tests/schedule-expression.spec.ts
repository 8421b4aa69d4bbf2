import { DEFAULT_RECONCILE_SCHEDULE, isScheduleExpression, parseSchedule } from '../src';

const at = (iso: string) => new Date(iso);
const next = (expr: string, after: string) => parseSchedule(expr).next(at(after))?.toISOString();

describe('parseSchedule', () => {
  it('fires the default reconcile schedule hourly at minute 17 (UTC)', () => {
    expect(next(DEFAULT_RECONCILE_SCHEDULE, '2025-03-01T10:20:00Z')).toBe('2025-03-01T11:17:00.000Z');
    expect(next(DEFAULT_RECONCILE_SCHEDULE, '2025-03-01T10:16:59Z')).toBe('2025-03-01T10:17:00.000Z');
    expect(next(DEFAULT_RECONCILE_SCHEDULE, '2025-03-01T10:17:00Z')).toBe('2025-03-01T11:17:00.000Z');
  });

  it('handles lists, ranges, steps and month/day names', () => {
    expect(next('cron(0/15 8-9 * * ? *)', '2025-03-01T09:50:00Z')).toBe('2025-03-02T08:00:00.000Z');
    expect(next('cron(0 12 ? * MON-FRI *)', '2025-03-01T00:00:00Z')).toBe('2025-03-03T12:00:00.000Z'); // Sat → Mon
    expect(next('cron(0 0 1 JAN,JUL ? *)', '2025-03-01T00:00:00Z')).toBe('2025-07-01T00:00:00.000Z');
    expect(next('cron(5,35 * * * ? 2025)', '2025-12-31T23:40:00Z')).toBeUndefined();
  });

  it('handles L, W and # in the day fields', () => {
    expect(next('cron(0 0 L * ? *)', '2024-02-10T00:00:00Z')).toBe('2024-02-29T00:00:00.000Z');
    expect(next('cron(0 0 ? * 6L *)', '2025-03-01T00:00:00Z')).toBe('2025-03-28T00:00:00.000Z'); // last Friday
    expect(next('cron(0 0 ? * 3#2 *)', '2025-03-01T00:00:00Z')).toBe('2025-03-11T00:00:00.000Z'); // 2nd Tuesday
    expect(next('cron(0 0 15W * ? *)', '2025-03-01T00:00:00Z')).toBe('2025-03-14T00:00:00.000Z'); // 15th is a Saturday
  });

  it('counts rate schedules from their start', () => {
    const start = at('2025-03-01T10:00:30Z');
    expect(parseSchedule('rate(1 minute)', start).next(at('2025-03-01T10:00:31Z'))?.toISOString()).toBe(
      '2025-03-01T10:01:30.000Z',
    );
    expect(parseSchedule('rate(2 hours)', start).next(at('2025-03-01T13:00:00Z'))?.toISOString()).toBe(
      '2025-03-01T14:00:30.000Z',
    );
    expect(parseSchedule('rate(1 day)', start).next(start)?.toISOString()).toBe('2025-03-02T10:00:30.000Z');
  });

  it('rejects malformed expressions with a message naming the problem', () => {
    expect(() => parseSchedule('cron(0 12 * * * *)')).toThrow(/exactly one of day-of-month and day-of-week/);
    expect(() => parseSchedule('cron(61 * * * ? *)')).toThrow(/"61" is not in 0-59/);
    expect(() => parseSchedule('rate(5 minute)')).toThrow(/1 minute/);
    expect(() => parseSchedule('every 5 minutes')).toThrow(
      expect.objectContaining({ code: 'INVALID_SCHEDULE' }),
    );
  });

  it('is the one grammar: the definition refuses what the scheduler cannot evaluate', () => {
    expect(isScheduleExpression('cron(17 * * * ? *)')).toBe(true);
    expect(isScheduleExpression('rate(1 day)')).toBe(true);
    // Six fields, so the old shape check passed it; EventBridge refuses it (both day fields given).
    expect(isScheduleExpression('cron(0 12 * * * *)')).toBe(false);
    expect(isScheduleExpression('rate(0 minutes)')).toBe(false);
  });
});
