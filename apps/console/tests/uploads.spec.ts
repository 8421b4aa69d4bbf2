import type { NamedBlob } from '../src/api/image-api';
import { ConsoleError } from '../src/api/errors';
import {
  awaitingPipeline,
  isFresher,
  mergeUploadItems,
  percentSent,
  runUploads,
  type UploadItem,
} from '../src/lib/uploads';

const file = (name: string, size = 3): NamedBlob => Object.assign(new Blob([new Uint8Array(size)]), { name });
const uploaded = (name: string) => ({ key: `u/local-user/${name}`, id: `id-${name}` });

describe('runUploads', () => {
  it('uploads every file and reports each phase with its progress, then the key and id the API gave', async () => {
    const snapshots: (readonly UploadItem[])[] = [];

    const result = await runUploads(
      [file('a.jpg', 10)],
      async (f, progress) => {
        progress({ phase: 'requesting' });
        progress({ phase: 'sending', sent: 4, total: 10 });
        return uploaded(f.name);
      },
      (items) => snapshots.push(items),
    );

    expect(snapshots.map((s) => [s[0]?.state, s[0]?.sent])).toEqual([
      ['queued', undefined],
      ['requesting', undefined],
      ['sending', 4],
      ['uploaded', 10],
    ]);
    expect(result).toEqual([
      {
        id: expect.stringMatching(/^\d+\.0$/),
        name: 'a.jpg',
        bytes: 10,
        state: 'uploaded',
        sent: 10,
        key: 'u/local-user/a.jpg',
        imageId: 'id-a.jpg',
      },
    ]);
  });

  it("keeps going when one file is refused and records the API's code and message", async () => {
    const result = await runUploads(
      [file('notes.txt'), file('good.jpg')],
      async (f) => {
        if (f.name === 'notes.txt') {
          throw new ConsoleError(
            'HTTP_ERROR',
            'Expected a content type among image/jpeg but received "text/plain"',
            {
              status: 400,
              remoteCode: 'UNSUPPORTED_CONTENT_TYPE',
            },
          );
        }
        return uploaded(f.name);
      },
      () => undefined,
    );

    expect(result.map((i) => [i.name, i.state, i.error])).toEqual([
      [
        'notes.txt',
        'failed',
        {
          code: 'UNSUPPORTED_CONTENT_TYPE',
          message: 'Expected a content type among image/jpeg but received "text/plain"',
        },
      ],
      ['good.jpg', 'uploaded', undefined],
    ]);
  });

  it('gives every item of every batch its own id, so a re-upload of a name is a new line', async () => {
    const first = await runUploads(
      [file('a.jpg')],
      async (f) => uploaded(f.name),
      () => undefined,
    );
    const second = await runUploads(
      [file('a.jpg')],
      async (f) => uploaded(f.name),
      () => undefined,
    );
    expect(first[0]?.id).not.toBe(second[0]?.id);
  });

  it('never runs more than the given number of uploads at once', async () => {
    let running = 0;
    let peak = 0;
    const files = Array.from({ length: 7 }, (_, i) => file(`${i}.jpg`));
    await runUploads(
      files,
      async (f) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        return uploaded(f.name);
      },
      () => undefined,
      2,
    );
    expect(peak).toBe(2);
  });

  it('refuses a concurrency that is not a positive integer', async () => {
    await expect(
      runUploads(
        [],
        async (f) => uploaded(f.name),
        () => undefined,
        0,
      ),
    ).rejects.toThrow('Expected a positive integer concurrency but received 0');
  });
});

const item = (id: string, state: UploadItem['state'], extra: Partial<UploadItem> = {}): UploadItem => ({
  id,
  name: `${id}.jpg`,
  bytes: 100,
  state,
  ...extra,
});

describe('mergeUploadItems', () => {
  it('keeps earlier batches while a new one runs, and an item replaces its earlier state', () => {
    const shown = [item('1.0', 'uploaded'), item('1.1', 'sending')];
    expect(mergeUploadItems(shown, [item('1.1', 'uploaded'), item('2.0', 'queued')])).toEqual([
      item('1.0', 'uploaded'),
      item('1.1', 'uploaded'),
      item('2.0', 'queued'),
    ]);
  });

  it('keeps only the latest entries past the limit', () => {
    const merged = mergeUploadItems([item('a', 'uploaded'), item('b', 'uploaded')], [item('c', 'queued')], 2);
    expect(merged.map((i) => i.id)).toEqual(['b', 'c']);
  });
});

describe('awaitingPipeline', () => {
  it('follows uploaded items until their image is ready, failed or deleted', () => {
    const items = [
      item('a', 'uploaded', { imageId: 'A' }),
      item('b', 'uploaded', { imageId: 'B' }),
      item('c', 'uploaded', { imageId: 'C' }),
      item('d', 'sending'),
      item('e', 'failed'),
    ];
    const states = {
      A: { status: 'ready', updatedAt: '2030-01-01T00:00:00.000Z' },
      B: { status: 'pending', updatedAt: null },
    } as const;
    expect(awaitingPipeline(items, states).map((i) => i.id)).toEqual(['b', 'c']);
  });
});

describe('percentSent', () => {
  it('is the share of bytes sent, 100 once uploaded', () => {
    expect(percentSent({ state: 'requesting', bytes: 200 })).toBe(0);
    expect(percentSent({ state: 'sending', bytes: 200, sent: 50 })).toBe(25);
    expect(percentSent({ state: 'sending', bytes: 200, sent: 500 })).toBe(100);
    expect(percentSent({ state: 'uploaded', bytes: 0 })).toBe(100);
  });
});

describe('isFresher', () => {
  const at = (status: 'pending' | 'ready', updatedAt: string | null) => ({ status, updatedAt });

  it('takes a newer answer, and never lets an older one or a row-less pending overwrite a row', () => {
    expect(isFresher(undefined, at('pending', null))).toBe(true);
    expect(isFresher(at('pending', null), at('ready', '2030-01-01T00:00:01.000Z'))).toBe(true);
    expect(
      isFresher(at('ready', '2030-01-01T00:00:01.000Z'), at('pending', '2030-01-01T00:00:00.000Z')),
    ).toBe(false);
    expect(isFresher(at('ready', '2030-01-01T00:00:01.000Z'), at('pending', null))).toBe(false);
    expect(
      isFresher(at('pending', '2030-01-01T00:00:00.000Z'), at('ready', '2030-01-01T00:00:00.000Z')),
    ).toBe(true);
  });
});
