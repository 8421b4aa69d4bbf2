#!/usr/bin/env node
// The `imgpipe` command. Runs the esbuild bundle, building it first when it is missing (a fresh clone
// after `npm ci` has no dist/) or older than any source it bundles (after a pull or an edit).
// `IMGPIPE_CLI_REBUILD=1` forces a rebuild.
'use strict';
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const bundle = join(__dirname, '..', 'dist', 'imgpipe.cjs');
const root = join(__dirname, '..', '..', '..');

/** The newest modification time of the TypeScript sources under `dir` (0 when it does not exist). */
function newest(dir) {
  let latest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (/\.tsx?$/.test(entry.name)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

function stale() {
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  const sources = [join(root, 'apps', 'cli', 'src')];
  for (const lib of readdirSync(join(root, 'libs'))) sources.push(join(root, 'libs', lib, 'src'));
  return sources.some((dir) => newest(dir) > built);
}

async function main() {
  if (process.env.IMGPIPE_CLI_REBUILD === '1' || stale()) {
    const { buildCli } = await import(pathToFileURL(join(__dirname, '..', 'build.mjs')).href);
    await buildCli();
  }
  require(bundle);
}

main().catch((error) => {
  process.stderr.write(
    `imgpipe: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
