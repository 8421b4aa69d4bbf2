/**
 * `nx run lambda-image:build [-- --arch arm64|x64] [--sharp registry|workspace] [--out <dir>] [--base-image <image>]`:
 * assembles the image build context (default `tools/lambda-image/dist/context`, arm64, sharp from the
 * npm registry) and writes `context.json` (size, hash) beside it.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assembleContext } from './assemble';
import { ImageContextError } from './errors';
import { ARCHES, type Arch } from './sharp';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      arch: { type: 'string', default: 'arm64' },
      sharp: { type: 'string', default: 'registry' },
      out: { type: 'string' },
      'base-image': { type: 'string' },
    },
  });
  const arch = values.arch as Arch;
  if (!ARCHES.includes(arch)) {
    throw new ImageContextError(
      'INVALID_ARGUMENT',
      `Expected --arch ${ARCHES.join(' or ')} but received "${values.arch}"`,
    );
  }
  if (values.sharp !== 'registry' && values.sharp !== 'workspace') {
    throw new ImageContextError(
      'INVALID_ARGUMENT',
      `Expected --sharp registry or workspace but received "${values.sharp}"`,
    );
  }
  const workspaceRoot = resolve(__dirname, '..', '..', '..');
  const outDir = resolve(values.out ?? join(__dirname, '..', 'dist', 'context'));
  const baseImage = values['base-image'];
  const manifest = await assembleContext({
    workspaceRoot,
    outDir,
    arch,
    sharpFrom: values.sharp,
    ...(baseImage ? { baseImage } : {}),
  });
  writeFileSync(
    join(dirname(outDir), 'context.json'),
    `${JSON.stringify({ directory: outDir, ...manifest }, null, 2)}\n`,
  );
  console.log(
    `assembled ${outDir} for linux/${arch}: ${manifest.files} files, ${(manifest.bytes / 1024 / 1024).toFixed(1)} MiB, hash ${manifest.hash.slice(0, 16)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.message}` : error);
  process.exitCode = 1;
});
