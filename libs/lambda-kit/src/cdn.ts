import { CloudFrontCdnCache } from '@imgpipe/aws';
import type { CdnCache } from '@imgpipe/core';
import { ENV } from '@imgpipe/pipeline';

/**
 * The CDN a function invalidates, from its environment (`IMGPIPE_CDN_DISTRIBUTION_ID`, set by infra on
 * resize), or undefined where none is deployed (the local stack). The adapter loads the CloudFront SDK
 * on the first invalidation (a deletion), so no cold start pays for it.
 * @example composeFunction('resize', process.env, images, { cdn: cdnFromEnv('resize', process.env) })
 */
export function cdnFromEnv(
  fn: string,
  env: Readonly<Record<string, string | undefined>>,
): CdnCache | undefined {
  const distributionId = env[ENV.cdnDistributionId];
  if (!distributionId) return undefined;
  return new CloudFrontCdnCache(distributionId, { customUserAgent: `imgpipe-fn/${fn}` });
}
