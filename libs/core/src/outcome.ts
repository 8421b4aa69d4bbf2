import type { FailureRecord } from './errors';

/** What a use case did with one event; handlers log it and turn it into metrics. */
export type Outcome =
  | {
      readonly action: 'ignored';
      readonly reason: 'derived-bucket' | 'foreign-bucket' | 'key-filter' | 'object-still-present';
    }
  | { readonly action: 'stale' | 'duplicate'; readonly reason: string }
  | {
      readonly action: 'applied';
      readonly ready: boolean;
      readonly bytesIn: number;
      readonly bytesOut: number;
    }
  | { readonly action: 'failed'; readonly error: FailureRecord; readonly recorded: boolean }
  | {
      readonly action: 'deleted';
      readonly tombstone: 'applied' | 'duplicate';
      readonly variantsRemoved: number;
    };
