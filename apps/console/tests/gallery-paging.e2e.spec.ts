/**
 * A gallery of thousands in a real browser against the real local stack: 1500 rows of the console user's
 * folder, written straight into the table, listed through the image API one "Load more" at a time with its
 * opaque cursor, by key and by status.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { screenshot, step } from './support/page';
import { artifactsDir } from './support/paths';
import { seedRows } from './support/seed';
import { startStack, type RunningStack } from './support/stack';

jest.setTimeout(240_000);

/** The console's user is the local stack's default user. */
const FOLDER = 'u/local-user/';

describe('the gallery over thousands of images', () => {
  let browser: Browser;
  let stack: RunningStack;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-console-paging-'));
    stack = await startStack({ dataDir });
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    stack?.saveLog(join(artifactsDir(), 'local-stack-paging.log'));
    await browser?.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads a gallery of thousands page by page with the API cursor', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => ({
      objectKey: `${FOLDER}bulk-${String(i).padStart(5, '0')}.jpg`,
      status: i % 10 === 7 ? ('failed' as const) : ('ready' as const),
      width: 640 + i,
      height: 480,
      dominantColor: '#336699',
    }));
    await seedRows(stack.url, 'imgpipe-images', rows);
    const keys = (): Promise<(string | null)[]> =>
      page.locator('article.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-key')));

    await page.goto(`${stack.url}/_imgpipe/`);
    await page.getByLabel('Name starts with').fill('bulk-');
    // The name applies after a pause in typing; load more only once the filtered first page is on screen.
    await page.locator('ul.grid[data-name="bulk-"][aria-busy="false"]').waitFor();
    await step(page, 'bulk-first-page', () =>
      page.waitForFunction(
        () =>
          document.querySelector('article.card')?.getAttribute('data-key') === 'u/local-user/bulk-00000.jpg',
      ),
    );
    expect(await page.locator('article.card').count()).toBe(48);

    for (let shown = 96; shown <= 144; shown += 48) {
      await page.getByRole('button', { name: 'Load more' }).click();
      await page
        .locator('article.card')
        .nth(shown - 1)
        .waitFor();
    }
    expect(await keys()).toEqual(rows.slice(0, 144).map((r) => r.objectKey));
    expect(await page.getByTestId('gallery-summary').textContent()).toMatch(
      /^144 images shown, more to load/,
    );
    await screenshot(page, '08-gallery-thousands-loaded-3-pages');

    await page.getByLabel('Status').selectOption('failed');
    await page.locator('ul.grid[data-status="failed"][data-name="bulk-"][aria-busy="false"]').waitFor();
    await page.locator('article.card').nth(47).waitFor();
    const statuses = await page
      .locator('article.card')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-status')));
    expect(statuses).toHaveLength(48);
    expect(new Set(statuses)).toEqual(new Set(['failed']));
    // Every seeded failure, whatever order the API gives rows of the same updatedAt.
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.locator('article.card').nth(95).waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.locator('article.card').nth(143).waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.locator('article.card').nth(149).waitFor();
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    expect((await keys()).sort()).toEqual(rows.filter((r) => r.status === 'failed').map((r) => r.objectKey));
  });
});
