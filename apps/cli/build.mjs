// Bundles the CLI into dist/imgpipe.cjs. Used by `npm run build -w apps/cli` and, on first use,
// by bin/imgpipe.cjs (a fresh clone has no dist/).
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const commandsDir = join(root, 'src', 'commands');
export const outfile = join(root, 'dist', 'imgpipe.cjs');

/**
 * `import commands from 'imgpipe:commands'` becomes every file in src/commands, so adding a
 * command is adding one file there: nobody edits a shared registry.
 */
const commandsPlugin = {
  name: 'imgpipe-commands',
  setup(builder) {
    builder.onResolve({ filter: /^imgpipe:commands$/ }, () => ({
      path: 'commands',
      namespace: 'imgpipe-commands',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'imgpipe-commands' }, async () => {
      const files = (await readdir(commandsDir))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.endsWith('.d.ts'))
        .sort();
      const imports = files.map((f, i) => `import c${i} from ${JSON.stringify(join(commandsDir, f))};`);
      return {
        contents: `${imports.join('\n')}\nexport default [${files.map((_, i) => `c${i}`).join(', ')}];`,
        resolveDir: commandsDir,
        loader: 'ts',
        watchDirs: [commandsDir],
      };
    });
  },
};

/** Builds the bundle; resolves when dist/imgpipe.cjs is written. */
export async function buildCli() {
  await build({
    entryPoints: [join(root, 'src', 'main.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // sharp loads a native addon and its libvips; it is resolved from node_modules at run time.
    external: ['sharp'],
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [commandsPlugin],
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildCli();
}
