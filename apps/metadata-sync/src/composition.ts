import { composeFunction, once } from '@imgpipe/lambda-kit';
import { extractMetadata, renderVariants } from '@imgpipe/image';

/** Config, clients, logger and metrics of metadata-sync: built on the first invocation (the cold start), then reused. */
export const runtime = once(() =>
  composeFunction('metadata-sync', process.env, { renderVariants, extractMetadata }),
);
