import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * The architecture's import rules (docs/architecture.md) are enforced by lint. These tests lint
 * probe sources as if they lived in each project, so a loosened rule fails here, not in review.
 */
const root = resolve(__dirname, '..', '..', '..');

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

/** Lints `code` as the file `projectFile` with the workspace's own ESLint config, in a child process. */
async function boundaryErrors(projectFile: string, code: string): Promise<string[]> {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'),
      '--stdin',
      '--stdin-filename',
      join(root, projectFile),
      '--format',
      'json',
    ],
    { cwd: root, input: code, encoding: 'utf8' },
  );
  const [result] = JSON.parse(run.stdout) as { messages: LintMessage[] }[];
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
}

describe('module boundaries', () => {
  jest.setTimeout(120_000);

  it('keeps the AWS SDK out of the image library', async () => {
    const errors = await boundaryErrors(
      'libs/image/src/probe.ts',
      "export { S3Client } from '@aws-sdk/client-s3';\n",
    );
    expect(errors).toEqual([
      'A project tagged with "scope:image" is not allowed to import "@aws-sdk/client-s3"',
    ]);
  });

  it('keeps sharp and the image library out of infra', async () => {
    const errors = await boundaryErrors(
      'infra/src/probe.ts',
      "export { default as sharp } from 'sharp';\nexport { processImage } from '@imgpipe/image';\n",
    );
    expect(errors).toEqual([
      'A project tagged with "type:infra" is not allowed to import "sharp"',
      'A project tagged with "type:infra" can only depend on libs tagged with "type:definition", "type:testing"',
    ]);
  });

  it('keeps cdktf inside infra', async () => {
    const errors = await boundaryErrors('apps/local-stack/src/probe.ts', "export { App } from 'cdktf';\n");
    expect(errors).toEqual(['A project tagged with "type:app" is not allowed to import "cdktf"']);
  });

  it('keeps the AWS SDK out of the core, which talks to ports', async () => {
    const errors = await boundaryErrors(
      'libs/core/src/probe.ts',
      "export { DynamoDBClient } from '@aws-sdk/client-dynamodb';\n",
    );
    expect(errors).toEqual([
      'A project tagged with "scope:core" is not allowed to import "@aws-sdk/client-dynamodb"',
    ]);
  });

  it('stops a library from reaching into an app', async () => {
    const errors = await boundaryErrors(
      'libs/core/src/probe.ts',
      "export * from '../../../apps/resize/src/handler';\n",
    );
    expect(errors).toEqual([
      'Projects cannot be imported by a relative or absolute path, and must begin with a npm scope',
    ]);
  });

  it('allows what the architecture allows', async () => {
    expect(
      await boundaryErrors('apps/resize/src/probe.ts', "export { resizeObject } from '@imgpipe/core';\n"),
    ).toEqual([]);
    expect(
      await boundaryErrors('infra/src/probe.ts', "export { definePipeline } from '@imgpipe/pipeline';\n"),
    ).toEqual([]);
  });
});
