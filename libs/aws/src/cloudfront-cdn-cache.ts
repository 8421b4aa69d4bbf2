import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { CdnCache } from '@imgpipe/core';
import { createHash } from 'node:crypto';
import { isAwsError } from './errors';

/**
 * CloudFront's invalidation limits: at most 15 wildcard paths (`.../*`) in progress per distribution
 * and 3,000 paths per batch; a batch stays under both.
 */
export const INVALIDATION_LIMITS = { wildcardPaths: 15, paths: 3000 } as const;

export interface CloudFrontCdnCacheOptions {
  /** A client to use (tests); default: one created on the first invalidation. */
  readonly client?: Pick<CloudFrontClient, 'send'>;
  /** The default client's user agent (`imgpipe-fn/<function>`). */
  readonly customUserAgent?: string;
  /** Attempts when CloudFront has too many invalidations in progress. Default 4. */
  readonly attempts?: number;
  /** First wait between attempts, doubled each time. Default 1000 ms. */
  readonly backoffMs?: number;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Splits paths into batches CloudFront accepts: wildcards by 15, exact paths by 3,000. */
export function invalidationBatches(paths: readonly string[]): string[][] {
  const batches: string[][] = [];
  const wildcards = paths.filter((p) => p.endsWith('*'));
  const exact = paths.filter((p) => !p.endsWith('*'));
  for (let i = 0; i < wildcards.length; i += INVALIDATION_LIMITS.wildcardPaths) {
    batches.push(wildcards.slice(i, i + INVALIDATION_LIMITS.wildcardPaths));
  }
  for (let i = 0; i < exact.length; i += INVALIDATION_LIMITS.paths) {
    batches.push(exact.slice(i, i + INVALIDATION_LIMITS.paths));
  }
  return batches;
}

/**
 * The CDN port on CloudFront. The SDK loads on the first invalidation (a deletion), so no cold start
 * pays for it. Each batch's `CallerReference` is a hash of the deletion's reference and the batch
 * number, so a retried deletion names the same invalidation and CloudFront starts it once.
 * `TooManyInvalidationsInProgress` is waited out a few times with backoff; after that the error is
 * thrown and the function's own retries take over (the core classifies it as retryable).
 * @example new CloudFrontCdnCache('E2EXAMPLE', { customUserAgent: 'imgpipe-fn/resize' }).invalidate(['/a.jpg/*'], 'a.jpg@1')
 */
export class CloudFrontCdnCache implements CdnCache {
  private client: Pick<CloudFrontClient, 'send'> | undefined;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly distributionId: string,
    private readonly options: CloudFrontCdnCacheOptions = {},
  ) {
    this.client = options.client;
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 1000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async invalidate(paths: readonly string[], reference: string): Promise<void> {
    const sdk = await import('@aws-sdk/client-cloudfront');
    const client = (this.client ??= new sdk.CloudFrontClient(
      this.options.customUserAgent ? { customUserAgent: this.options.customUserAgent } : {},
    ));
    const digest = createHash('sha256').update(reference).digest('hex');
    for (const [index, items] of invalidationBatches(paths).entries()) {
      const command = new sdk.CreateInvalidationCommand({
        DistributionId: this.distributionId,
        InvalidationBatch: {
          CallerReference: `${digest}-${index}`,
          Paths: { Quantity: items.length, Items: items },
        },
      });
      for (let attempt = 1; ; attempt += 1) {
        try {
          await client.send(command);
          break;
        } catch (err) {
          if (attempt >= this.attempts || !isAwsError(err, ['TooManyInvalidationsInProgress'])) throw err;
          await this.sleep(this.backoffMs * 2 ** (attempt - 1));
        }
      }
    }
  }
}
