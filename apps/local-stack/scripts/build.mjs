// Bundles the npm start entry (src/main.ts) into dist/main.mjs. The emulators stay external:
// they load their own files (and LevelDB's native binding) from node_modules; so does esbuild, which
// builds the workers' runner when the stack starts.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile: join(root, 'dist', 'main.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: ['s3rver', 'dynalite', 'esbuild', '@aws-sdk/*', '@smithy/*'],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
