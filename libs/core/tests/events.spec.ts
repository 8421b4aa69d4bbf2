import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeS3Key,
  encodeS3Key,
  InvalidEventError,
  isDeleteMarker,
  parseObjectEvents,
  parseScheduledEvent,
} from '../src';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', 'events', name), 'utf8'));
}

describe('parseObjectEvents', () => {
  it('normalises an EventBridge Object Created event and decodes its form-encoded key', () => {
    const [event] = parseObjectEvents(fixture('eventbridge-object-created.json'));
    expect(event).toEqual({
      kind: 'created',
      bucket: 'imgpipe-source',
      key: 'photos/red floweré 1+1.jpg',
      size: 5,
      etag: 'b1946ac92492d2347c6235b4d2611184',
      versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
      sequencer: '617f08299329d189',
      eventTime: '2021-11-12T00:00:00Z',
      source: 'eventbridge',
      reason: 'PutObject',
    });
  });

  it('normalises an EventBridge Object Deleted event without size', () => {
    const [event] = parseObjectEvents(fixture('eventbridge-object-deleted.json'));
    expect(event?.kind).toBe('deleted');
    expect(event?.size).toBeUndefined();
    expect(event?.sequencer).toBe('617f0837b476e463');
  });

  it.each([
    ['eventbridge-object-deleted.json', 'Delete Marker Created', 'DeleteObject', true],
    ['eventbridge-object-deleted-version.json', 'Permanently Deleted', 'DeleteObject', false],
    ['eventbridge-object-deleted-lifecycle.json', 'Permanently Deleted', 'Lifecycle Expiration', false],
  ])(
    'keeps deletion-type and reason of %s (a delete marker proves the object gone: %s)',
    (file, type, reason, marker) => {
      const [event] = parseObjectEvents(fixture(file));
      expect(event).toMatchObject({ kind: 'deleted', deletionType: type, reason });
      expect(isDeleteMarker(event!)).toBe(marker);
    },
  );

  it('keeps the reason of a created object and gives it no deletion-type', () => {
    const [event] = parseObjectEvents(fixture('eventbridge-object-created.json'));
    expect(event?.reason).toBe('PutObject');
    expect(event?.deletionType).toBeUndefined();
  });

  it('rejects a deletion-type S3 does not send with INVALID_EVENT', () => {
    const event = fixture('eventbridge-object-deleted.json') as { detail: Record<string, unknown> };
    event.detail['deletion-type'] = 'Gone';
    expect(() => parseObjectEvents(event)).toThrow(InvalidEventError);
  });

  it('maps the classic notification names to deletion types', () => {
    const base = fixture('s3-notification-put.json') as { Records: { eventName: string }[] };
    const records = [
      'ObjectRemoved:DeleteMarkerCreated',
      'ObjectRemoved:Delete',
      'LifecycleExpiration:Delete',
    ].map((eventName) => ({ ...base.Records[1]!, eventName }));
    expect(parseObjectEvents({ Records: records }).map((e) => [e.kind, e.deletionType])).toEqual([
      ['deleted', 'Delete Marker Created'],
      ['deleted', 'Permanently Deleted'],
      ['deleted', 'Permanently Deleted'],
    ]);
  });

  it('normalises every record of a classic S3 notification batch', () => {
    const events = parseObjectEvents(fixture('s3-notification-put.json'));
    expect(events.map((e) => [e.kind, e.key, e.sequencer, e.source])).toEqual([
      ['created', 'HappyFace (1).jpg', '0055AED6DCD90281E5', 's3-notification'],
      ['deleted', 'HappyFace (1).jpg', '0055AED6DCD90281E6', 's3-notification'],
    ]);
  });

  it('unwraps S3 notifications delivered through SQS', () => {
    const events = parseObjectEvents(fixture('sqs-s3-notification.json'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'created', key: 'HappyFace (1).jpg', size: 1024, source: 'sqs' });
  });

  it('rejects an unknown shape with INVALID_EVENT saying what was expected', () => {
    expect.assertions(3);
    try {
      parseObjectEvents({ hello: 'world' });
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidEventError);
      expect((err as InvalidEventError).code).toBe('INVALID_EVENT');
      expect((err as Error).message).toMatch(/Expected an EventBridge S3 event/);
    }
  });

  it('rejects an EventBridge S3 event of another detail-type', () => {
    const event = {
      ...(fixture('eventbridge-object-created.json') as object),
      'detail-type': 'Object Restore Completed',
    };
    expect(() => parseObjectEvents(event)).toThrow(
      /Expected detail-type "Object Created" or "Object Deleted"/,
    );
  });

  it('rejects an event without a sequencer', () => {
    const base = fixture('eventbridge-object-created.json') as {
      detail: { object: Record<string, unknown> };
    };
    const { sequencer: _drop, ...object } = base.detail.object;
    expect(() => parseObjectEvents({ ...base, detail: { ...base.detail, object } })).toThrow(
      InvalidEventError,
    );
  });

  it('rejects a malformed percent escape in the key', () => {
    const base = fixture('eventbridge-object-created.json') as {
      detail: { object: Record<string, unknown> };
    };
    const event = {
      ...base,
      detail: { ...base.detail, object: { ...base.detail.object, key: 'bad%E0%A4%A.jpg' } },
    };
    expect(() => parseObjectEvents(event)).toThrow(/malformed escape/);
  });

  it('rejects non-objects', () => {
    expect(() => parseObjectEvents('nope')).toThrow(InvalidEventError);
    expect(() => parseObjectEvents([])).toThrow(/an array/);
  });
});

describe('decodeS3Key', () => {
  it.each([
    ['red+flower.jpg', 'red flower.jpg'],
    ['a%2Bb.jpg', 'a+b.jpg'],
    ['100%25.png', '100%.png'],
    ['%E7%8C%AB/%F0%9F%90%88.webp', '猫/🐈.webp'],
  ])('decodes %s as %s', (encoded, decoded) => {
    expect(decodeS3Key(encoded)).toBe(decoded);
  });

  it('round-trips keys with spaces, plus, percent and unicode through encodeS3Key', () => {
    for (const key of ['red flower.jpg', 'a+b %20.jpg', 'dir/ünï cødé 🐈.png', 'x%y+z']) {
      expect(decodeS3Key(encodeS3Key(key))).toBe(key);
    }
  });
});

describe('parseScheduledEvent', () => {
  it('accepts the EventBridge Scheduled Event', () => {
    expect(parseScheduledEvent(fixture('scheduled-event.json'))['detail-type']).toBe('Scheduled Event');
  });

  it('rejects an S3 event', () => {
    expect(() => parseScheduledEvent(fixture('eventbridge-object-created.json'))).toThrow(InvalidEventError);
  });
});
