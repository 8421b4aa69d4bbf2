import type { PipelineConfig } from './config';
import type { ObjectEvent } from './events';
import { InvalidEventError, type FailureRecord } from './errors';
import {
  NO_TELEMETRY,
  type ImageProcessor,
  type ImageTable,
  type ObjectStore,
  type Telemetry,
} from './ports';
import type { SourceVersion } from './row';
import type { CdnCache } from './cdn-cache';
import { seqKey } from './sequencer';

/** What the resize and metadata use cases need; built once per cold start by a composition module. */
export interface UseCaseDeps {
  readonly config: PipelineConfig;
  readonly objects: ObjectStore;
  readonly table: ImageTable;
  readonly images: ImageProcessor;
  readonly telemetry?: Telemetry;
  /** The CDN to invalidate when an image is deleted (resize on AWS); absent: nothing is cached. */
  readonly cdn?: CdnCache;
  /** Injected clock (tests); defaults to `new Date()`. */
  readonly now?: () => Date;
}

/** What a use case did with one event; handlers log it and turn it into metrics. */
export type Outcome =
  | { readonly action: 'ignored'; readonly reason: 'derived-bucket' | 'foreign-bucket' | 'key-filter' }
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

/**
 * The recursion guard and key filter: only objects of the source bucket that pass the key filter
 * are worked on. Writes to the derived bucket can never trigger work, even if a rule is misconfigured.
 */
export function guardEvent(event: ObjectEvent, config: PipelineConfig): Outcome | undefined {
  if (event.bucket === config.derivedBucket) return { action: 'ignored', reason: 'derived-bucket' };
  if (event.bucket !== config.sourceBucket) return { action: 'ignored', reason: 'foreign-bucket' };
  if (!event.key.startsWith(config.keyPrefix)) return { action: 'ignored', reason: 'key-filter' };
  if (config.keySuffixes.length > 0 && !config.keySuffixes.some((s) => event.key.endsWith(s))) {
    return { action: 'ignored', reason: 'key-filter' };
  }
  return undefined;
}

/** The source version an event describes. */
export function versionOf(event: ObjectEvent): SourceVersion {
  if (event.kind === 'created' && event.etag === undefined) {
    throw new InvalidEventError(
      `Expected an etag on the Object Created event for "${event.key}" but it has none`,
    );
  }
  return {
    objectKey: event.key,
    bucket: event.bucket,
    sequencer: event.sequencer,
    seqKey: seqKey(event.sequencer),
    ...(event.etag !== undefined ? { etag: event.etag } : {}),
    ...(event.size !== undefined ? { bytes: event.size } : {}),
    ...(event.versionId !== undefined ? { versionId: event.versionId } : {}),
  };
}

export function telemetryOf(deps: UseCaseDeps): Telemetry {
  return deps.telemetry ?? NO_TELEMETRY;
}

export function nowOf(deps: UseCaseDeps): Date {
  return deps.now ? deps.now() : new Date();
}

/** Runs `work` and reports its duration as stage `name`. */
export async function timed<T>(telemetry: Telemetry, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    telemetry.stage(name, performance.now() - started);
  }
}

/** Epoch seconds at which a tombstone written at `now` expires. */
export function tombstoneExpiry(now: Date, ttlDays: number): number {
  return Math.floor(now.getTime() / 1000) + ttlDays * 24 * 60 * 60;
}

/** Object metadata names on every variant (S3 lower-cases user metadata). */
export const VARIANT_METADATA = { sourceEtag: 'source-etag', sourceSequencer: 'source-sequencer' } as const;

/** `Cache-Control` of variants: a variant key is rewritten only when its source is. */
export const VARIANT_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * Removes the variants of `sourceKey` (direct children `{sourceKey}/{file}` of the derived bucket)
 * whose `source-sequencer` metadata satisfies `shouldRemove` (missing metadata counts as removable).
 * Returns how many were removed.
 */
export async function removeVariants(
  objects: ObjectStore,
  derivedBucket: string,
  sourceKey: string,
  shouldRemove: (variantSeqKey: string | undefined, derivedKey: string) => boolean,
): Promise<number> {
  const prefix = `${sourceKey}/`;
  const doomed: string[] = [];
  let token: string | undefined;
  do {
    const page = await objects.list(derivedBucket, {
      prefix,
      delimiter: '/',
      ...(token ? { continuationToken: token } : {}),
    });
    const heads = await Promise.all(page.objects.map((o) => objects.head(derivedBucket, o.key)));
    for (const head of heads) {
      if (!head) continue;
      const raw = head.metadata?.[VARIANT_METADATA.sourceSequencer];
      let key: string | undefined;
      try {
        key = raw ? seqKey(raw) : undefined;
      } catch {
        key = undefined;
      }
      if (shouldRemove(key, head.key)) doomed.push(head.key);
    }
    token = page.nextToken;
  } while (token);
  if (doomed.length > 0) await objects.deleteMany(derivedBucket, doomed);
  return doomed.length;
}
