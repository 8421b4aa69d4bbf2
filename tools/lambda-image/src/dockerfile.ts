import { ALL_FUNCTION_NAMES, DEFAULT_ALL_FUNCTIONS } from '@imgpipe/pipeline';
import type { Arch } from './sharp';

/**
 * The Lambda base image: Node.js 22 on Amazon Linux 2023, pinned to one dated release per
 * architecture (AWS publishes `<major>.<yyyy.mm.dd.hh>-<arch>` tags and never moves them), so a
 * rebuild of the same context starts from the same runtime. Pinned by tag, not digest: no digest
 * could be read from the registry here and checked; pin one with `--base-image <image>@sha256:...`
 * (`docker buildx imagetools inspect <image>` prints it). Move the date to take runtime patches.
 */
export const BASE_IMAGE_RELEASE = '22.2026.04.22.11';

/** The pinned base image for an architecture. */
export function baseImage(arch: Arch): string {
  return `public.ecr.aws/lambda/nodejs:${BASE_IMAGE_RELEASE}-${arch === 'arm64' ? 'arm64' : 'x86_64'}`;
}

/**
 * The Dockerfile of the one image: copies only (no `RUN`), so building needs no emulation of the
 * target architecture. Every file is made world-readable (`--chmod`): Lambda runs the handler as a
 * non-root user, and a context assembled under a strict umask would otherwise be unreadable (a
 * directory needs the search bit too, hence 0755 for `node_modules` and `chunks`). The
 * default command is resize's; each function sets `image_config.command`.
 */
export function dockerfile(arch: Arch, base: string = baseImage(arch)): string {
  const bundles = ALL_FUNCTION_NAMES.map((fn) => DEFAULT_ALL_FUNCTIONS[fn].bundle);
  return [
    `FROM ${base}`,
    '# Production dependencies: sharp with the libvips binary, and koffi, for the target architecture.',
    'COPY --chmod=0644 package.json ${LAMBDA_TASK_ROOT}/',
    // Directories need the search bit; 0755 keeps sharp's native module loadable too.
    'COPY --chmod=0755 node_modules ${LAMBDA_TASK_ROOT}/node_modules',
    '# One esbuild bundle per handler, and their chunks (code loaded by a dynamic import(), and code they share).',
    `COPY --chmod=0644 ${bundles.join(' ')} \${LAMBDA_TASK_ROOT}/`,
    'COPY --chmod=0755 chunks ${LAMBDA_TASK_ROOT}/chunks',
    `CMD ["${DEFAULT_ALL_FUNCTIONS.resize.command}"]`,
    '',
  ].join('\n');
}
