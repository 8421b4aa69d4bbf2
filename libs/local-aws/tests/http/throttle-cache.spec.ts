import { EdgeCache, sharedMaxAge } from '../../src/cdn/cache';
import { TokenBucket } from '../../src/http/throttle';

describe('TokenBucket (API Gateway stage throttling)', () => {
  it('lets a burst through, refuses the next request, and refills at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now = 499;
    expect(bucket.take()).toBe(false);
    now = 500;
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now = 10_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });
});

describe('EdgeCache (the local CDN cache)', () => {
  const response = (text: string) => ({ status: 200, headers: {}, body: Buffer.from(text) });

  it('keeps an entry for its lifetime only', () => {
    let now = 0;
    const cache = new EdgeCache(() => now);
    cache.put('/a/thumb.webp?v1', response('one'), 10);
    now = 9_999;
    expect(cache.get('/a/thumb.webp?v1')?.body.toString()).toBe('one');
    now = 10_000;
    expect(cache.get('/a/thumb.webp?v1')).toBeUndefined();
  });

  it('never stores what may not be cached', () => {
    const cache = new EdgeCache();
    cache.put('/a?', response('x'), 0);
    expect(cache.size).toBe(0);
  });

  it('invalidates every version under a path prefix, and nothing else', () => {
    const cache = new EdgeCache();
    cache.put('/a.jpg/thumb.webp?v1', response('1'), 60);
    cache.put('/a.jpg/large.webp?v2', response('2'), 60);
    cache.put('/b.jpg/thumb.webp?v1', response('3'), 60);
    expect(cache.invalidate('/a.jpg/')).toBe(2);
    expect(cache.get('/b.jpg/thumb.webp?v1')?.body.toString()).toBe('3');
    expect(cache.get('/a.jpg/thumb.webp?v1')).toBeUndefined();
  });
});

describe('sharedMaxAge', () => {
  it.each([
    ['public, max-age=3600, s-maxage=31536000', 31_536_000],
    ['public, max-age=10', 10],
    ['no-cache', 0],
    ['private, max-age=60', 0],
    [undefined, 0],
  ])('%s → %d', (value, seconds) => {
    expect(sharedMaxAge(value)).toBe(seconds);
  });
});
