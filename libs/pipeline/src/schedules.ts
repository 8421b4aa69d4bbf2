import { ScheduleExpressionError } from './errors';
import type { FunctionName } from './functions';
import { parseSchedule } from './schedule-expression';

export interface ScheduleSpec {
  readonly name: string;
  readonly description: string;
  /** An EventBridge schedule expression: `cron(min hour dom month dow year)` or `rate(n unit)`. */
  readonly expression: string;
  readonly target: FunctionName;
}

/** Reconcile runs hourly at minute 17 (off the top of the hour, where everyone else's cron jobs are). */
export const DEFAULT_RECONCILE_SCHEDULE = 'cron(17 * * * ? *)';

/**
 * Whether EventBridge accepts a schedule expression (the full grammar of schedule-expression.ts).
 * @example isScheduleExpression('rate(5 minutes)') // true
 */
export function isScheduleExpression(expression: string): boolean {
  return scheduleProblem(expression) === undefined;
}

/** Why a schedule expression is refused, or undefined when it is fine. */
export function scheduleProblem(expression: string): string | undefined {
  try {
    parseSchedule(expression);
    return undefined;
  } catch (error) {
    if (error instanceof ScheduleExpressionError) return error.message;
    throw error;
  }
}
