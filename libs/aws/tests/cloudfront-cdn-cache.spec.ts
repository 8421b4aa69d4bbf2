import { CreateInvalidationCommand, TooManyInvalidationsInProgress } from '@aws-sdk/client-cloudfront';
import {
  CloudFrontCdnCache,
  invalidationBatches,
  type CloudFrontCdnCacheOptions,
} from '../src/cloudfront-cdn-cache';

/** A CloudFront client that records what it is sent and fails the first `busy` calls as CloudFront does. */
function fakeClient(busy = 0) {
  const sent: CreateInvalidationCommand['input'][] = [];
  let calls = 0;
  const client = {
    send: (command: CreateInvalidationCommand) => {
      calls += 1;
      if (calls <= busy) {
        return Promise.reject(
          new TooManyInvalidationsInProgress({ message: 'Processing your request', $metadata: {} }),
        );
      }
      sent.push(command.input);
      return Promise.resolve({ $metadata: {} });
    },
  };
  return { client: client as unknown as NonNullable<CloudFrontCdnCacheOptions['client']>, sent };
}

describe('CloudFrontCdnCache', () => {
  it("invalidates a deleted image's paths on the distribution, named by the deletion", async () => {
    const { client, sent } = fakeClient();
    await new CloudFrontCdnCache('E2EXAMPLE', { client }).invalidate(
      ['/photos/cat.jpg/*'],
      'photos/cat.jpg@0A',
    );
    expect(sent).toEqual([
      {
        DistributionId: 'E2EXAMPLE',
        InvalidationBatch: {
          CallerReference: expect.stringMatching(/^[0-9a-f]{64}-0$/),
          Paths: { Quantity: 1, Items: ['/photos/cat.jpg/*'] },
        },
      },
    ]);
  });

  it('names a retried deletion the same, so CloudFront starts it once', async () => {
    const { client, sent } = fakeClient();
    const cdn = new CloudFrontCdnCache('E2EXAMPLE', { client });
    await cdn.invalidate(['/a.jpg/*'], 'a.jpg@01');
    await cdn.invalidate(['/a.jpg/*'], 'a.jpg@01');
    await cdn.invalidate(['/a.jpg/*'], 'a.jpg@02');
    const refs = sent.map((s) => s.InvalidationBatch?.CallerReference);
    expect(refs[0]).toBe(refs[1]);
    expect(refs[2]).not.toBe(refs[0]);
  });

  it('waits out TooManyInvalidationsInProgress with backoff, then gives up to the function retries', async () => {
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    };
    const { client, sent } = fakeClient(2);
    await new CloudFrontCdnCache('E', { client, sleep, backoffMs: 100 }).invalidate(['/a/*'], 'a@1');
    expect(waits).toEqual([100, 200]);
    expect(sent).toHaveLength(1);

    const busy = fakeClient(10);
    await expect(
      new CloudFrontCdnCache('E', { client: busy.client, sleep, attempts: 3 }).invalidate(['/a/*'], 'a@1'),
    ).rejects.toBeInstanceOf(TooManyInvalidationsInProgress);
    expect(busy.sent).toEqual([]);
  });

  it('keeps every batch under CloudFront limits: 15 wildcards, 3,000 paths', () => {
    const wild = Array.from({ length: 31 }, (_, i) => `/k${i}/*`);
    const exact = Array.from({ length: 3001 }, (_, i) => `/k/${i}.webp`);
    expect(invalidationBatches([...wild, ...exact]).map((b) => b.length)).toEqual([15, 15, 1, 3000, 1]);
    expect(invalidationBatches([])).toEqual([]);
  });
});
