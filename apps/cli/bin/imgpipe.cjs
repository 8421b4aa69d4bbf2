#!/usr/bin/env node
// The `imgpipe` command. Runs the esbuild bundle, building it first when it is missing
// (a fresh clone after `npm ci` has no dist/). `IMGPIPE_CLI_REBUILD=1` forces a rebuild.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const bundle = join(__dirname, '..', 'dist', 'imgpipe.cjs');

async function main() {
  if (!existsSync(bundle) || process.env.IMGPIPE_CLI_REBUILD === '1') {
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
