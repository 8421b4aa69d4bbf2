import { definePipeline } from '@imgpipe/pipeline';
import { matchesPattern, matchesWildcard } from '../../src/events/pattern';
import { s3Event } from '../../src/events/s3-event';

const event = {
  source: 'aws.s3',
  'detail-type': 'Object Created',
  detail: {
    bucket: { name: 'imgpipe-source' },
    object: { key: 'photos/cat.jpg', size: 1200, tags: ['a', 'b'] },
    empty: null,
  },
};

describe('matchesPattern', () => {
  it('matches exact values, ORing the values of one field and ANDing fields', () => {
    expect(
      matchesPattern({ source: ['aws.s3'], 'detail-type': ['Object Deleted', 'Object Created'] }, event),
    ).toBe(true);
    expect(matchesPattern({ source: ['aws.s3'], 'detail-type': ['Object Deleted'] }, event)).toBe(false);
  });

  it('recurses into nested objects and fails when the event lacks the object', () => {
    expect(matchesPattern({ detail: { bucket: { name: ['imgpipe-source'] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { bucket: { name: ['imgpipe-derived'] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { missing: { name: ['x'] } } }, event)).toBe(false);
  });

  it('matches prefix and suffix on strings only', () => {
    expect(matchesPattern({ detail: { object: { key: [{ prefix: 'photos/' }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { object: { key: [{ prefix: 'videos/' }] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { object: { key: [{ suffix: '.jpg' }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { object: { key: [{ suffix: '.JPG' }] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { object: { size: [{ prefix: '12' }] } } }, event)).toBe(false);
  });

  it('matches wildcards with escaped stars and backslashes', () => {
    expect(matchesWildcard('photos/*.jpg', 'photos/a/b.jpg')).toBe(true);
    expect(matchesWildcard('photos/*.jpg', 'photos/a.png')).toBe(false);
    expect(matchesWildcard('a\\*b', 'a*b')).toBe(true);
    expect(matchesWildcard('a\\*b', 'axxb')).toBe(false);
    expect(matchesWildcard('a.b', 'axb')).toBe(false);
    expect(matchesPattern({ detail: { object: { key: [{ wildcard: 'photos/*' }] } } }, event)).toBe(true);
  });

  it('matches anything-but for a value, a list and a prefix, but never a missing field', () => {
    expect(matchesPattern({ source: [{ 'anything-but': 'aws.ec2' }] }, event)).toBe(true);
    expect(matchesPattern({ source: [{ 'anything-but': ['aws.ec2', 'aws.s3'] }] }, event)).toBe(false);
    expect(
      matchesPattern({ detail: { object: { key: [{ 'anything-but': { prefix: 'photos/' } }] } } }, event),
    ).toBe(false);
    expect(matchesPattern({ detail: { object: { size: [{ 'anything-but': 5 }] } } }, event)).toBe(true);
    expect(matchesPattern({ nothing: [{ 'anything-but': 'x' }] }, event)).toBe(false);
  });

  it('matches exists true and false on leaf fields', () => {
    expect(matchesPattern({ detail: { object: { size: [{ exists: true }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { object: { etag: [{ exists: true }] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { object: { etag: [{ exists: false }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { object: { size: [{ exists: false }] } } }, event)).toBe(false);
  });

  it('matches numeric ranges on numbers only', () => {
    expect(
      matchesPattern({ detail: { object: { size: [{ numeric: ['>', 1000, '<=', 1200] }] } } }, event),
    ).toBe(true);
    expect(matchesPattern({ detail: { object: { size: [{ numeric: ['<', 1000] }] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { object: { size: [{ numeric: ['=', 1200] }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { object: { key: [{ numeric: ['>', 0] }] } } }, event)).toBe(false);
  });

  it('matches an array in the event when any element matches, and null exactly', () => {
    expect(matchesPattern({ detail: { object: { tags: ['b'] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { object: { tags: ['c'] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { empty: [null] } }, event)).toBe(true);
  });

  it('routes source-bucket events by the definition rules and ignores the derived bucket (recursion guard)', () => {
    const pipeline = definePipeline({ keyFilter: { prefix: 'in/', suffixes: ['.jpg', '.png'] } });
    const [created, deleted] = pipeline.rules;
    const make = (bucket: string, key: string, reason: 'PutObject' | 'DeleteObject') =>
      s3Event({ bucket, key, reason, sequencer: '01', size: 1, etag: 'e' });
    expect(matchesPattern(created!.pattern, make('imgpipe-source', 'in/cat.jpg', 'PutObject'))).toBe(true);
    expect(matchesPattern(created!.pattern, make('imgpipe-source', 'in/cat.gif', 'PutObject'))).toBe(false);
    expect(matchesPattern(created!.pattern, make('imgpipe-source', 'out/cat.jpg', 'PutObject'))).toBe(false);
    expect(matchesPattern(created!.pattern, make('imgpipe-derived', 'in/cat.jpg', 'PutObject'))).toBe(false);
    expect(matchesPattern(deleted!.pattern, make('imgpipe-source', 'in/cat.png', 'DeleteObject'))).toBe(true);
    expect(matchesPattern(created!.pattern, make('imgpipe-source', 'in/cat.png', 'DeleteObject'))).toBe(
      false,
    );
  });
});
