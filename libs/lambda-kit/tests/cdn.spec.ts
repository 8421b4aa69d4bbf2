import { CloudFrontCdnCache } from '@imgpipe/aws';
import { definePipeline, ENV, functionEnvironment } from '@imgpipe/pipeline';
import { cdnFromEnv, composeFunction } from '../src';

describe('composeFunction with cdnFromEnv', () => {
  const images = {
    renderVariants: () => Promise.reject(new Error('unused')),
    extractMetadata: () => Promise.reject(new Error('unused')),
  };
  const env = { ...functionEnvironment(definePipeline(), 'resize'), AWS_REGION: 'eu-west-1' };

  it('gives resize the CDN when the deployer names a distribution, and nothing otherwise', () => {
    const withCdn = { ...env, [ENV.cdnDistributionId]: 'E2EXAMPLE' };
    const cdn = cdnFromEnv('resize', withCdn);
    expect(cdn).toBeInstanceOf(CloudFrontCdnCache);
    expect(composeFunction('resize', withCdn, images, { cdn }).deps.cdn).toBe(cdn);
    expect(cdnFromEnv('resize', env)).toBeUndefined();
    const local = composeFunction('resize', env, images, { cdn: cdnFromEnv('resize', env) });
    expect(local.deps.cdn).toBeUndefined();
  });
});
