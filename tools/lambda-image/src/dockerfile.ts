import { FUNCTION_NAMES, DEFAULT_FUNCTIONS } from '@imgpipe/pipeline';

/** The Lambda base image: Node.js 22 on Amazon Linux 2023, both arm64 and x86_64. */
export const BASE_IMAGE = 'public.ecr.aws/lambda/nodejs:22';

/**
 * The Dockerfile of the one image: copies only (no `RUN`), so building needs no emulation of the
 * target architecture. The default command is resize's; each function sets `image_config.command`.
 */
export function dockerfile(): string {
  const bundles = FUNCTION_NAMES.map((fn) => DEFAULT_FUNCTIONS[fn].bundle);
  return [
    `FROM ${BASE_IMAGE}`,
    '# Production dependencies: sharp with the libvips binary, and koffi, for the target architecture.',
    'COPY package.json ${LAMBDA_TASK_ROOT}/',
    'COPY node_modules ${LAMBDA_TASK_ROOT}/node_modules',
    '# One esbuild bundle per handler.',
    `COPY ${bundles.join(' ')} \${LAMBDA_TASK_ROOT}/`,
    `CMD ["${DEFAULT_FUNCTIONS.resize.command}"]`,
    '',
  ].join('\n');
}
