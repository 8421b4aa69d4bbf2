import { resizeObject, syncMetadata, type ImageProcessor } from '@imgpipe/core';
import { lambdaContext } from '@imgpipe/local-aws/testing';
import type { AnyFunctionName } from '@imgpipe/pipeline';
import { composeFunction } from '../compose';
import { objectEventHandler } from '../object-handler';

/**
 * Runs the pipeline's two writers in this process on one S3 event, as EventBridge delivers it to both
 * (resize, then metadata-sync), each composed from its own function environment: after it a new
 * object's row is `ready`, so a test of a reader (the api, render) starts from a processed image.
 * @example await runObjectWriters(servers.created(key, v), servers.env, { renderVariants, extractMetadata });
 */
export async function runObjectWriters(
  event: unknown,
  env: (fn: AnyFunctionName) => Readonly<Record<string, string>>,
  images: ImageProcessor,
): Promise<void> {
  await objectEventHandler(resizeObject, () => composeFunction('resize', env('resize'), images))(
    event,
    lambdaContext(),
  );
  await objectEventHandler(syncMetadata, () =>
    composeFunction('metadata-sync', env('metadata-sync'), images),
  )(event, lambdaContext());
}
