import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareSequencers,
  decodeS3Key,
  encodeS3Key,
  EventBridgeS3EventSchema,
  InvalidEventError,
  objectCreatedEvent,
  objectCreatedRecord,
  objectDeletedEvent,
  parseObjectEvents,
  parseScheduledEvent,
  S3NotificationEventSchema,
  ScheduledEventSchema,
  scheduledEvent,
} from '../src';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', 'events', name), 'utf8')) as Record<
    string,
    unknown
  >;
}

const KEYS = [
  'plain.jpg',
  'my photos/red flower.jpg',
  'a+b.jpg',
  '100% real.png',
  '%2B already-escaped-looking %20.jpg',
  'dir/ünï cødé 🐈.png',
  '猫/写真 (1).webp',
  "it's ~(fine)! *.jpg",
  'deep/nested/path/with spaces+plus/x.gif',
];

describe('encodeS3Key', () => {
  it('encodes as S3 does in events: form encoding with `+` for space and `/` kept', () => {
    // The key of the real AWS fixture, and the classic notification's "HappyFace (1).jpg".
    expect(encodeS3Key('photos/red floweré 1+1.jpg')).toBe('photos/red+flower%C3%A9+1%2B1.jpg');
    expect(encodeS3Key('HappyFace (1).jpg')).toBe('HappyFace+%281%29.jpg');
    expect(encodeS3Key("a!b'c~d*e-f_g.h")).toBe('a%21b%27c%7Ed*e-f_g.h');
  });

  it.each(KEYS)('round-trips %s through decodeS3Key', (key) => {
    expect(decodeS3Key(encodeS3Key(key))).toBe(key);
  });

  it('refuses a key that is not valid Unicode with INVALID_EVENT', () => {
    expect(() => encodeS3Key('lone \ud800 surrogate')).toThrow(InvalidEventError);
  });
});

describe('objectCreatedEvent', () => {
  it('builds the event AWS sends, field for field (the real fixture)', () => {
    const real = fixture('eventbridge-object-created.json');
    const built = objectCreatedEvent({
      id: '17793124-05d4-b198-2fde-7ededc63b103',
      account: '111122223333',
      region: 'ca-central-1',
      time: new Date('2021-11-12T00:00:00.000Z'),
      bucket: 'imgpipe-source',
      key: 'photos/red floweré 1+1.jpg',
      size: 5,
      etag: '"b1946ac92492d2347c6235b4d2611184"',
      versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
      sequencer: '617f08299329d189',
      requestId: 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      sourceIp: '1.2.3.4',
    });
    expect(built).toEqual(real);
  });

  it.each(KEYS)('parses back to the same object for key %s', (key) => {
    const event = objectCreatedEvent({
      bucket: 'imgpipe-source',
      key,
      size: 1234,
      etag: 'b1946ac92492d2347c6235b4d2611184',
      sequencer: '00617F08299329D189',
      versionId: 'v1',
      time: new Date('2026-11-21T10:00:00.123Z'),
    });
    expect(parseObjectEvents(event)).toEqual([
      {
        kind: 'created',
        bucket: 'imgpipe-source',
        key,
        size: 1234,
        etag: 'b1946ac92492d2347c6235b4d2611184',
        versionId: 'v1',
        sequencer: '00617F08299329D189',
        eventTime: '2026-11-21T10:00:00Z',
        source: 'eventbridge',
        reason: 'PutObject',
      },
    ]);
  });

  it('passes the EventBridge S3 schema with its defaults filled in', () => {
    const event = objectCreatedEvent({ bucket: 'b', key: 'k', size: 0, etag: 'e', sequencer: '01' });
    const parsed = EventBridgeS3EventSchema.parse(event);
    expect(parsed.detail).toMatchObject({
      reason: 'PutObject',
      requester: '000000000000',
      'source-ip-address': '127.0.0.1',
    });
    expect(parsed.account).toBe('000000000000');
    expect(parsed.region).toBe('us-east-1');
    expect(parsed.detail['request-id']).toMatch(/^[0-9A-F]{16}$/);
  });
});

describe('objectCreatedRecord', () => {
  it('builds the classic notification record the functions parse back to the same object event', () => {
    const input = {
      bucket: 'imgpipe-source',
      key: 'HappyFace (1).jpg',
      size: 1024,
      etag: '"d41d8cd98f00b204e9800998ecf8427e"',
      sequencer: '0055AED6DCD90281E5',
      versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
      time: new Date('1970-01-01T00:00:00Z'),
    };
    const record = objectCreatedRecord(input);
    const real = (fixture('s3-notification-put.json')['Records'] as Record<string, unknown>[])[0];
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      eventTime: '1970-01-01T00:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: 'imgpipe-source', arn: 'arn:aws:s3:::imgpipe-source' } },
    });
    expect(record.s3.object).toEqual((real?.['s3'] as { object: unknown }).object);
    expect(S3NotificationEventSchema.parse({ Records: [record] }).Records).toHaveLength(1);
    expect(parseObjectEvents({ Records: [record] })).toEqual([
      {
        kind: 'created',
        bucket: 'imgpipe-source',
        key: 'HappyFace (1).jpg',
        size: 1024,
        etag: 'd41d8cd98f00b204e9800998ecf8427e',
        versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
        sequencer: '0055AED6DCD90281E5',
        eventTime: '1970-01-01T00:00:00.000Z',
        source: 's3-notification',
      },
    ]);
  });

  it.each([
    ['POST Object', 'ObjectCreated:Post'],
    ['CopyObject', 'ObjectCreated:Copy'],
    ['CompleteMultipartUpload', 'ObjectCreated:CompleteMultipartUpload'],
  ] as const)('names a %s record %s', (reason, eventName) => {
    const record = objectCreatedRecord({
      bucket: 'b',
      key: 'k',
      size: 0,
      etag: 'e',
      sequencer: '01',
      reason,
    });
    expect(record.eventName).toBe(eventName);
  });
});

describe('objectDeletedEvent', () => {
  it('builds the event AWS sends for a delete marker, field for field (the real fixture)', () => {
    const real = fixture('eventbridge-object-deleted.json');
    const built = objectDeletedEvent({
      id: '2ee9cc15-d022-99ea-1fb8-1b1bac4850f9',
      account: '111122223333',
      region: 'ca-central-1',
      time: new Date('2021-11-12T00:00:00Z'),
      bucket: 'imgpipe-source',
      key: 'photos/red floweré 1+1.jpg',
      etag: 'd41d8cd98f00b204e9800998ecf8427e',
      versionId: '1QW9g1Z99LUNbvaaYVpW9xDlOLU.qxgF',
      sequencer: '617f0837b476e463',
      requestId: '0BH729840619AG5K',
      requester: '123456789012',
      sourceIp: '1.2.3.4',
      deletionType: 'Delete Marker Created',
    });
    expect(built).toEqual(real);
  });

  it('defaults to a permanent DeleteObject, as on an unversioned bucket', () => {
    const event = objectDeletedEvent({ bucket: 'imgpipe-source', key: 'a b.jpg', sequencer: '02' });
    expect(event['detail-type']).toBe('Object Deleted');
    expect(event.detail).toMatchObject({ reason: 'DeleteObject', 'deletion-type': 'Permanently Deleted' });
    expect(event.detail.object).toEqual({ key: 'a+b.jpg', sequencer: '02' });
  });

  it.each(KEYS)('parses back to the same deletion for key %s', (key) => {
    const event = objectDeletedEvent({
      bucket: 'imgpipe-source',
      key,
      sequencer: '00617F08299329D18A',
      reason: 'Lifecycle Expiration',
      time: new Date('2026-11-21T10:00:01Z'),
    });
    const [parsed] = parseObjectEvents(event);
    expect(parsed).toMatchObject({
      kind: 'deleted',
      bucket: 'imgpipe-source',
      key,
      sequencer: '00617F08299329D18A',
      eventTime: '2026-11-21T10:00:01Z',
      source: 'eventbridge',
    });
    expect(parsed?.size).toBeUndefined();
    expect(parsed?.etag).toBeUndefined();
  });

  it('orders after the create it follows, by core sequencer order', () => {
    const created = objectCreatedEvent({ bucket: 'b', key: 'k', size: 1, etag: 'e', sequencer: '0A0' });
    const deleted = objectDeletedEvent({ bucket: 'b', key: 'k', sequencer: '0A01' });
    const [c] = parseObjectEvents(created);
    const [d] = parseObjectEvents(deleted);
    expect(compareSequencers(d!.sequencer, c!.sequencer)).toBeGreaterThan(0);
  });
});

describe('scheduledEvent', () => {
  it('builds the Scheduled Event a rule sends, field for field (the real fixture)', () => {
    const real = fixture('scheduled-event.json');
    const built = scheduledEvent({
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      account: '123456789012',
      region: 'us-east-1',
      time: new Date('2015-10-08T16:53:06Z'),
      rule: 'imgpipe-reconcile',
    });
    expect(built).toEqual(real);
    expect(parseScheduledEvent(built)).toEqual(real);
  });

  it('names no resource when no rule sent it (a direct "reconcile now")', () => {
    const event = scheduledEvent({ region: 'eu-west-1' });
    expect(ScheduledEventSchema.parse(event).resources).toEqual([]);
    expect(event.region).toBe('eu-west-1');
  });
});
