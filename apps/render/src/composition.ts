import { composeFunction, once } from '@imgpipe/lambda-kit';
import { extractMetadata, renderVariants } from '@imgpipe/image';

/** Config, clients, logger and metrics of render: built on the first request (the cold start), then reused. */
export const runtime = once(() =>
  composeFunction('render', process.env, { renderVariants, extractMetadata }),
);
