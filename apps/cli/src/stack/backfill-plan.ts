import { randomUUID } from 'node:crypto';
import { type ImageRow, RECONCILE_BASE_SEQUENCER, sequencerAfter, type StoredObject } from '@imgpipe/core';

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

/** Encodes a key as S3 does in event notifications (form encoding: a space is `+`). */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
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
): Record<string, unknown> {
  const now = options.now ?? new Date();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '000000000000',
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: options.region,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: {
        key: encodeEventKey(object.key),
        size: object.size,
        etag: object.etag,
        sequencer: backfillSequencer(row),
      },
      'request-id': randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
      requester: 'imgpipe-backfill',
      'source-ip-address': '127.0.0.1',
      reason: 'PutObject',
    },
  };
}
