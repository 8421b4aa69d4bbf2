import { mergeUploadItems, runUploads, type NamedBlob, type UploadItem } from '../src/lib/uploads';

const file = (name: string, size = 3): NamedBlob => Object.assign(new Blob([new Uint8Array(size)]), { name });

describe('runUploads', () => {
  it('uploads every file under the prefix and reports each state change', async () => {
    const uploaded: string[] = [];
    const snapshots: (readonly UploadItem[])[] = [];

    const result = await runUploads(
      [file('a.jpg'), file('b.png')],
      'in',
      async (key) => {
        uploaded.push(key);
      },
      (items) => snapshots.push(items),
    );

    expect(uploaded.sort()).toEqual(['in/a.jpg', 'in/b.png']);
    expect(result.map((i) => i.state)).toEqual(['uploaded', 'uploaded']);
    expect(snapshots[0]?.map((i) => i.state)).toEqual(['queued', 'queued']);
    expect(snapshots.some((s) => s.some((i) => i.state === 'uploading'))).toBe(true);
  });

  it('keeps going when one upload fails and records why', async () => {
    const result = await runUploads(
      [file('bad.jpg'), file('good.jpg')],
      '',
      async (key) => {
        if (key === 'bad.jpg') throw new Error('HTTP 500');
      },
      () => undefined,
    );

    expect(result).toEqual([
      expect.objectContaining({ key: 'bad.jpg', state: 'failed', error: 'HTTP 500' }),
      expect.objectContaining({ key: 'good.jpg', state: 'uploaded' }),
    ]);
  });

  it('fails a file with an unusable name without calling upload for it', async () => {
    const calls: string[] = [];
    const result = await runUploads(
      [file('  '), file('ok.jpg')],
      '',
      async (key) => {
        calls.push(key);
      },
      () => undefined,
    );
    expect(calls).toEqual(['ok.jpg']);
    expect(result[0]).toMatchObject({ state: 'failed', error: expect.stringContaining('INVALID_KEY') });
  });

  it('never runs more than the given number of uploads at once', async () => {
    let running = 0;
    let peak = 0;
    const files = Array.from({ length: 7 }, (_, i) => file(`${i}.jpg`));
    await runUploads(
      files,
      '',
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
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
        '',
        async () => undefined,
        () => undefined,
        0,
      ),
    ).rejects.toThrow('Expected a positive integer concurrency but received 0');
  });
});

describe('mergeUploadItems', () => {
  const item = (key: string, state: UploadItem['state']): UploadItem => ({ key, name: key, bytes: 1, state });

  it('keeps earlier batches while a new one runs, and a re-upload replaces its old entry', () => {
    const shown = [item('a.jpg', 'uploaded'), item('b.jpg', 'uploaded')];
    expect(mergeUploadItems(shown, [item('c.jpg', 'uploading'), item('a.jpg', 'queued')])).toEqual([
      item('b.jpg', 'uploaded'),
      item('c.jpg', 'uploading'),
      item('a.jpg', 'queued'),
    ]);
  });

  it('keeps only the latest entries past the limit', () => {
    const merged = mergeUploadItems([item('a', 'uploaded'), item('b', 'uploaded')], [item('c', 'queued')], 2);
    expect(merged.map((i) => i.key)).toEqual(['b', 'c']);
  });
});
