import type { EventPattern, PatternValue } from '@imgpipe/pipeline';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const MISSING = Symbol('missing');
type Field = Json | typeof MISSING;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Matches text against an EventBridge wildcard: `*` is any run of characters, `\*` and `\\` are literal. */
export function matchesWildcard(pattern: string, text: string): boolean {
  let source = '^';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] as string;
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      source += `\\${pattern[i + 1] as string}`;
      i += 1;
    } else if (c === '*') {
      source += '[\\s\\S]*';
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(`${source}$`).test(text);
}

function matchesNumeric(conditions: readonly (string | number)[], value: number): boolean {
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const op = conditions[i];
    const bound = Number(conditions[i + 1]);
    const ok =
      op === '<'
        ? value < bound
        : op === '<='
          ? value <= bound
          : op === '>'
            ? value > bound
            : op === '>='
              ? value >= bound
              : op === '='
                ? value === bound
                : false;
    if (!ok) return false;
  }
  return conditions.length >= 2;
}

function matchesScalar(matcher: PatternValue, value: Json): boolean {
  if (matcher === null || typeof matcher !== 'object') return value === matcher;
  if ('prefix' in matcher) return typeof value === 'string' && value.startsWith(matcher.prefix);
  if ('suffix' in matcher) return typeof value === 'string' && value.endsWith(matcher.suffix);
  if ('wildcard' in matcher) return typeof value === 'string' && matchesWildcard(matcher.wildcard, value);
  if ('numeric' in matcher) return typeof value === 'number' && matchesNumeric(matcher.numeric, value);
  if ('anything-but' in matcher) {
    const but = matcher['anything-but'];
    if (isObject(but) && 'prefix' in but)
      return typeof value === 'string' && !value.startsWith(String(but['prefix']));
    const excluded: readonly (string | number)[] = Array.isArray(but) ? but : [but as string | number];
    return (typeof value === 'string' || typeof value === 'number') && !excluded.includes(value);
  }
  return false;
}

function matchesValues(matchers: readonly PatternValue[], field: Field): boolean {
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) {
      const present = field !== MISSING && !isObject(field);
      return matcher.exists ? present : field === MISSING;
    }
    if (field === MISSING) return false;
    // An array in the event matches when any of its elements does.
    const values: Json[] = Array.isArray(field) ? field : [field];
    return values.some((value) => matchesScalar(matcher, value));
  });
}

/**
 * Whether an event matches an EventBridge pattern, for the operators the pipeline uses:
 * exact values, `prefix`, `suffix`, `wildcard`, `anything-but`, `exists` and `numeric`.
 * Values of one field are ORed; fields are ANDed; nested objects recurse.
 * @example matchesPattern({ source: ['aws.s3'] }, { source: 'aws.s3' }) // true
 */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isObject(event)) return false;
  return Object.entries(pattern).every(([field, expected]) => {
    const actual: Field = field in event ? (event[field] as Json) : MISSING;
    if (Array.isArray(expected)) return matchesValues(expected as readonly PatternValue[], actual);
    return actual !== MISSING && matchesPattern(expected as EventPattern, actual);
  });
}
