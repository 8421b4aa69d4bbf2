/**
 * The local stack is closed to other web pages, proven in Chromium: a page served from another origin
 * (another loopback port) cannot upload into the source bucket with a form POST, nor redrive the DLQ;
 * the same form from an origin in IMGPIPE_ALLOWED_ORIGINS uploads (so the form itself is sound); another
 * origin cannot get a token from the local issuer or an upload from the image API; the console, on the
 * stack's own origin, still redrives and uploads through the image API.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { readCorpusFile } from '@imgpipe/testing';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { startStack, type RunningStack } from './support/stack';

jest.setTimeout(240_000);

/** A tiny web server for one page on a free loopback port (another origin than the stack). */
async function servePage(html: (origin: string) => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    const address = server.address() as AddressInfo;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html(`http://127.0.0.1:${address.port}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * The page another site would serve: a form that posts a file into the source bucket on load, with the
 * fields of a presigned POST policy when the page has one (as an application's upload page would).
 */
function attackPage(edge: string, key: string, policy: Record<string, string> = {}): string {
  const fields = { key, 'Content-Type': 'image/jpeg', ...policy };
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input name="${name}" value="${value}">`)
    .join('');
  return `<!doctype html><html><body>
<form id="upload" method="POST" action="${edge}/imgpipe-source" enctype="multipart/form-data">
  ${inputs}
  <input type="file" name="file" id="file">
</form>
<script>
  // A form field named "file" is not a file: S3 wants one file part, as a user's file picker gives.
  const picked = new DataTransfer();
  picked.items.add(new File(['not really a photo'], 'photo.jpg', { type: 'image/jpeg' }));
  document.getElementById('file').files = picked.files;
</script></body></html>`;
}

/** A presigned POST for `key` (any key is the local administrator), as the image API hands out. */
async function presignedFields(endpoint: string, key: string): Promise<Record<string, string>> {
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'admin', secretAccessKey: 'admin' },
  });
  const { fields } = await createPresignedPost(s3, {
    Bucket: 'imgpipe-source',
    Key: key,
    Fields: { 'Content-Type': 'image/jpeg' },
    Conditions: [['content-length-range', 1, 1024]],
    Expires: 300,
  });
  s3.destroy();
  const { key: _key, ...rest } = fields;
  return rest;
}

/** Submits the page's form and returns the status of the answer the browser got (a 204 does not navigate). */
async function submitForm(
  page: Page,
  url: string,
  action: string,
): Promise<{ status: number; body: string }> {
  await page.goto(url);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url() === action && r.request().method() === 'POST'),
    page.evaluate(() => (document.getElementById('upload') as HTMLFormElement).submit()),
  ]);
  return { status: response.status(), body: await response.text().catch(() => '') };
}

async function objectStatus(stack: RunningStack, key: string): Promise<number> {
  return (await fetch(`${stack.url}/imgpipe-source/${key}`, { method: 'HEAD' })).status;
}

async function dlqDepth(stack: RunningStack): Promise<number> {
  const body = (await (await fetch(`${stack.url}/_imgpipe/api/dlq`)).json()) as { items: unknown[] };
  return body.items.length;
}

describe('other web pages cannot use the local stack', () => {
  let browser: Browser;
  let stack: RunningStack;
  let dataDir: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-console-origin-'));
    // One parked event, written where the stack keeps its dead letters, so a redrive has something to do.
    mkdirSync(join(dataDir, 'dlq'), { recursive: true });
    const now = new Date().toISOString();
    writeFileSync(
      join(dataDir, 'dlq', 'parked-1.json'),
      JSON.stringify({
        id: 'parked-1',
        function: 'reconcile',
        event: { source: 'aws.events', 'detail-type': 'Scheduled Event', time: now, detail: {} },
        error: { type: 'Error', message: 'parked for the test' },
        attempts: 3,
        firstAttemptAt: now,
        failedAt: now,
      }),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    for (const server of servers) server.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a form upload and a redrive from another origin; allows an allowed origin and the console', async () => {
    let policy: Record<string, string> = {};
    const allowed = await servePage(() => attackPage(edge(), 'allowed/upload.jpg', policy));
    servers.push(allowed.server);
    stack = await startStack({ dataDir, fresh: false, env: { IMGPIPE_ALLOWED_ORIGINS: allowed.origin } });
    const edge = (): string => stack.url;
    policy = await presignedFields(stack.url, 'allowed/upload.jpg');
    const foreign = await servePage(() => attackPage(edge(), 'attack/evil.jpg'));
    servers.push(foreign.server);
    const page = await browser.context.newPage();

    // Another site's form POST into the source bucket: refused, nothing stored.
    const refused = await submitForm(page, foreign.origin, `${stack.url}/imgpipe-source`);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('<Code>AccessDenied</Code>');
    expect(await objectStatus(stack, 'attack/evil.jpg')).toBe(404);

    // Another site's redrive (a no-cors POST, the kind a page may send anywhere): refused, the DLQ keeps its entry.
    await page.goto(foreign.origin);
    const redrive = await page.evaluate(async (url) => {
      try {
        await fetch(url, { method: 'POST', mode: 'no-cors', body: '{}' });
        return 'sent';
      } catch (error) {
        return String(error);
      }
    }, `${stack.url}/_imgpipe/api/dlq/redrive`);
    expect(redrive).toBe('sent');
    expect(await dlqDepth(stack)).toBe(1);

    // The same form from an origin in IMGPIPE_ALLOWED_ORIGINS is accepted: the refusal above is the guard.
    expect(await submitForm(page, allowed.origin, `${stack.url}/imgpipe-source`)).toEqual({
      status: 204,
      body: '',
    });
    expect(await objectStatus(stack, 'allowed/upload.jpg')).toBe(200);

    // The console, on the stack's own origin, still redrives.
    await page.goto(`${stack.url}/_imgpipe/#dlq`);
    await page.locator('table.dlq-table tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Redrive all' }).click();
    await page
      .getByTestId('redrive-result')
      .getByText(/Redriven 1 event/)
      .waitFor();
    expect(await page.getByTestId('redrive-result').textContent()).toMatch(/Redriven 1 event/);

    // Another site's script can neither read a token from the local issuer nor ask the image API for an upload.
    await page.goto(foreign.origin);
    const fromForeign = await page.evaluate(async (edgeUrl) => {
      const outcomes: string[] = [];
      for (const [path, body] of [
        ['/_imgpipe/api/tokens', '{}'],
        ['/_api/v1/uploads', '{"filename":"evil.jpg","contentType":"image/jpeg","bytes":10}'],
      ] as const) {
        try {
          const res = await fetch(`${edgeUrl}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          outcomes.push(`HTTP ${res.status}`);
        } catch {
          outcomes.push('blocked');
        }
      }
      return outcomes;
    }, stack.url);
    expect(fromForeign).toEqual(['blocked', 'blocked']);

    // The console, on the stack's own origin, uploads through the image API.
    await page.goto(`${stack.url}/_imgpipe/`);
    await page.setInputFiles('#file-input', {
      name: 'console.jpg',
      mimeType: 'image/jpeg',
      buffer: readCorpusFile('sharp-fixtures/320x240.jpg'),
    });
    await page.locator('.uploads li[data-key="u/local-user/console.jpg"][data-state="uploaded"]').waitFor();
    expect(await objectStatus(stack, 'u/local-user/console.jpg')).toBe(200);
  });
});
