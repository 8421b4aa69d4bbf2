/**
 * The console in a real browser (Debian's Chromium through playwright-core) against the real local stack,
 * started as a child process from its build: an application of the image API, uploading through
 * `POST /_api/v1/uploads` and the presigned POST, listing through `GET /_api/v1/images`, showing thumbnails
 * from the CDN URLs the API hands out. Screenshots land in test-artifacts/console/.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFile } from '@imgpipe/testing';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import {
  card,
  dropFile,
  dropGeneratedFile,
  loadedImageSize,
  recordRequests,
  screenshot,
  step,
  unnamedElements,
} from './support/page';
import { artifactsDir } from './support/paths';
import { startStack, type RunningStack } from './support/stack';

jest.setTimeout(240_000);

const PHOTO = 'sharp-fixtures/320x240.jpg'; // 320 × 240 JPEG
const LANDSCAPE = 'sharp-fixtures/Landscape_9.jpg'; // 480 × 369 JPEG
const CORRUPT = 'pillow/broken.png'; // PNG signature, unreadable body
const PIPELINE_MS = 90_000;
/** The console's user is the local stack's default user: everything it uploads lands here. */
const FOLDER = 'u/local-user/';
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

describe('the console against the local stack', () => {
  let browser: Browser;
  let stack: RunningStack;
  let page: Page;
  let dataDir: string;
  let requests: string[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-console-e2e-'));
    stack = await startStack({ dataDir });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    requests = recordRequests(page, stack.url);
    await page.goto(`${stack.url}/_imgpipe/`);
  });

  afterAll(async () => {
    stack?.saveLog(join(artifactsDir(), 'local-stack.log'));
    await browser?.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('uploads two images through the image API and shows their CDN thumbnails and metadata', async () => {
    const photo = `${FOLDER}320x240.jpg`;
    const landscape = `${FOLDER}Landscape_9.jpg`;
    await step(page, 'upload', async () => {
      await page.getByTestId('upload-folder').getByText(FOLDER).waitFor();
      await page.setInputFiles('#file-input', corpusFile(PHOTO));
      await dropFile(page, '[data-testid="dropzone"]', corpusFile(LANDSCAPE), 'image/jpeg');
    });

    await step(page, 'gallery-ready', async () => {
      for (const key of [photo, landscape]) {
        await page.locator(`${card(key)}[data-status="ready"]`).waitFor({ timeout: PIPELINE_MS });
      }
    });
    const thumb = await loadedImageSize(page, `${card(photo)} img`);
    const landscapeThumb = await loadedImageSize(page, `${card(landscape)} img`);
    await screenshot(page, '01-gallery-two-uploads');

    // Through the API: a presigned POST per file, never a PUT into the bucket; the list from /_api.
    const sent = requests.filter((r) => /^(POST|PUT) \/(_api\/v1\/uploads|imgpipe-source)/.test(r));
    expect(sent.sort()).toEqual([
      'POST /_api/v1/uploads',
      'POST /_api/v1/uploads',
      'POST /imgpipe-source',
      'POST /imgpipe-source',
    ]);
    expect(requests).toContain('POST /_imgpipe/api/tokens');
    expect(requests).toContain('GET /_api/v1/images');
    expect(requests.filter((r) => r.startsWith('GET /_imgpipe/api/images'))).toEqual([]);

    expect(thumb).toEqual({ width: 128, height: 128 });
    expect(landscapeThumb).toEqual({ width: 128, height: 128 });
    // The thumbnail is the versioned CDN URL the API handed out, and the CDN serves it as WebP.
    const src = await page.locator(`${card(photo)} img`).getAttribute('src');
    expect(src).toMatch(new RegExp(`^${stack.url}/_cdn/u/local-user/320x240\\.jpg/thumb\\.webp\\?v=[^&]+$`));
    const cdn = await fetch(src ?? '');
    expect(cdn.status).toBe(200);
    expect(cdn.headers.get('content-type')).toBe('image/webp');
    expect(await page.locator(`${card(photo)} .dims`).textContent()).toBe('320 × 240');
    expect(await page.locator(`${card(landscape)} .dims`).textContent()).toBe('480 × 369');
    expect(await page.locator(`${card(photo)} .format`).textContent()).toBe('jpeg');
    expect(await page.locator(`${card(photo)} img`).getAttribute('alt')).toBe(`Thumbnail of ${photo}`);
    // The image's ThumbHash is rendered as the thumbnail's placeholder.
    expect(await page.locator(`${card(photo)} .thumb`).getAttribute('data-placeholder')).toBe('yes');
    // The upload list followed each file through the API to its pipeline status.
    await page
      .locator(`.uploads li[data-key="${photo}"] .badge[data-status="ready"]`)
      .waitFor({ timeout: 5000 });
    expect(await page.locator(`.uploads li[data-key="${photo}"] .badge`).textContent()).toBe('ready');
    expect(await page.locator(`.uploads li[data-key="${photo}"]`).getAttribute('data-state')).toBe(
      'uploaded',
    );

    await step(page, 'details', async () => {
      await page.getByRole('button', { name: `Details of ${landscape}` }).click();
      await page.getByRole('dialog').waitFor();
      await loadedImageSize(page, 'dialog .preview img');
    });
    const metadata = await page.locator('[data-testid="detail-metadata"]').innerText();
    const variants = await page.locator('table.variants tbody th').allTextContents();
    const links = await page
      .locator('table.variants tbody a')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    const preview = await loadedImageSize(page, 'dialog .preview img');
    await screenshot(page, '02-image-details');
    expect(metadata).toContain('480 × 369');
    expect(metadata).toMatch(/Dominant colour\s+#[0-9a-f]{6}/i);
    expect(variants.sort()).toEqual(['large', 'small', 'thumb']);
    expect(links.sort()).toEqual([
      '/_cdn/u/local-user/Landscape_9.jpg/large.jpg',
      '/_cdn/u/local-user/Landscape_9.jpg/small.webp',
      '/_cdn/u/local-user/Landscape_9.jpg/thumb.webp',
    ]);
    // `small` fits inside 320 × 320.
    expect(preview).toEqual({ width: 320, height: 246 });
    expect(await unnamedElements(page)).toEqual([]);
    // The live feed is connected over server-sent events (not the polling fallback).
    expect(await page.locator('.live').getAttribute('data-mode')).toBe('live');

    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it("shows the API's refusals of a disallowed type and an oversize file with their codes", async () => {
    await dropGeneratedFile(page, '[data-testid="dropzone"]', {
      name: 'notes.txt',
      type: 'text/plain',
      size: 12,
    });
    await dropGeneratedFile(page, '[data-testid="dropzone"]', {
      name: 'huge.jpg',
      type: 'image/jpeg',
      size: MAX_UPLOAD_BYTES + 1,
    });
    const refused = (name: string): string => `.uploads li[data-name="${name}"][data-state="failed"]`;
    await step(page, 'refused', async () => {
      await page.locator(refused('notes.txt')).waitFor();
      await page.locator(refused('huge.jpg')).waitFor();
    });
    await screenshot(page, '02b-upload-refused');

    expect(await page.locator(`${refused('notes.txt')} .error-code`).textContent()).toBe(
      'UNSUPPORTED_CONTENT_TYPE',
    );
    expect(await page.locator(`${refused('notes.txt')} .error-message`).textContent()).toContain(
      '"text/plain"',
    );
    expect(await page.locator(`${refused('huge.jpg')} .error-code`).textContent()).toBe('TOO_LARGE');
    expect(await page.locator(`${refused('huge.jpg')} .error-message`).textContent()).toBe(
      `Expected at most ${MAX_UPLOAD_BYTES} bytes but received ${MAX_UPLOAD_BYTES + 1}`,
    );
    // Refused before any URL: neither file reached the storage.
    expect(requests.filter((r) => r === 'POST /imgpipe-source')).toHaveLength(2);
    expect(await page.locator('article.card').count()).toBe(2);
  });

  it('shows a corrupt file as failed with its error code', async () => {
    await page.setInputFiles('#file-input', corpusFile(CORRUPT));
    const failed = `${card(`${FOLDER}broken.png`)}[data-status="failed"]`;
    await step(page, 'corrupt-failed', () => page.locator(failed).waitFor({ timeout: PIPELINE_MS }));

    expect(await page.locator(`${failed} .error-code code`).textContent()).toBe('CORRUPT_IMAGE');
    expect(await page.locator(`${failed} img`).count()).toBe(0);

    await page.getByLabel('Status').selectOption('failed');
    await step(page, 'filter-failed', () =>
      page.waitForFunction(() => {
        const cards = [...document.querySelectorAll('article.card')];
        return cards.length === 1 && cards[0]?.getAttribute('data-status') === 'failed';
      }),
    );
    await screenshot(page, '03-gallery-failed-filter');
    expect(await page.locator('article.card').count()).toBe(1);

    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Name starts with').fill('Land');
    await step(page, 'filter-name', () =>
      page.waitForFunction(() => {
        const cards = [...document.querySelectorAll('article.card')];
        return cards.length === 1 && cards[0]?.getAttribute('data-key') === 'u/local-user/Landscape_9.jpg';
      }),
    );
    expect(await page.locator('article.card').count()).toBe(1);

    await page.getByLabel('Name starts with').fill('');
    await page.locator('article.card').nth(2).waitFor();
    // In key order, as the API lists without a status filter.
    expect(
      await page.locator('article.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-key'))),
    ).toEqual(['u/local-user/320x240.jpg', 'u/local-user/Landscape_9.jpg', 'u/local-user/broken.png']);
    expect(await unnamedElements(page)).toEqual([]);
  });

  it('counts the invocations on the monitoring charts, reached with the keyboard', async () => {
    await page.getByRole('tab', { name: 'Gallery' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Monitoring' }).getAttribute('aria-selected')).toBe('true');

    // Three uploads: resize and metadata-sync each ran at least three times.
    for (const fn of ['resize', 'metadata-sync']) {
      await step(page, `metrics-${fn}`, () =>
        page.waitForFunction(
          (name) =>
            Number(
              document.querySelector(`section[data-function="${name}"] dd[data-stat="invocations"]`)
                ?.textContent,
            ) >= 3,
          fn,
          { timeout: 30_000 },
        ),
      );
    }
    const api = (await (await fetch(`${stack.url}/_imgpipe/api/metrics`)).json()) as {
      functions: Record<string, { invocations: number }>;
    };
    const shown = Number(
      await page.locator('section[data-function="resize"] dd[data-stat="invocations"]').textContent(),
    );
    const chart = await page
      .locator('section[data-function="resize"] svg[aria-label^="Invocations and errors"]')
      .getAttribute('aria-label');
    const bars = await page.locator('section[data-function="resize"] .s-invocations rect').count();
    await screenshot(page, '04-monitoring');

    expect(shown).toBeGreaterThanOrEqual(3);
    expect(shown).toBeLessThanOrEqual(api.functions['resize']?.invocations ?? 0);
    expect(Number(/Invocations (\d+)/.exec(chart ?? '')?.[1])).toBeGreaterThanOrEqual(3);
    expect(bars).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid="dlq-depth"]').textContent()).toBe('0');
    expect(await page.getByText(/Next run of/).count()).toBeGreaterThanOrEqual(1);
    expect(await unnamedElements(page)).toEqual([]);

    await page.getByRole('button', { name: 'Run reconcile now' }).click();
    await step(page, 'reconcile-now', () =>
      page
        .getByTestId('reconcile-result')
        .getByText(/Reconcile finished/)
        .waitFor({ timeout: 60_000 }),
    );
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('section[data-function="reconcile"] dd[data-stat="invocations"]')
            ?.textContent,
        ) >= 1,
    );
    expect(pageErrors).toEqual([]);
  });

  it('falls back to polling when the event stream is unavailable and still shows new uploads', async () => {
    const polling = await browser.context.newPage();
    await polling.route('**/_imgpipe/api/stream', (route) => route.abort());
    try {
      await polling.goto(`${stack.url}/_imgpipe/`);
      await polling.waitForFunction(
        () => document.querySelector('.live')?.getAttribute('data-mode') === 'polling',
      );
      await polling.locator('ul.grid[aria-busy="false"]').waitFor();
      await polling.setInputFiles('#file-input', {
        name: 'polled.jpg',
        mimeType: 'image/jpeg',
        buffer: readFileSync(corpusFile(PHOTO)),
      });
      await step(polling, 'polling-ready', () =>
        polling
          .locator(`${card(`${FOLDER}polled.jpg`)}[data-status="ready"]`)
          .waitFor({ timeout: PIPELINE_MS }),
      );
      expect(await polling.locator('.live').getAttribute('data-mode')).toBe('polling');
      expect(await loadedImageSize(polling, `${card(`${FOLDER}polled.jpg`)} img`)).toEqual({
        width: 128,
        height: 128,
      });
    } finally {
      await polling.close();
    }
  });
});
