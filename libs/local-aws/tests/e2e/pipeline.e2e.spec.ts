import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { readCorpusFile } from '@imgpipe/testing';
import type { InvocationReport, LocalStack, LocalStackOptions } from '../../src';
import { s3For, tempDir, waitFor } from '../support/helpers';
import { apiRow, exists, type RowShape, settledRow, startRealStack } from '../support/pipeline';

jest.setTimeout(180_000);

const SOURCE = 'imgpipe-source';
const DERIVED = 'imgpipe-derived';
const ERROR_CODES = ['UNSUPPORTED_FORMAT', 'CORRUPT_IMAGE', 'TOO_MANY_PIXELS', 'TOO_LARGE'];

/** Corpus files under awkward keys, with what the row must say. */
const GOOD = [
  {
    id: 'exif-orientation-examples/Landscape_6.jpg',
    key: 'photos/my holiday +1 (100%).jpg',
    width: 1800,
    height: 1200,
    format: 'jpeg',
  },
  { id: 'pngsuite/basn4a08.png', key: 'ünïcødé/日本語/😀 alpha.png', width: 32, height: 32, format: 'png' },
  { id: 'sharp-fixtures/5_webp_a.webp', key: 'a+b/c%20d/e.webp', width: 300, height: 300, format: 'webp' },
];
const BAD = [
  { id: 'imagetestsuite/jpg/28968137f4fc75fbf56f16d7a7a8551a.jpg', key: 'broken/truncated.jpg' },
  { id: 'sharp-fixtures/NotoSans-Regular.ttf', key: 'broken/not an image.jpg' },
];

describe('the whole pipeline on the local stack (real function bundles, real SDK client)', () => {
  const dataDir = tempDir('pipeline');
  const reports: InvocationReport[] = [];
  let stack: LocalStack;
  const start = (extra: LocalStackOptions = {}) =>
    startRealStack(dataDir, { onInvocation: (r) => reports.push(r), ...extra });
  const settled = (key: string, statuses?: readonly string[]) => settledRow(stack.endpoint, key, statuses);

  beforeAll(async () => {
    stack = await start();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('turns uploads under awkward keys into upright variants and ready rows', async () => {
    const s3 = s3For(stack.endpoint);
    for (const file of GOOD)
      await s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: file.key, Body: readCorpusFile(file.id) }));
    for (const file of GOOD) {
      const row: RowShape = await settled(file.key);
      expect(row).toEqual(
        expect.objectContaining({
          objectKey: file.key,
          status: 'ready',
          width: file.width,
          height: file.height,
          format: file.format,
        }),
      );
      expect(row.variants?.map((v) => v.name)).toEqual(['thumb', 'small', 'large']);
      for (const variant of row.variants ?? []) {
        expect(variant.key).toBe(
          `${file.key}/${variant.name}.${variant.format === 'jpeg' ? 'jpg' : variant.format}`,
        );
        expect(await exists(s3, DERIVED, variant.key)).toBe(true);
      }
    }
    const portrait = (await apiRow(stack.endpoint, GOOD[0]!.key))!;
    expect(portrait.variants?.find((v) => v.name === 'small')).toEqual(
      expect.objectContaining({ width: 320, height: 213 }),
    );
    expect(portrait.variants?.find((v) => v.name === 'thumb')).toEqual(
      expect.objectContaining({ width: 128, height: 128 }),
    );
  });

  it('records broken images as failed with a stable code and no variants, without retrying them', async () => {
    const s3 = s3For(stack.endpoint);
    for (const file of BAD)
      await s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: file.key, Body: readCorpusFile(file.id) }));
    for (const file of BAD) {
      const row = await settled(file.key, ['failed']);
      expect(ERROR_CODES).toContain(row.error?.code);
      expect(row.variants ?? []).toEqual([]);
    }
    expect(stack.dlq()).toEqual([]);
  });

  it('removes the variants and leaves a tombstone when the source is deleted', async () => {
    const s3 = s3For(stack.endpoint);
    const file = GOOD[2]!;
    const before = (await apiRow(stack.endpoint, file.key))!;
    await s3.send(new DeleteObjectCommand({ Bucket: SOURCE, Key: file.key }));
    await settled(file.key, ['deleted']);
    await waitFor(
      async () => {
        const left = await Promise.all((before.variants ?? []).map((v) => exists(s3, DERIVED, v.key)));
        return left.every((e) => !e);
      },
      60_000,
      'the variants to be removed',
    );
    const listed = (await (await fetch(`${stack.endpoint}/_imgpipe/api/images?status=deleted`)).json()) as {
      items: RowShape[];
    };
    expect(listed.items.map((r) => r.objectKey)).toEqual([file.key]);
  });

  it('retries a job whose worker was killed, and the retry finishes the work', async () => {
    const key = 'killed/worker.jpg';
    const before = reports.length;
    await s3For(stack.endpoint).send(
      new PutObjectCommand({ Bucket: SOURCE, Key: key, Body: readCorpusFile('sharp-fixtures/flowers.jpeg') }),
    );
    const victim = await waitFor(
      () =>
        stack
          .runtime('resize')
          .workers()
          .find((w) => w.busy && w.pid !== undefined),
      30_000,
      'a busy resize worker',
    );
    process.kill(victim.pid!, 'SIGKILL');
    const row = await settled(key);
    expect(row.status).toBe('ready');
    expect(row.variants).toHaveLength(3);
    const attempts = reports.slice(before).filter((r) => r.function === 'resize');
    expect(attempts.some((r) => r.error?.type === 'Runtime.ExitError')).toBe(true);
  });

  it('keeps objects and rows across a restart, parks events that exhaust their retries, and redrives them', async () => {
    // Earlier tests' events (e.g. resize's half of a delete) must not run into the faulted restart.
    const functions = ['resize', 'metadata-sync', 'reconcile'] as const;
    await waitFor(
      () => functions.every((fn) => stack.runtime(fn).depth === 0),
      60_000,
      'the functions to be idle',
    );
    await stack.stop();
    // Every S3/DynamoDB call the functions make now fails, so the event exhausts its retries.
    stack = await start({
      faultRate: 1,
      pipeline: {
        functions: { resize: { maximumRetryAttempts: 1 }, 'metadata-sync': { maximumRetryAttempts: 1 } },
      },
    });
    const kept = await apiRow(stack.endpoint, GOOD[0]!.key);
    expect(kept?.status).toBe('ready');
    const body = await (
      await s3For(stack.endpoint).send(new GetObjectCommand({ Bucket: SOURCE, Key: GOOD[1]!.key }))
    ).Body!.transformToByteArray();
    expect(Buffer.from(body).equals(readCorpusFile(GOOD[1]!.id))).toBe(true);

    const key = 'dlq/parked.png';
    await s3For(stack.endpoint).send(
      new PutObjectCommand({ Bucket: SOURCE, Key: key, Body: readCorpusFile('pngsuite/PngSuite.png') }),
    );
    const parked = await waitFor(
      () => {
        const entries = stack.dlq().filter((e) => JSON.stringify(e.event).includes('dlq/parked.png'));
        return entries.length === 2 && entries;
      },
      120_000,
      'both functions to park the event',
    );
    expect(parked.map((e) => e.function).sort()).toEqual(['metadata-sync', 'resize']);
    expect(parked.every((e) => e.attempts === 2)).toBe(true);

    await stack.stop();
    stack = await start();
    const listed = (await (await fetch(`${stack.endpoint}/_imgpipe/api/dlq`)).json()) as { items: unknown[] };
    expect(listed.items).toHaveLength(2);
    const redrive = await fetch(`${stack.endpoint}/_imgpipe/api/dlq/redrive`, { method: 'POST', body: '{}' });
    expect(await redrive.json()).toEqual({ redriven: 2 });
    const row = await settled(key);
    expect(row.status).toBe('ready');
    expect(stack.dlq()).toEqual([]);
  });

  it('lists rows by status and prefix with cursor paging, and runs reconcile on demand', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const url = `${stack.endpoint}/_imgpipe/api/images?status=ready&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await fetch(url)).json()) as { items: RowShape[]; nextCursor?: string };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.objectKey));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining([GOOD[0]!.key, GOOD[1]!.key, 'dlq/parked.png']));
    const broken = (await (await fetch(`${stack.endpoint}/_imgpipe/api/images?prefix=broken/`)).json()) as {
      items: RowShape[];
    };
    expect(broken.items.map((r) => r.objectKey)).toEqual(BAD.map((b) => b.key).sort());

    const answer = await fetch(`${stack.endpoint}/_imgpipe/api/reconcile`, { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(typeof (await answer.json())).toBe('object');
    expect(stack.metrics().functions.reconcile.invocations).toBeGreaterThanOrEqual(1);
  });
});
