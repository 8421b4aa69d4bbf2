import { composeFunction, once } from '@imgpipe/lambda-kit';
import { extractMetadata, renderVariants } from '@imgpipe/image';

/** Config, clients, logger and metrics of resize: built on the first invocation (the cold start), then reused. */
export const runtime = once(() =>
  composeFunction('resize', process.env, { renderVariants, extractMetadata }),
);
