import { cdnFromEnv, composeFunction, once } from '@imgpipe/lambda-kit';
import { extractMetadata, renderVariants } from '@imgpipe/image';

/**
 * Config, clients, logger and metrics of resize: built on the first invocation (the cold start), then
 * reused. On AWS it also invalidates a deleted image's variants on the CDN.
 */
export const runtime = once(() =>
  composeFunction(
    'resize',
    process.env,
    { renderVariants, extractMetadata },
    { cdn: cdnFromEnv('resize', process.env) },
  ),
);
