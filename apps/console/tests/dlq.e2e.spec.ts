/**
 * The dead-letter queue view in a real browser against the real local stack: events parked by failing
 * functions (injected faults), then redriven after a restart without faults.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFile } from '@imgpipe/testing';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { card, loadedImageSize, screenshot, step, unnamedElements } from './support/page';
import { artifactsDir } from './support/paths';
import { startStack, type RunningStack } from './support/stack';

jest.setTimeout(240_000);

const PHOTO = 'sharp-fixtures/320x240.jpg';
const PIPELINE_MS = 90_000;

describe('the dead-letter queue in the console', () => {
  let browser: Browser;
  let stack: RunningStack | undefined;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-console-dlq-'));
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    stack?.saveLog(join(artifactsDir(), 'local-stack-dlq.log'));
    await browser?.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows events parked by failing functions and redrives them to success', async () => {
    // Every S3/DynamoDB call the functions make fails, with retries a few milliseconds apart.
    stack = await startStack({
      dataDir,
      env: { IMGPIPE_FAULT_RATE: '1', IMGPIPE_RETRY_DELAY_SCALE: '0.001' },
    });
    await page.goto(`${stack.url}/_imgpipe/#dlq`);
    await page.getByTestId('dlq-empty').waitFor();
    await page.getByRole('tab', { name: /Gallery/ }).click();
    await page.setInputFiles('#file-input', corpusFile(PHOTO));
    // Through the image API (its presigned POST needs no function's credentials, so no fault applies).
    await page.locator('.uploads li[data-name="320x240.jpg"][data-state="uploaded"]').waitFor();
    await page.getByRole('tab', { name: /Dead-letter queue/ }).click();
    await step(page, 'dlq-parked', () =>
      page.locator('table.dlq-table tbody tr').nth(1).waitFor({ timeout: PIPELINE_MS }),
    );
    const functions = await page.locator('table.dlq-table tbody tr td:nth-child(2)').allTextContents();
    const errors = await page.locator('table.dlq-table .dlq-error').allTextContents();
    await screenshot(page, '05-dlq-parked');
    expect(await unnamedElements(page)).toEqual([]);
    expect(functions.sort()).toEqual(['metadata-sync', 'resize']);
    for (const text of errors)
      expect(text).toMatch(/SlowDown|InternalError|ProvisionedThroughputExceeded|InternalServerError/);

    // The faults stop (a restart without them); the parked events are still there, and redrive succeeds.
    await stack.stop();
    stack = await startStack({ dataDir, fresh: false });
    await page.goto(`${stack.url}/_imgpipe/#dlq`);
    await page.locator('table.dlq-table tbody tr').nth(1).waitFor();
    await page
      .getByRole('checkbox', { name: /Select event/ })
      .first()
      .check();
    expect(await page.getByRole('button', { name: 'Redrive selected (1)' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Redrive all' }).click();
    await step(page, 'redriven', () =>
      page.getByTestId('redrive-result').getByText('Redriven 2 events').waitFor(),
    );
    await step(page, 'dlq-empty', () => page.getByTestId('dlq-empty').waitFor({ timeout: 30_000 }));
    await screenshot(page, '06-dlq-redriven');

    await page.getByRole('tab', { name: 'Gallery' }).click();
    await step(page, 'redriven-ready', () =>
      page
        .locator(`${card('u/local-user/320x240.jpg')}[data-status="ready"]`)
        .waitFor({ timeout: PIPELINE_MS }),
    );
    const thumb = await loadedImageSize(page, `${card('u/local-user/320x240.jpg')} img`);
    await screenshot(page, '07-gallery-after-redrive');
    expect(thumb).toEqual({ width: 128, height: 128 });
  });
});
