import type { FunctionName } from './functions';

export interface ScheduleSpec {
  readonly name: string;
  readonly description: string;
  /** An EventBridge schedule expression: `cron(min hour dom month dow year)` or `rate(n unit)`. */
  readonly expression: string;
  readonly target: FunctionName;
}

/** Reconcile runs hourly at minute 17 (off the top of the hour, where everyone else's cron jobs are). */
export const DEFAULT_RECONCILE_SCHEDULE = 'cron(17 * * * ? *)';

const CRON = /^cron\((\S+ ){5}\S+\)$/;
const RATE = /^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$/;

/**
 * Checks the shape of a schedule expression (the local scheduler evaluates it fully).
 * @example isScheduleExpression('rate(5 minutes)') // true
 */
export function isScheduleExpression(expression: string): boolean {
  return CRON.test(expression) || RATE.test(expression);
}
