import {
  type EventBridgeS3Event,
  type ImageRow,
  objectCreatedEvent,
  RECONCILE_BASE_SEQUENCER,
  sequencerAfter,
  type StoredObject,
} from '@imgpipe/core';

/**
 * The sequencer a backfill event carries, by the rule reconcile uses for its repairs (libs/core):
 * an object without a row gets the all-zero sequencer, which every real event beats; an object with
 * a row gets `sequencerAfter(row.sequencer)`, so the re-render applies, yet any real newer event still
 * wins, and one that already landed makes the backfill stale. Unlike reconcile, an unchanged row also
 * moves on: backfill re-renders everything on purpose.
 */
export function backfillSequencer(row: Pick<ImageRow, 'sequencer'> | undefined): string {
  return row ? sequencerAfter(row.sequencer) : RECONCILE_BASE_SEQUENCER;
}

/**
 * The EventBridge `Object Created` event a backfill sends for one source object: the shape S3
 * delivers (so the functions parse it like any other), with the object's current ETag, which the
 * functions read with If-Match, so a replaced object makes the event stale instead of wrong.
 */
export function backfillEvent(
  bucket: string,
  object: StoredObject,
  row: ImageRow | undefined,
  options: { region: string; now?: Date },
): EventBridgeS3Event {
  return objectCreatedEvent({
    bucket,
    key: object.key,
    size: object.size,
    etag: object.etag,
    sequencer: backfillSequencer(row),
    region: options.region,
    ...(options.now ? { time: options.now } : {}),
    requester: 'imgpipe-backfill',
  });
}
