import { compareSequencers } from '@imgpipe/core';
import { corpusFile } from '@imgpipe/testing';
import { LocalApi } from '../src/stack/local-api';
import { closedPort, imgpipe, jsonLines, type RunningStack, startStack } from './support/local-stack';

const VALID = corpusFile('exif-orientation-examples/Landscape_6.jpg');
const CORRUPT = corpusFile('sharp-fixtures/truncated.jpg');

let stack: RunningStack;
const at = (...args: string[]): string[] => [...args, '--endpoint', stack.endpoint];

beforeAll(async () => {
  stack = await startStack();
  // Uploaded once for the whole file: every command below reads this state.
  const upload = imgpipe(at('upload', VALID, CORRUPT, '--prefix', 'e2e/', '--wait', '--json'));
  expect(upload.stderr).not.toContain('[');
  expect(upload.status).toBe(0);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

describe('imgpipe upload --wait', () => {
  it('prints each file with its key, ETag and final row: ready with variants, or failed with its code', () => {
    // Uploading the same bytes again is idempotent: the rows are final for this ETag right away.
    const run = imgpipe(at('upload', VALID, CORRUPT, '--prefix', 'e2e/', '--wait', '--json'));
    expect(run.status).toBe(0);
    const [valid, corrupt] = jsonLines(run.stdout);
    expect(valid).toMatchObject({
      file: VALID,
      key: 'e2e/Landscape_6.jpg',
      bucket: 'imgpipe-source',
      contentType: 'image/jpeg',
      status: 'ready',
    });
    expect((valid?.['variants'] as { name: string }[]).map((v) => v.name)).toEqual([
      'thumb',
      'small',
      'large',
    ]);
    expect(corrupt).toMatchObject({
      key: 'e2e/truncated.jpg',
      status: 'failed',
      error: { code: 'CORRUPT_IMAGE' },
    });
  }, 60_000);
});

describe('imgpipe ls', () => {
  it('lists the rows in key order as JSON lines', () => {
    const run = imgpipe(at('ls', '--json'));
    expect(run.status).toBe(0);
    const rows = jsonLines(run.stdout);
    expect(rows.map((r) => [r['objectKey'], r['status']])).toEqual([
      ['e2e/Landscape_6.jpg', 'ready'],
      ['e2e/truncated.jpg', 'failed'],
    ]);
  });

  it('filters by status and prefix', () => {
    expect(
      jsonLines(imgpipe(at('ls', '--status', 'failed', '--json')).stdout).map((r) => r['objectKey']),
    ).toEqual(['e2e/truncated.jpg']);
    expect(jsonLines(imgpipe(at('ls', '--prefix', 'nothing/', '--json')).stdout)).toEqual([]);
  });

  it('prints a table for people', () => {
    const run = imgpipe(at('ls'));
    expect(run.stdout).toMatch(/^KEY\s+STATUS\s+IMAGE/);
    expect(run.stdout).toMatch(/e2e\/Landscape_6\.jpg\s+ready\s+jpeg 1800x1200/);
    expect(run.stdout).toMatch(/e2e\/truncated\.jpg\s+failed.*CORRUPT_IMAGE/);
  });

  it('refuses an unknown status with a usage error (exit 2)', () => {
    const run = imgpipe(at('ls', '--status', 'bogus'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      'Expected --status to be one of pending, ready, failed, deleted but received "bogus" [USAGE]',
    );
  });
});

describe('imgpipe show', () => {
  it('prints the row with its variants, upright and within the presets', () => {
    const run = imgpipe(at('show', 'e2e/Landscape_6.jpg', '--json'));
    expect(run.status).toBe(0);
    const row = JSON.parse(run.stdout) as {
      status: string;
      width: number;
      height: number;
      variants: { name: string; width: number; height: number }[];
    };
    expect(row).toMatchObject({ status: 'ready', format: 'jpeg', width: 1800, height: 1200 });
    expect(row.variants.find((v) => v.name === 'thumb')).toMatchObject({ width: 128, height: 128 });
    expect(row.variants.find((v) => v.name === 'large')).toMatchObject({ width: 1280, height: 853 });
  });

  it('shows variant URLs on the local edge in the readable form', () => {
    const run = imgpipe(at('show', 'e2e/Landscape_6.jpg'));
    expect(run.stdout).toContain(`${stack.endpoint}/imgpipe-derived/e2e/Landscape_6.jpg/thumb.webp`);
  });

  it('answers NOT_FOUND (exit 1) for a key without a row', () => {
    const run = imgpipe(at('show', 'e2e/missing.jpg', '--json'));
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('e2e/missing.jpg') },
    });
  });
});

describe('imgpipe backfill', () => {
  it('re-renders every object under a newer sequencer and reports what happened', () => {
    const before = JSON.parse(imgpipe(at('show', 'e2e/Landscape_6.jpg', '--json')).stdout) as {
      sequencer: string;
      updatedAt: string;
    };
    const run = imgpipe(at('backfill', '--json'));
    expect(run.status).toBe(0);
    expect(jsonLines(run.stdout).at(-1)).toEqual({
      objects: 2,
      rendered: 1,
      failed: 1,
      stale: 0,
      mode: 'local',
    });
    expect(run.stderr).toContain('backfill: 2/2');
    const after = JSON.parse(imgpipe(at('show', 'e2e/Landscape_6.jpg', '--json')).stdout) as {
      status: string;
      sequencer: string;
      updatedAt: string;
    };
    expect(after.status).toBe('ready');
    expect(compareSequencers(after.sequencer, before.sequencer)).toBeGreaterThan(0);
    expect(after.updatedAt > before.updatedAt).toBe(true);
  }, 60_000);
});

describe('imgpipe reconcile', () => {
  it('runs reconcile now and prints its report', () => {
    const run = imgpipe(at('reconcile', '--json'));
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ complete: true, rendered: 0, tombstoned: 0 });
    expect(report['scanned']).toBeGreaterThanOrEqual(2);
    expect(imgpipe(at('reconcile')).stdout).toMatch(/^reconcile complete: scanned \d+, rendered 0/);
  }, 60_000);
});

describe('when no local stack runs', () => {
  it.each([['ls'], ['upload', VALID], ['backfill'], ['dlq', 'redrive']])(
    '%s fails with one line naming the endpoint and STACK_UNREACHABLE (exit 3)',
    async (...args: string[]) => {
      const endpoint = `http://127.0.0.1:${await closedPort()}`;
      const run = imgpipe([...args, '--endpoint', endpoint]);
      expect(run.status).toBe(3);
      expect(run.stderr).toBe(
        `imgpipe: no local stack at ${endpoint} (start it with: npm start) [STACK_UNREACHABLE]\n`,
      );
      expect(run.stdout).toBe('');
    },
  );

  it('honours IMGPIPE_ENDPOINT', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const run = imgpipe(['ls', '--json'], { IMGPIPE_ENDPOINT: endpoint });
    expect(run.status).toBe(3);
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        code: 'STACK_UNREACHABLE',
        message: `no local stack at ${endpoint} (start it with: npm start)`,
      },
    });
  });
});

describe('imgpipe token', () => {
  it('prints a token the local /_api accepts, for local-user with read and write by default', async () => {
    const run = imgpipe(at('token', '--json'));
    expect(run.status).toBe(0);
    const [minted] = jsonLines(run.stdout);
    expect([minted?.['sub'], minted?.['scope'], minted?.['tokenType']]).toEqual([
      'local-user',
      'images.read images.write',
      'Bearer',
    ]);
    const plain = imgpipe(at('token', '--sub', 'bob', '--scope', 'images.read'));
    expect(plain.status).toBe(0);
    const token = plain.stdout.trim();
    const res = await fetch(`${stack.endpoint}/_api/v1/images`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const write = await fetch(`${stack.endpoint}/_api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'x.png', contentType: 'image/png', bytes: 10 }),
    });
    expect(write.status).toBe(403);
  });

  it('refuses unknown scopes (exit 1) and a closed port (exit 3)', async () => {
    expect(imgpipe(at('token', '--scope', 'images.everything')).status).toBe(1);
    const closed = `http://127.0.0.1:${await closedPort()}`;
    expect(imgpipe(['token', '--endpoint', closed]).status).toBe(3);
  });
});

describe('LocalApi (the seam): every answer of the running stack parses with @imgpipe/contracts', () => {
  it('reads health, pages of rows, one row, the DLQ, a redrive and a reconcile report', async () => {
    const api = new LocalApi(stack.endpoint);
    await expect(api.ensureReady()).resolves.toBeUndefined();

    const first = await api.images({ prefix: 'e2e/', limit: 1 });
    expect(first.items.map((r) => r.objectKey)).toEqual(['e2e/Landscape_6.jpg']);
    const second = await api.images({ prefix: 'e2e/', limit: 1, cursor: first.nextCursor ?? '' });
    expect(second.items.map((r) => [r.objectKey, r.status, r.error?.code])).toEqual([
      ['e2e/truncated.jpg', 'failed', 'CORRUPT_IMAGE'],
    ]);
    expect(second.nextCursor).toBeUndefined();

    const row = await api.image('e2e/Landscape_6.jpg');
    expect(row?.status).toBe('ready');
    expect(Number.isNaN(Date.parse(row?.updatedAt ?? ''))).toBe(false);
    await expect(api.image('e2e/none.jpg')).resolves.toBeUndefined();

    await expect(api.dlq()).resolves.toEqual([]);
    await expect(api.redrive()).resolves.toBe(0);
    const report = await api.reconcile();
    expect(report.complete).toBe(true);
  }, 120_000);

  it('turns an API error body into a StackRequestError with its code', async () => {
    const api = new LocalApi(stack.endpoint);
    await expect(api.images({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
  });
});
