#!/usr/bin/env node
// Bundles one Lambda handler into ES modules: apps/<fn>/src/handler.ts → apps/<fn>/dist/<fn>.mjs, plus
// chunks under apps/<fn>/dist/chunks/ for what the code loads with a dynamic import() (see below), and
// apps/<fn>/dist/<fn>.files.json naming every file and whether the import loads it.
// The bundle, not the TypeScript source, is what the local stack and the container image run.
// Usage: node tools/scripts/bundle-function.mjs <resize|metadata-sync|reconcile|api|render>
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
const outdir = join(root, 'apps', fn, 'dist');
const outfile = join(outdir, `${fn}.mjs`);
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

/**
 * Powertools' parser publishes no `sideEffects` flag, so importing one schema from its
 * `@aws-lambda-powertools/parser/schemas` index kept every schema module it re-exports and built all
 * of them at import (ALB, API Gateway, AppSync, Cognito, DynamoDB, Kafka, Kinesis, SES, ...: about
 * 25 modules of zod schemas; our handlers parse S3, SQS, EventBridge and function-URL events). Its
 * schema modules only declare schemas (no top-level statement but imports, `const` and `export`), so
 * marking them side-effect free lets esbuild keep only the modules whose schemas are used.
 */
const POWERTOOLS_SCHEMAS =
  /[\\/]@aws-lambda-powertools[\\/]parser[\\/]lib[\\/]esm[\\/](schemas|helpers)[\\/][^\\/]+\.js$/;
const powertoolsSchemasSideEffectFree = {
  name: 'powertools-schemas-side-effect-free',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(@aws-lambda-powertools\/parser\/|\.)/ }, async (args) => {
      if (args.pluginData === 'powertools-schemas') return undefined;
      if (args.path.startsWith('.') && !POWERTOOLS_SCHEMAS.test(args.importer)) return undefined;
      const resolved = await pluginBuild.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'powertools-schemas',
      });
      if (resolved.errors.length > 0 || !POWERTOOLS_SCHEMAS.test(resolved.path)) return undefined;
      return { path: resolved.path, sideEffects: false };
    });
  },
};

/**
 * An AWS SDK client's `schemas/schemas_0.js` declares the schema of every operation of the service
 * (S3: ~480 arrays, 137 KiB), each `export var X$ = [...]`. esbuild keeps every one holding an object
 * with a computed key (`{ [_hH]: _IM_ }`: it cannot prove the key's conversion to a string pure),
 * so S3's bundle kept ~65 KiB of schemas of operations we never call, all built at import. Each array
 * becomes a call to an arrow function returning it, annotated `@__PURE__`: the same array, built at the same point, which esbuild may
 * drop when nothing uses it. The rewrite is checked: if the file's shape ever changes (an SDK update),
 * the file is bundled as it is and the build warns.
 */
const SDK_SCHEMAS = /[\\/]@aws-sdk[\\/]client-[a-z0-9-]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;
const SCHEMA_DECLARATION = /^export var ([A-Za-z0-9_$]+) = \[(?:[^\n]*\];$|(?![^\n]*\];$)[\s\S]*?^\];$)/gm;
const sdkSchemasPure = {
  name: 'sdk-schemas-pure',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: SDK_SCHEMAS }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const declarations = source.match(/^export var /gm)?.length ?? 0;
      let wrapped = 0;
      const contents = source.replace(SCHEMA_DECLARATION, (declaration, name) => {
        wrapped += 1;
        const array = declaration.slice(`export var ${name} = `.length, -1);
        return `export var ${name} = /* @__PURE__ */ (() => ${array})();`;
      });
      if (wrapped === declarations) return { contents, loader: 'js' };
      return {
        contents: source,
        loader: 'js',
        warnings: [
          { text: `sdk-schemas-pure: ${wrapped} of ${declarations} schemas matched; bundled unchanged` },
        ],
      };
    });
  },
};

const started = Date.now();
const result = await build({
  entryPoints: [entry],
  outdir,
  entryNames: fn,
  // Code splitting: what the handler reaches only through a dynamic import() becomes a chunk that is
  // read and compiled only when that import runs, not at every cold start. Such code: resize's
  // CloudFront client (a deleted image's invalidation), and the SDK's credential providers other
  // than the environment's (SSO, INI, process, web identity, container/instance metadata, with
  // their STS/SSO clients): the default chain tries the environment first and imports the others
  // only when it holds no credentials, which never happens on Lambda (it sets them, container
  // images included) nor in the local stack's workers. Code shared by both sides goes in a chunk the
  // entry imports statically.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  metafile: true,
  // Written below, each file atomically: tests and the image assembler may read dist/ while another
  // process (a test's own build, `nx`) bundles the same function.
  write: false,
  // The metafile's paths are relative to this.
  absWorkingDir: root,
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
  plugins: [zodNamespaceImports, builtinsAsRequire, powertoolsSchemasSideEffectFree, sdkSchemasPure],
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

/**
 * Every output file, relative to dist/, split by when it is loaded: `atImport`, the entry and every
 * chunk it imports statically (what a cold start reads and compiles); `onDemand`, the chunks only a
 * dynamic import() reaches. The image context copies exactly these; the bench sums `atImport`.
 */
const outputs = result.metafile.outputs;
const key = (path) => relative(outdir, join(root, path)).split('\\').join('/');
const entryOutput = relative(root, outfile).split('\\').join('/');
const atImport = new Set();
const visit = (path) => {
  if (atImport.has(path)) return;
  atImport.add(path);
  for (const imported of outputs[path].imports)
    if (imported.kind === 'import-statement' && outputs[imported.path]) visit(imported.path);
};
visit(entryOutput);
const bytes = (paths) => paths.reduce((sum, path) => sum + outputs[path].bytes, 0);
const all = Object.keys(outputs);
const onDemand = all.filter((path) => !atImport.has(path));
const files = {
  entry: key(entryOutput),
  atImport: [...atImport].map(key).sort(),
  onDemand: onDemand.map(key).sort(),
  atImportBytes: bytes([...atImport]),
  onDemandBytes: bytes(onDemand),
};
/**
 * Replaces `path` by `contents` in one rename (a reader sees the old file or the new one, never a
 * partial one), and not at all when it already holds them (chunks are named by content hash).
 */
function writeAtomically(path, contents) {
  if (existsSync(path) && readFileSync(path).equals(contents)) return;
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}
for (const output of result.outputFiles) writeAtomically(output.path, Buffer.from(output.contents));
writeAtomically(join(outdir, `${fn}.files.json`), Buffer.from(`${JSON.stringify(files, null, 2)}\n`));
// Chunks are named by content hash: a stale one from an earlier build must not ship. Removed only once
// this build's files are all in place, so a concurrent reader never misses a chunk of the same build.
const current = new Set([...files.atImport, ...files.onDemand]);
const chunksDir = join(outdir, 'chunks');
if (existsSync(chunksDir)) {
  for (const name of readdirSync(chunksDir)) {
    if (!current.has(`chunks/${name}`) && !name.endsWith('.tmp'))
      rmSync(join(chunksDir, name), { force: true });
  }
}
const kib = (n) => Math.round(n / 1024);
console.log(
  `bundled ${relative(root, outfile)} in ${Date.now() - started} ms: ${kib(files.atImportBytes)} KiB loaded at import (${files.atImport.length} files), ${kib(files.onDemandBytes)} KiB on demand (${files.onDemand.length} chunks)`,
);
