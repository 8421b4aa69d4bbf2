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
      // Exactly one refusal, then the same list again with the fresh token; nothing else was refused.
      expect(answers.slice(0, 4)).toEqual([
        'POST /_imgpipe/api/tokens 201',
        'GET /_api/v1/images 401',
        'POST /_imgpipe/api/tokens 201',
        'GET /_api/v1/images 200',
      ]);
      expect(answers.filter((a) => / 40\d$/.test(a))).toEqual(['GET /_api/v1/images 401']);
      expect(answers).toContain('POST /_api/v1/uploads 201');
    } finally {
      await page.close();
    }
  });
});
