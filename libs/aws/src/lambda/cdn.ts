import type { CdnCache } from '@imgpipe/core';
import { ENV } from '@imgpipe/pipeline';

/**
 * The CDN a function invalidates, from its environment (`IMGPIPE_CDN_DISTRIBUTION_ID`, set by infra on
 * resize), or undefined where none is deployed (the local stack). The CloudFront adapter and its SDK
 * load on the first invalidation (a deletion), so no cold start pays for them.
 * @example composeFunction('resize', process.env, images, { cdn: cdnFromEnv('resize', process.env) })
 */
export function cdnFromEnv(
  fn: string,
  env: Readonly<Record<string, string | undefined>>,
): CdnCache | undefined {
  const distributionId = env[ENV.cdnDistributionId];
  if (!distributionId) return undefined;
  let cache: Promise<CdnCache> | undefined;
  return {
    async invalidate(paths, reference) {
      cache ??= Promise.all([import('@aws-sdk/client-cloudfront'), import('../cloudfront-cdn-cache')]).then(
        ([sdk, adapter]) =>
          new adapter.CloudFrontCdnCache(
            new sdk.CloudFrontClient({ customUserAgent: `imgpipe-fn/${fn}` }),
            distributionId,
          ),
      );
      return (await cache).invalidate(paths, reference);
    },
  };
}
