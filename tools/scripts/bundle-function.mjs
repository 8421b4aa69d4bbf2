#!/usr/bin/env node
// Bundles one Lambda handler into a single ES module: apps/<fn>/src/handler.ts → apps/<fn>/dist/<fn>.mjs.
// The bundle, not the TypeScript source, is what the local stack and the container image run.
// Usage: node tools/scripts/bundle-function.mjs <resize|metadata-sync|reconcile|api|render>
import { build } from 'esbuild';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
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

/**
 * `import { z } from 'zod'` binds zod's `z` namespace object, which esbuild must build whole: every
 * locale of zod 4 comes with it (43% of a handler bundle). `import * as z from 'zod'` is the same
 * API as a namespace import, whose unused members esbuild drops. This rewrites the first form into
 * the second in our sources and in dependencies (Powertools' parser uses it in 30+ files).
 */
const ZOD_NAMED = /import\s*\{([^}]*)\}\s*from\s*(['"])zod\2;?/g;
function rewriteZodImports(source) {
  return source.replace(ZOD_NAMED, (statement, names, quote) => {
    const specifiers = names
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    if (!specifiers.includes('z')) return statement;
    const others = specifiers.filter((name) => name !== 'z');
    const rest = others.length > 0 ? ` import { ${others.join(', ')} } from ${quote}zod${quote};` : '';
    return `import * as z from ${quote}zod${quote};${rest}`;
  });
}

const zodNamespaceImports = {
  name: 'zod-namespace-imports',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('zod')) return undefined;
      const contents = rewriteZodImports(source);
      if (contents === source) return undefined;
      return { contents, loader: /\.m?ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
};

/**
 * Node's built-in modules as CommonJS `require`s instead of ES `import`s. An ES import of a built-in
 * goes through its ES-module facade, which reads every export once: on Node 22 that runs `node:http`'s
 * lazy `WebSocket`/`CloseEvent`/`MessageEvent` getters, which load all of undici (fetch, WebSocket) at
 * start-up although no handler uses it. `require` returns the same object and reads nothing. Dynamic
 * `import('node:http')` (the SDK's HTTP handler, on its first plain-HTTP request) becomes the same
 * `require` behind a resolved promise.
 */
const builtinsAsRequire = {
  name: 'builtins-as-require',
  setup(pluginBuild) {
    const names = new Set(builtinModules.filter((m) => !m.startsWith('_')));
    pluginBuild.onResolve({ filter: /^(node:)?[a-z_/0-9]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (!names.has(name) || !['import-statement', 'dynamic-import'].includes(args.kind)) return undefined;
      return { path: name, namespace: 'builtin-require' };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
      loader: 'js',
    }));
  },
};

const started = Date.now();
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // IMGPIPE_BUNDLE_MINIFY=0 keeps names and esbuild's per-module comments, for CPU profiles
  // (tools/bench/src/e2e-profile.ts builds that way, then back).
  minify: process.env['IMGPIPE_BUNDLE_MINIFY'] !== '0',
  keepNames: process.env['IMGPIPE_BUNDLE_MINIFY'] === '0',
  sourcemap: false,
  legalComments: 'none',
  // ES-module builds of dependencies (the AWS SDK's dist-es) tree-shake and load faster.
  mainFields: ['module', 'main'],
  // sharp and koffi load native addons: they stay real dependencies of the image (and of node_modules here).
  external: ['sharp', 'koffi'],
  plugins: [zodNamespaceImports, builtinsAsRequire],
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
