import { objectEventHandler } from '@imgpipe/lambda-kit';
import { syncMetadata } from '@imgpipe/core';
import { runtime } from './composition';

/**
 * The metadata-sync Lambda: EventBridge S3 events (or S3 notifications, or SQS-wrapped ones) in,
 * `syncMetadata` for each object event. Permanent failures are recorded and succeed; transient ones throw.
 */
export const handler = objectEventHandler(syncMetadata, runtime);
