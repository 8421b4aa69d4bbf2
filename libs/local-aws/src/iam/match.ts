import type { PolicyCondition, ResolvedStatement } from '@imgpipe/pipeline';

/** Condition keys and their values for one request (`s3:prefix`, `dynamodb:Select`, ...). */
export type ConditionContext = Readonly<Record<string, readonly string[]>>;

/** One thing IAM authorizes: an action on a resource ARN, with the request's condition keys. */
export interface AuthorizationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: ConditionContext;
}

// Policies are few and fixed per stack; every request of a function matches against the same patterns.
const compiled = new Map<string, RegExp>();

/** IAM's wildcards: `*` any run of characters (also `/` and `:`), `?` any one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = compiled.get(cacheKey);
  if (!re) {
    const source = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    compiled.set(cacheKey, re);
  }
  return re.test(value);
}

function contextValues(context: ConditionContext, key: string): readonly string[] | undefined {
  const wanted = key.toLowerCase();
  const found = Object.entries(context).find(([k]) => k.toLowerCase() === wanted);
  return found?.[1];
}

/** Whether one condition holds, as IAM evaluates it (a negated operator holds when the key is absent). */
export function conditionHolds(condition: PolicyCondition, context: ConditionContext): boolean {
  const actual = contextValues(context, condition.variable);
  const { values } = condition;
  switch (condition.test) {
    case 'StringEquals':
      return actual !== undefined && actual.some((a) => values.includes(a));
    case 'StringNotEquals':
      return actual === undefined || actual.every((a) => !values.includes(a));
    case 'StringLike':
      return actual !== undefined && actual.some((a) => values.some((v) => wildcardMatch(v, a)));
    case 'StringNotLike':
      return actual === undefined || actual.every((a) => values.every((v) => !wildcardMatch(v, a)));
    case 'Bool':
      return (
        actual !== undefined &&
        actual.some((a) => values.map((v) => v.toLowerCase()).includes(a.toLowerCase()))
      );
    case 'Null':
      return values.some((v) => (v.toLowerCase() === 'true' ? actual === undefined : actual !== undefined));
  }
}

/**
 * The first statement that allows the request, or undefined (IAM's implicit deny). Actions match
 * case-insensitively, resources case-sensitively, both with wildcards; every condition must hold.
 * @example allowingStatement(statements, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' })?.sid
 */
export function allowingStatement(
  statements: readonly ResolvedStatement[],
  request: AuthorizationRequest,
): ResolvedStatement | undefined {
  const context = request.context ?? {};
  return statements.find(
    (s) =>
      s.actions.some((a) => wildcardMatch(a, request.action, true)) &&
      s.resources.some((r) => wildcardMatch(r, request.resource)) &&
      s.conditions.every((c) => conditionHolds(c, context)),
  );
}
