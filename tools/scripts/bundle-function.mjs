#!/usr/bin/env node
// Bundles one Lambda handler into a single ES module: apps/<fn>/src/handler.ts → apps/<fn>/dist/<fn>.mjs.
// The bundle, not the TypeScript source, is what the local stack and the container image run.
// Usage: node tools/scripts/bundle-function.mjs <resize|metadata-sync|reconcile|api|render>
import { build } from 'esbuild';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const FUNCTIONS = ['resize', 'metadata-sync', 'reconcile', 'api', 'render'];
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fn = process.argv[2];
if (!FUNCTIONS.includes(fn)) {
  console.error(
    `Expected one of ${FUNCTIONS.join(', ')} but received ${fn === undefined ? 'nothing' : `"${fn}"`}`,
  );
  process.exit(2);
}
const entry = join(root, 'apps', fn, 'src', 'handler.ts');
const outfile = join(root, 'apps', fn, 'dist', `${fn}.mjs`);
if (!existsSync(entry)) {
  console.error(`Expected the handler at ${relative(root, entry)} but it does not exist`);
  process.exit(2);
}

const started = Date.now();
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  // ES-module builds of dependencies (the AWS SDK's dist-es) tree-shake and load faster.
  mainFields: ['module', 'main'],
  // sharp loads a native addon: it stays a real dependency of the image (and of node_modules here).
  external: ['sharp'],
  // CommonJS dependencies inside an ES module still need require, __filename and __dirname.
  banner: {
    js: [
      "import { createRequire as __imgpipeCreateRequire } from 'node:module';",
      "import { fileURLToPath as __imgpipeFileURLToPath } from 'node:url';",
      "import { dirname as __imgpipeDirname } from 'node:path';",
      'const require = __imgpipeCreateRequire(import.meta.url);',
      'const __filename = __imgpipeFileURLToPath(import.meta.url);',
      'const __dirname = __imgpipeDirname(__filename);',
    ].join('\n'),
  },
  logLevel: 'warning',
});
const kb = Math.round(statSync(outfile).size / 1024);
console.log(`bundled ${relative(root, outfile)} (${kb} KiB) in ${Date.now() - started} ms`);
