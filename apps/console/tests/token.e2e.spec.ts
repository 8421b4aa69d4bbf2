/**
 * The console's token in a real browser against the real local stack and its JWT authorizer: a token the
 * API refuses (here: one whose signature no longer verifies) is dropped, a fresh one is fetched, and the
 * request is retried once, so the gallery loads and uploads work.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFile } from '@imgpipe/testing';
import { launchChromium, type Browser } from './support/chromium';
import { card, step } from './support/page';
import { artifactsDir } from './support/paths';
import { startStack, type RunningStack } from './support/stack';

jest.setTimeout(240_000);

describe("the console's token", () => {
  let browser: Browser;
  let stack: RunningStack;
  let dataDir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-console-token-'));
    stack = await startStack({ dataDir });
  });

  afterAll(async () => {
    stack?.saveLog(join(artifactsDir(), 'local-stack-token.log'));
    await browser?.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('drops a token the API answers 401 to, fetches a fresh one and retries once', async () => {
    const page = await browser.context.newPage();
    // The first token the console gets has a broken signature (as a token signed by a rotated key would):
    // nothing in it tells the console, only the API's authorizer refuses it.
    let tokenRequests = 0;
    await page.route('**/_imgpipe/api/tokens', async (route) => {
      tokenRequests += 1;
      const response = await route.fetch();
      const body = (await response.json()) as { token: string };
      const broken = `${body.token.slice(0, -4)}${body.token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
      const token = tokenRequests === 1 ? broken : body.token;
      await route.fulfill({ response, json: { ...body, token } });
    });
    const answers: string[] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith('/_api/') || url.pathname === '/_imgpipe/api/tokens')
        answers.push(`${response.request().method()} ${url.pathname} ${response.status()}`);
    });
    try {
      await page.goto(`${stack.url}/_imgpipe/`);
      await step(page, 'token-refreshed', () =>
        page.locator('ul.grid[aria-busy="false"]').waitFor({ state: 'attached' }),
      );
      await page.setInputFiles('#file-input', {
        name: 'fresh.jpg',
        mimeType: 'image/jpeg',
        buffer: readFileSync(corpusFile('sharp-fixtures/320x240.jpg')),
      });
      await step(page, 'ready-with-fresh-token', () =>
        page.locator(`${card('u/local-user/fresh.jpg')}[data-status="ready"]`).waitFor({ timeout: 90_000 }),
      );

      expect(tokenRequests).toBe(2);
      // Only the broken token was refused: every 401 is a list the gallery sent with it (one per list in
      // flight; a polling tick may send a second before the stream connects), answered before or while the
      // fresh token was fetched, and everything after the last refusal succeeded with the fresh token.
      const refusals = answers.filter((a) => / [45]\d\d$/.test(a));
      expect(refusals.length).toBeGreaterThanOrEqual(1);
      expect(new Set(refusals)).toEqual(new Set(['GET /_api/v1/images 401']));
      expect(answers[0]).toBe('POST /_imgpipe/api/tokens 201');
      const freshToken = answers.indexOf('POST /_imgpipe/api/tokens 201', 1);
      expect(freshToken).toBeGreaterThan(answers.indexOf('GET /_api/v1/images 401'));
      const afterRefusals = answers.slice(answers.lastIndexOf('GET /_api/v1/images 401') + 1);
      expect(afterRefusals.filter((a) => !/ 2\d\d$/.test(a))).toEqual([]);
      expect(afterRefusals).toContain('GET /_api/v1/images 200');
      expect(afterRefusals).toContain('POST /_api/v1/uploads 201');
    } finally {
      await page.close();
    }
  });
});
