import { composeFunction, once } from '@imgpipe/lambda-kit';
import { extractMetadata, renderVariants } from '@imgpipe/image';

/** Config, clients, logger and metrics of reconcile: built on the first invocation (the cold start), then reused. */
export const runtime = once(() =>
  composeFunction('reconcile', process.env, { renderVariants, extractMetadata }),
);
