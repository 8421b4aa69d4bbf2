import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { readCorpusFile } from '@imgpipe/testing';
import { type LocalStack, s3Event } from '@imgpipe/local-aws';
import { FONT, hasExif, HTML, svgReading, withGps } from './support/hostile-files';
import { StackSession, useRealStack } from './support/session';
import { freshDir, type Row, SOURCE, startReal } from './support/stack';
import { recordFigures } from './support/summary';

const JPEG = 'sharp-fixtures/320x240.jpg';

/** Hostile and odd inputs through the whole pipeline, with SVG rendering and GPS storage switched on. */
describe('hostile and odd input (allowSvg and storeGps on)', () => {
  const dataDir = freshDir('hostile');
  let stack: LocalStack;
  // Its own data directory: the XXE probe's secret lies in it.
  const suite = new StackSession(() => stack);
  beforeAll(async () => {
    stack = await startReal(dataDir, { pipeline: { limits: { allowSvg: true }, storeGps: true } });
  });
  afterAll(async () => {
    await stack.stop();
  });

  async function settled(key: string): Promise<Row> {
    await suite.idle();
    const row = await suite.row(key);
    expect(row).toBeDefined();
    return row as Row;
  }

  it.each([
    ['an HTML page named .jpg', 'odd/page.jpg', HTML],
    ['a font named .png', 'odd/font.png', FONT],
    ['zero bytes named .webp', 'odd/empty.webp', Buffer.alloc(0)],
  ])('rejects %s as UNSUPPORTED_FORMAT with no variants and no DLQ entry', async (_name, key, body) => {
    await suite.upload(key, body);
    const row = await settled(key);
    expect(row.status).toBe('failed');
    expect(row.error?.code).toBe('UNSUPPORTED_FORMAT');
    expect(row.variants ?? []).toEqual([]);
    expect(suite.stack.dlq()).toEqual([]);
  });

  it('processes a JPEG named .png by its bytes', async () => {
    await suite.upload('odd/really-a-jpeg.png', readCorpusFile(JPEG));
    const row = await settled('odd/really-a-jpeg.png');
    expect({ status: row.status, format: row.format, width: row.width, height: row.height }).toEqual({
      status: 'ready',
      format: 'jpeg',
      width: 320,
      height: 240,
    });
  });

  it('never opens a local file an SVG points at (external entity, file:// image, bare path)', async () => {
    // A FIFO: whoever opens it for reading blocks there, and our non-blocking writer open then succeeds.
    const fifo = join(dataDir, 'secret.fifo');
    execFileSync('mkfifo', [fifo]);
    let opened = 0;
    const watch = setInterval(() => {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
        opened += 1;
      } catch {
        // ENXIO: nobody has it open for reading.
      }
    }, 20);
    try {
      await suite.upload('odd/xxe.svg', svgReading(fifo));
      const row = await settled('odd/xxe.svg');
      expect(opened).toBe(0);
      // Rejected, or rendered without the file: either way a final state, not a hung worker.
      expect(row.status === 'ready' || (row.status === 'failed' && typeof row.error?.code === 'string')).toBe(
        true,
      );
      recordFigures('svg-external-references', {
        status: row.status,
        code: row.error?.code ?? null,
        fifoOpened: opened,
      });
    } finally {
      clearInterval(watch);
    }
  });

  it('refuses a multi-gigabyte object from its size in the event, without downloading it', async () => {
    // The stored object is a small valid JPEG: only the event's size can make the pipeline refuse it.
    const key = 'odd/huge.jpg';
    await suite.upload(key, readCorpusFile(JPEG));
    await suite.idle();
    const head = await suite.row(key);
    const event = s3Event({
      bucket: SOURCE,
      key,
      reason: 'PutObject',
      size: 5 * 1024 ** 3,
      etag: head?.etag ?? 'x',
      sequencer: `${head?.sequencer ?? '0'}01`,
    });
    suite.stack.runtime('resize').enqueue(event);
    suite.stack.runtime('metadata-sync').enqueue(event);
    const row = await settled(key);
    expect(row.status).toBe('failed');
    expect(row.error?.code).toBe('TOO_LARGE');
    expect(suite.stack.dlq()).toEqual([]);
  });

  it('stores the GPS position on the row when enabled, and never in a variant', async () => {
    const key = 'odd/gps.jpg';
    await suite.upload(key, withGps(readCorpusFile(JPEG)));
    const row = await settled(key);
    expect(row.status).toBe('ready');
    expect(row.metadata?.['gps']).toEqual(
      expect.objectContaining({ latitude: expect.closeTo(51.5, 3), longitude: expect.closeTo(0.1167, 3) }),
    );
    for (const variant of row.variants ?? []) {
      const got = await suite.s3.send(new GetObjectCommand({ Bucket: 'imgpipe-derived', Key: variant.key }));
      expect(
        hasExif(
          Buffer.from(
            await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
          ),
        ),
      ).toBe(false);
    }
    expect(row.variants?.length).toBe(3);
  });
});

/** Awkward keys: each one round-trips (row under the same key, variants beside it) or gets a clear error. */
describe('awkward keys', () => {
  const suite = useRealStack('keys');

  const segment = (n: number) => 'k'.repeat(n);
  const longKey = (bytes: number) => {
    // Segments of 200 bytes (the local emulator stores each as a file name), ending in .jpg.
    const parts: string[] = [];
    let left = bytes - 4;
    while (left > 0) {
      const take = Math.min(200, left - (parts.length > 0 ? 1 : 0));
      parts.push(segment(take));
      left -= take + (parts.length > 1 ? 1 : 0);
    }
    const key = `${parts.join('/')}.jpg`;
    return key;
  };
  const keys: readonly [string, string][] = [
    ['spaces', 'keys/with space/a b.jpg'],
    ['plus', 'keys/a+b.jpg'],
    ['percent', 'keys/100%.jpg'],
    ['encoded plus', 'keys/a%2Bb.jpg'],
    ['unicode NFC', 'keys/caf\u00e9.jpg'],
    ['unicode NFD', 'keys/cafe\u0301.jpg'],
    ['double slash', 'keys//double.jpg'],
    ['dot-dot', 'keys/../escape.jpg'],
    ['trailing dots', 'keys/trailing...'],
    ['1,000-byte key', longKey(1000)],
    ['1,024-byte key', longKey(1024)],
  ];

  it('either stores each key and processes it under the same key, or refuses the upload with a clear S3 error', async () => {
    const { s3 } = suite;
    const refused: Record<string, string> = {};
    const accepted: string[] = [];
    for (const [name, key] of keys) {
      try {
        await s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: key, Body: readCorpusFile(JPEG) }));
        accepted.push(key);
      } catch (error: unknown) {
        const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
        expect(e.$metadata?.httpStatusCode).toBe(400);
        expect(e.message?.length).toBeGreaterThan(10);
        refused[name] = `${e.name}: ${e.message}`;
      }
    }
    await suite.idle();
    const outcome: Record<string, string> = {};
    for (const [name, key] of keys) {
      if (!accepted.includes(key)) continue;
      const row = await suite.row(key);
      outcome[name] = row?.status === 'failed' ? `failed ${row.error?.code}` : (row?.status ?? 'no row');
    }
    console.log(
      `[reliability] keys: ${JSON.stringify({ outcome, refused, dlq: suite.stack.dlq().map((d) => `${d.function}: ${d.error.message}`) })}`,
    );
    for (const [, key] of keys) {
      if (!accepted.includes(key)) continue;
      const row = await suite.row(key);
      expect(row?.objectKey).toBe(key);
      if (row?.status === 'ready') {
        for (const variant of row.variants ?? []) {
          expect(variant.key.startsWith(`${key}/`)).toBe(true);
          expect(Buffer.byteLength(variant.key, 'utf8')).toBeLessThanOrEqual(1024);
        }
      } else {
        // Not processed: then a clear, permanent failure on the row, never a DLQ entry or a hang.
        expect(row?.status).toBe('failed');
        expect(row?.error?.code).toEqual(expect.any(String));
      }
    }
    expect(suite.stack.dlq().map((d) => `${d.function}: ${d.error.message}`)).toEqual([]);
    // NFC and NFD are different keys in S3: both must exist separately.
    expect(accepted.includes('keys/caf\u00e9.jpg')).toBe(accepted.includes('keys/cafe\u0301.jpg'));
    recordFigures('keys', { accepted: outcome, refused });
  });
});
