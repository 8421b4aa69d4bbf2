import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The one line a machine without Chromium sees, saying how to get it. */
export const CHROMIUM_MISSING =
  "Chromium not found: install Debian's chromium (as root: apt-get update && apt-get install -y chromium, or run apps/console/scripts/ensure-chromium.sh) or set CHROMIUM_PATH to its executable.";

/** Flags for headless Chromium on a closed network: nothing phones home, nothing waits for a GPU. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
] as const;

const NAMES = ['chromium', 'chromium-browser'] as const;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds Chromium: `CHROMIUM_PATH` when set (and executable), else `chromium` or `chromium-browser` on `PATH`.
 * Throws an `Error` whose message is exactly `CHROMIUM_MISSING` when there is none.
 */
export function findChromium(
  env: Readonly<Record<string, string | undefined>> = process.env,
  executable: (path: string) => boolean = isExecutable,
): string {
  const explicit = env['CHROMIUM_PATH'];
  if (explicit) {
    if (executable(explicit)) return explicit;
    throw new Error(`${CHROMIUM_MISSING} (CHROMIUM_PATH=${explicit} is not an executable file)`);
  }
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const candidate = join(dir, name);
      if (executable(candidate)) return candidate;
    }
  }
  const error = new Error(CHROMIUM_MISSING);
  // One line is the whole point: no stack trace under it.
  error.stack = CHROMIUM_MISSING;
  throw error;
}

/** A headless Chromium with a fresh profile directory that is removed on close. */
export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Debian's Chromium through playwright-core with a fresh `--user-data-dir`. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  const profile = mkdtempSync(join(tmpdir(), 'imgpipe-console-chromium-'));
  // Playwright passes the profile directory as --user-data-dir itself.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: [...CHROMIUM_ARGS],
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
