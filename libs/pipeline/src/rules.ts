import type { FunctionName } from './functions';

/**
 * An EventBridge event pattern. Only the operators the pipeline uses are typed; the local
 * stack's matcher implements the same ones (exact, prefix, suffix, wildcard, anything-but, exists, numeric).
 */
export type PatternValue =
  | string
  | number
  | boolean
  | null
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly wildcard: string }
  | { readonly 'anything-but': string | number | readonly (string | number)[] | { readonly prefix: string } }
  | { readonly exists: boolean }
  | { readonly numeric: readonly (string | number)[] };

export interface EventPattern {
  readonly [field: string]: readonly PatternValue[] | EventPattern;
}

export type S3DetailType = 'Object Created' | 'Object Deleted';

/** The `deletion-type` of an Object Deleted event that the deletion rule matches. */
export const DELETE_MARKER_CREATED = 'Delete Marker Created';

export interface RuleSpec {
  /** Short name, unique in the pipeline (`object-created`). */
  readonly name: string;
  readonly description: string;
  readonly pattern: EventPattern;
  readonly targets: readonly FunctionName[];
}

export interface KeyFilter {
  /** Only keys starting with this prefix (empty: every key). */
  readonly prefix: string;
  /** Only keys ending with one of these suffixes (empty: every key). Case-sensitive, as in EventBridge. */
  readonly suffixes: readonly string[];
}

function keyPattern(filter: KeyFilter): readonly PatternValue[] | undefined {
  const { prefix, suffixes } = filter;
  if (suffixes.length > 0 && prefix) {
    // EventBridge ORs the values of one field; a wildcard ANDs a prefix with a suffix.
    return suffixes.map((suffix) => ({ wildcard: `${escapeWildcard(prefix)}*${escapeWildcard(suffix)}` }));
  }
  if (suffixes.length > 0) return suffixes.map((suffix) => ({ suffix }));
  if (prefix) return [{ prefix }];
  return undefined;
}

function escapeWildcard(text: string): string {
  return text.replace(/[\\*]/g, (c) => `\\${c}`);
}

/**
 * The pattern of an S3 event rule, pinned to the source bucket by name so that writes to the
 * derived bucket can never trigger a function (the recursion guard).
 * @example s3EventPattern('Object Created', 'imgpipe-source', { prefix: '', suffixes: [] })
 */
export function s3EventPattern(
  detailType: S3DetailType,
  sourceBucket: string,
  filter: KeyFilter,
): EventPattern {
  const key = keyPattern(filter);
  return {
    source: ['aws.s3'],
    'detail-type': [detailType],
    detail: {
      bucket: { name: [sourceBucket] },
      ...(key ? { object: { key } } : {}),
      // The source bucket is versioned: a delete hides the image behind a delete marker, while a
      // permanent deletion is usually a lifecycle rule expiring an old version of a live image.
      ...(detailType === 'Object Deleted' ? { 'deletion-type': [DELETE_MARKER_CREATED] } : {}),
    },
  };
}

/** The two S3 rules: created objects go to resize and metadata-sync, deletions too. */
export function s3Rules(sourceBucket: string, filter: KeyFilter): RuleSpec[] {
  return [
    {
      name: 'object-created',
      description: `Object Created in ${sourceBucket}: render variants and sync metadata`,
      pattern: s3EventPattern('Object Created', sourceBucket, filter),
      targets: ['resize', 'metadata-sync'],
    },
    {
      name: 'object-deleted',
      description: `Object Deleted in ${sourceBucket}: remove variants and leave a tombstone`,
      pattern: s3EventPattern('Object Deleted', sourceBucket, filter),
      targets: ['resize', 'metadata-sync'],
    },
  ];
}
