/**
 * The console in a real browser (Debian's Chromium through playwright-core) against the real local stack,
 * started as a child process from its build. Screenshots land in test-artifacts/console/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFile } from '@imgpipe/testing';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { card, dropFile, loadedImageSize, screenshot, step, unnamedElements } from './support/page';
import { artifactsDir } from './support/paths';
import { seedRows } from './support/seed';
import { startStack, type RunningStack } from './support/stack';

jest.setTimeout(240_000);

const PHOTO = 'sharp-fixtures/320x240.jpg'; // 320 × 240 JPEG
const LANDSCAPE = 'sharp-fixtures/Landscape_9.jpg'; // 480 × 369 JPEG
const CORRUPT = 'pillow/broken.png'; // PNG signature, unreadable body
const PIPELINE_MS = 90_000;

describe('the console against the local stack', () => {
  let browser: Browser;
  let stack: RunningStack;
  let page: Page;
  let dataDir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-console-e2e-'));
    stack = await startStack({ dataDir });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${stack.url}/_imgpipe/`);
  });

  afterAll(async () => {
    stack?.saveLog(join(artifactsDir(), 'local-stack.log'));
    await browser?.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('uploads two images through the page and shows their thumbnails and metadata', async () => {
    await step(page, 'upload', async () => {
      await page.getByLabel('Key prefix for uploads').fill('e2e/');
      await page.setInputFiles('#file-input', corpusFile(PHOTO));
      await dropFile(page, '[data-testid="dropzone"]', corpusFile(LANDSCAPE), 'image/jpeg');
    });

    await step(page, 'gallery-ready', async () => {
      for (const key of ['e2e/320x240.jpg', 'e2e/Landscape_9.jpg']) {
        await page.locator(`${card(key)}[data-status="ready"]`).waitFor({ timeout: PIPELINE_MS });
      }
    });
    const thumb = await loadedImageSize(page, `${card('e2e/320x240.jpg')} img`);
    const landscapeThumb = await loadedImageSize(page, `${card('e2e/Landscape_9.jpg')} img`);
    await screenshot(page, '01-gallery-two-uploads');

    expect(thumb).toEqual({ width: 128, height: 128 });
    expect(landscapeThumb).toEqual({ width: 128, height: 128 });
    expect(await page.locator(`${card('e2e/320x240.jpg')} .dims`).textContent()).toBe('320 × 240');
    expect(await page.locator(`${card('e2e/Landscape_9.jpg')} .dims`).textContent()).toBe('480 × 369');
    expect(await page.locator(`${card('e2e/320x240.jpg')} .format`).textContent()).toBe('jpeg');
    expect(await page.locator(`${card('e2e/320x240.jpg')} img`).getAttribute('alt')).toBe(
      'Thumbnail of e2e/320x240.jpg',
    );
    // The row's ThumbHash is rendered as the thumbnail's placeholder.
    expect(await page.locator(`${card('e2e/320x240.jpg')} .thumb`).getAttribute('data-placeholder')).toBe(
      'yes',
    );
    // The upload list followed each file to its pipeline status.
    expect(await page.locator('.uploads li[data-key="e2e/320x240.jpg"] .badge').textContent()).toBe('ready');

    await step(page, 'details', async () => {
      await page.getByRole('button', { name: 'Details of e2e/Landscape_9.jpg' }).click();
      await page.getByRole('dialog').waitFor();
      await loadedImageSize(page, 'dialog .preview img');
    });
    const metadata = await page.locator('[data-testid="detail-metadata"]').innerText();
    const variants = await page.locator('table.variants tbody th').allTextContents();
    await screenshot(page, '02-image-details');
    expect(metadata).toContain('480 × 369');
    expect(metadata).toMatch(/Dominant colour\s+#[0-9a-f]{6}/i);
    expect(variants.sort()).toEqual(['large', 'small', 'thumb']);
    expect(await unnamedElements(page)).toEqual([]);
    // The live feed is connected over server-sent events (not the polling fallback).
    expect(await page.locator('.live').getAttribute('data-mode')).toBe('live');

    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('shows a corrupt file as failed with its error code', async () => {
    await page.setInputFiles('#file-input', corpusFile(CORRUPT));
    const failed = `${card('e2e/broken.png')}[data-status="failed"]`;
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
    await page.getByLabel('Key prefix', { exact: true }).fill('e2e/Land');
    await step(page, 'filter-prefix', () =>
      page.waitForFunction(() => {
        const cards = [...document.querySelectorAll('article.card')];
        return cards.length === 1 && cards[0]?.getAttribute('data-key') === 'e2e/Landscape_9.jpg';
      }),
    );
    expect(await page.locator('article.card').count()).toBe(1);

    await page.getByLabel('Key prefix', { exact: true }).fill('');
    await page.locator('article.card').nth(2).waitFor();
    expect(await page.locator('article.card').count()).toBe(3);
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
      await polling.getByLabel('Key prefix for uploads').fill('polled/');
      await polling.setInputFiles('#file-input', corpusFile(PHOTO));
      await step(polling, 'polling-ready', () =>
        polling
          .locator(`${card('polled/320x240.jpg')}[data-status="ready"]`)
          .waitFor({ timeout: PIPELINE_MS }),
      );
      expect(await polling.locator('.live').getAttribute('data-mode')).toBe('polling');
      expect(await loadedImageSize(polling, `${card('polled/320x240.jpg')} img`)).toEqual({
        width: 128,
        height: 128,
      });
    } finally {
      await polling.close();
    }
  });
  it('pages through a gallery of thousands, keeping one page of cards in the document', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => ({
      objectKey: `bulk/img-${String(i).padStart(5, '0')}.jpg`,
      status: i % 10 === 7 ? ('failed' as const) : ('ready' as const),
      width: 640 + i,
      height: 480,
      dominantColor: '#336699',
    }));
    await seedRows(stack.url, 'imgpipe-images', rows);

    await page.getByRole('tab', { name: 'Gallery' }).click();
    await page.getByLabel('Key prefix', { exact: true }).fill('bulk/');
    const firstKey = (): Promise<string | null> =>
      page.locator('article.card').first().getAttribute('data-key');
    // The prefix applies after a pause in typing; page only once the filtered first page is on screen.
    await page.locator('ul.grid[data-prefix="bulk/"][aria-busy="false"]').waitFor();
    await step(page, 'bulk-first-page', () =>
      page.waitForFunction(
        () => document.querySelector('article.card')?.getAttribute('data-key') === 'bulk/img-00000.jpg',
      ),
    );
    expect(await page.locator('article.card').count()).toBe(48);

    for (let i = 0; i < 3; i += 1) {
      const before = await firstKey();
      await page.getByRole('button', { name: 'Next page' }).click();
      await page.waitForFunction(
        (key) => document.querySelector('article.card')?.getAttribute('data-key') !== key,
        before,
      );
    }
    expect(await firstKey()).toBe('bulk/img-00144.jpg');
    expect(await page.locator('article.card').count()).toBe(48);
    expect(await page.getByTestId('gallery-summary').textContent()).toContain('on page 4');
    await screenshot(page, '08-gallery-thousands-page-4');

    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.waitForFunction(
      () => document.querySelector('article.card')?.getAttribute('data-key') === 'bulk/img-00096.jpg',
    );
    expect(await page.locator('article.card').count()).toBe(48);

    await page.getByLabel('Status').selectOption('failed');
    await page.locator('ul.grid[data-status="failed"][data-prefix="bulk/"][aria-busy="false"]').waitFor();
    await page.waitForFunction(
      () => document.querySelector('article.card')?.getAttribute('data-key') === 'bulk/img-00007.jpg',
    );
    const statuses = await page
      .locator('article.card')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-status')));
    expect(statuses).toHaveLength(48);
    expect(new Set(statuses)).toEqual(new Set(['failed']));
  });
});
