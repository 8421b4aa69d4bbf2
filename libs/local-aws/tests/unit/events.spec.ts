import type { IncomingMessage } from 'node:http';
import { callingFunction, pickFault } from '../../src/edge/faults';
import { decodeS3Key } from '@imgpipe/core';
import { s3Event } from '../../src/events/s3-event';
import { percentile } from '../../src/metrics';

describe('s3Event', () => {
  it('builds an EventBridge "Object Created" event with a form-URL-encoded key', () => {
    const event = s3Event({
      bucket: 'imgpipe-source',
      key: 'my photos/a+b.jpg',
      reason: 'PutObject',
      sequencer: '00AB',
      size: 10,
      etag: '"abc"',
    });
    expect(event).toEqual(
      expect.objectContaining({
        source: 'aws.s3',
        'detail-type': 'Object Created',
        region: 'us-east-1',
        resources: ['arn:aws:s3:::imgpipe-source'],
      }),
    );
    expect(event.detail.object).toEqual({
      key: 'my+photos/a%2Bb.jpg',
      size: 10,
      etag: 'abc',
      sequencer: '00AB',
    });
    expect(event.detail.reason).toBe('PutObject');
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('builds "Object Deleted" with the deletion type and no size; a multi-object delete reports DeleteObject per key', () => {
    const event = s3Event({ bucket: 'b', key: 'k', reason: 'DeleteObjects', sequencer: '01' });
    expect(event['detail-type']).toBe('Object Deleted');
    expect(event.detail.reason).toBe('DeleteObject');
    expect(event.detail['deletion-type']).toBe('Delete Marker Created');
    expect(event.detail.object).toEqual({ key: 'k', sequencer: '01' });
  });

  it('says "Permanently Deleted" with the version id when a version was deleted, and a POST Object upload is a creation', () => {
    const deleted = s3Event({
      bucket: 'b',
      key: 'k',
      reason: 'DeleteObject',
      sequencer: '02',
      versionId: 'v1',
      deletionType: 'Permanently Deleted',
    });
    expect([deleted.detail['deletion-type'], deleted.detail.object]).toEqual([
      'Permanently Deleted',
      { key: 'k', 'version-id': 'v1', sequencer: '02' },
    ]);
    const posted = s3Event({
      bucket: 'b',
      key: 'k',
      reason: 'POST Object',
      sequencer: '03',
      size: 2,
      etag: '"e"',
    });
    expect([posted['detail-type'], posted.detail.object]).toEqual([
      'Object Created',
      { key: 'k', size: 2, etag: 'e', sequencer: '03' },
    ]);
  });

  it('encodes keys so that decoding (+ → space, then percent) gives them back', () => {
    for (const key of ['a b/c+d%e.jpg', 'ünï/😀.png', "x(1)!'*.jpg"]) {
      const event = s3Event({ bucket: 'b', key, reason: 'PutObject', sequencer: '01', size: 1, etag: 'e' });
      expect(decodeS3Key(event.detail.object.key)).toBe(key);
    }
  });
});

describe('pickFault', () => {
  const request = (agent: string) => ({ headers: { 'user-agent': agent } }) as unknown as IncomingMessage;

  it('faults only requests made by the functions', () => {
    expect(callingFunction(request('aws-sdk-js/3 imgpipe-fn/resize'))).toBe('resize');
    expect(pickFault(request('aws-sdk-js/3'), 's3', 1)).toBeUndefined();
    expect(pickFault(request('aws-sdk-js/3 imgpipe-fn/resize'), 's3', 1)).toEqual(
      expect.objectContaining({ status: expect.any(Number) }),
    );
    expect(pickFault(request('aws-sdk-js/3 imgpipe-fn/resize'), 's3', 0)).toBeUndefined();
  });

  it('answers retryable S3 and DynamoDB errors', () => {
    const fn = request('imgpipe-fn/metadata-sync');
    expect(pickFault(fn, 's3', 1, () => 0)).toEqual(
      expect.objectContaining({ status: 503, code: 'SlowDown' }),
    );
    expect(pickFault(fn, 'dynamodb', 1, () => 0)).toEqual(
      expect.objectContaining({ status: 400, code: 'ProvisionedThroughputExceededException' }),
    );
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([50, 95, 99]);
    expect(percentile([], 50)).toBeNull();
  });
});
