import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from './paths';

/** Saves a full-page screenshot as a test artifact and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(artifactsDir(), `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Runs a step; when it fails, keeps a screenshot named after it before rethrowing. */
export async function step<T>(page: Page, name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await screenshot(page, `FAILED-${name}`).catch(() => undefined);
    throw error;
  }
}

/** Drops a local file on the element, as a person dragging it from their file manager would. */
export async function dropFile(page: Page, selector: string, file: string, type: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, base64, mime }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: mime }));
      return transfer;
    },
    { name: basename(file), base64: readFileSync(file).toString('base64'), mime: type },
  );
  for (const event of ['dragenter', 'dragover', 'drop'])
    await page.dispatchEvent(selector, event, { dataTransfer });
  await dataTransfer.dispose();
}

/**
 * Drops a file made inside the page (`size` zero bytes, any declared type), for sizes a test should not
 * ship over the wire to the browser.
 */
export async function dropGeneratedFile(
  page: Page,
  selector: string,
  file: { readonly name: string; readonly type: string; readonly size: number },
): Promise<void> {
  const dataTransfer = await page.evaluateHandle(({ name, type, size }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(size)], name, { type }));
    return transfer;
  }, file);
  for (const event of ['dragenter', 'dragover', 'drop'])
    await page.dispatchEvent(selector, event, { dataTransfer });
  await dataTransfer.dispose();
}

/** The requests a page sends to the stack, as `METHOD /path` (no query), in order. */
export function recordRequests(page: Page, origin: string): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === origin) seen.push(`${request.method()} ${url.pathname}`);
  });
  return seen;
}

/** The card of one source key in the gallery. */
export function card(key: string): string {
  return `article.card[data-key="${key}"]`;
}

/** Waits until the image inside `selector` has loaded real pixels; returns its natural size. */
export async function loadedImageSize(
  page: Page,
  selector: string,
  timeout = 30_000,
): Promise<{ width: number; height: number }> {
  const handle = await page.waitForFunction(
    (sel) => {
      const img = document.querySelector<HTMLImageElement>(sel);
      return img && img.complete && img.naturalWidth > 0
        ? { width: img.naturalWidth, height: img.naturalHeight }
        : null;
    },
    selector,
    { timeout },
  );
  return (await handle.jsonValue()) as { width: number; height: number };
}

/**
 * Controls and images on the page that a screen reader could not name: buttons, inputs, selects and tabs
 * without a label, `img` without `alt`, and SVG images without `aria-label`. Returns short descriptions.
 */
export function unnamedElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: Element): string =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('class') ? `.${el.getAttribute('class')?.split(' ')[0]}` : ''}`;
    const nameOf = (el: Element): string => {
      const aria = el.getAttribute('aria-label');
      if (aria) return aria;
      const by = el.getAttribute('aria-labelledby');
      if (by)
        return by
          .split(' ')
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' ');
      const labels = (el as HTMLInputElement).labels;
      if (labels && labels.length > 0) return [...labels].map((l) => l.textContent ?? '').join(' ');
      if (el.tagName === 'BUTTON' || el.getAttribute('role') === 'tab') return el.textContent ?? '';
      return el.getAttribute('title') ?? '';
    };
    for (const el of document.querySelectorAll(
      'button, input:not([type=hidden]), select, textarea, [role=tab]',
    )) {
      if (nameOf(el).trim() === '') problems.push(describe(el));
    }
    for (const img of document.querySelectorAll('img'))
      if (!img.hasAttribute('alt')) problems.push(describe(img));
    for (const svg of document.querySelectorAll('svg[role=img]'))
      if (!svg.getAttribute('aria-label')) problems.push(describe(svg));
    return problems;
  });
}
