import { ALL_FUNCTION_NAMES } from './functions';

/**
 * What the functions' container image is built from, relative to the repository root: each
 * function's sources, the libraries, the bundler, the context assembler and the lockfile. `lambda-image` records
 * a hash of these in `context.json` when it assembles the context; infra hashes them again before a
 * deploy and refuses a context assembled from other sources (old bundles). Roots that do not exist
 * are skipped.
 */
export const IMAGE_SOURCE_ROOTS: readonly string[] = [
  ...ALL_FUNCTION_NAMES.map((fn) => `apps/${fn}/src`),
  'libs',
  'tools/scripts/bundle-function.mjs',
  'tools/lambda-image/src',
  'package-lock.json',
];

/**
 * Whether a path under {@link IMAGE_SOURCE_ROOTS} never reaches the image (tests, build output,
 * installed packages), so changing it changes nothing.
 * @example isExcludedImageSource('/repo/libs/core/tests') // true
 */
export function isExcludedImageSource(path: string): boolean {
  return /[\\/](node_modules|dist|tests|\.nx)$/.test(path) || /\.spec\.ts$/.test(path);
}
