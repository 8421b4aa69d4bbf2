import { objectEventHandler } from '@imgpipe/lambda-kit';
import { resizeObject } from '@imgpipe/core';
import { runtime } from './composition';

/**
 * The resize Lambda: EventBridge S3 events (or S3 notifications, or SQS-wrapped ones) in,
 * `resizeObject` for each object event. Permanent failures are recorded and succeed; transient ones throw.
 */
export const handler = objectEventHandler(resizeObject, runtime);
