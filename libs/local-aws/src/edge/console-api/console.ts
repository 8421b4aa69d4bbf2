import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import { contentType } from 'mime-types';

/** The page shown when the console has not been built. */
export const CONSOLE_NOT_BUILT = 'console not built: run npx nx build console';

/**
 * Serves the console's static build under `/_imgpipe/`, with `index.html` for any path that is not a
 * file (client-side routes), or a plain page saying how to build it.
 */
export function serveConsole(consoleDir: string, relativePath: string, res: ServerResponse): void {
  const index = join(consoleDir, 'index.html');
  if (!existsSync(index)) {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`${CONSOLE_NOT_BUILT}\n`);
    return;
  }
  const root = resolve(consoleDir);
  let file = resolve(root, normalize(decodeURIComponent(relativePath)).replace(/^([/\\])+/, ''));
  if (file !== root && !file.startsWith(root + sep)) file = index;
  if (!existsSync(file) || !statSync(file).isFile()) file = index;
  res.writeHead(200, {
    'content-type': contentType(file.slice(file.lastIndexOf(sep) + 1)) || 'application/octet-stream',
  });
  createReadStream(file).pipe(res);
}
