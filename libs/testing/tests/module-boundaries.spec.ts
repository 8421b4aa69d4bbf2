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

/**
 * Lints `code` as the file `projectFile` with the workspace's own ESLint config, in a child process,
 * and returns the messages of `rule` (the module-boundaries rule unless told).
 */
async function boundaryErrors(
  projectFile: string,
  code: string,
  rule = '@nx/enforce-module-boundaries',
): Promise<string[]> {
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
  return (
    (result?.messages ?? [])
      .filter((m) => m.ruleId === rule)
      // "can not depend on" messages go on to list the offending imports: the first line says it.
      .map((m) => m.message.split('\n')[0] ?? m.message)
  );
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
      'A project tagged with "type:infra" can only depend on libs tagged with "type:definition", "type:contracts", "type:testing"',
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

  it('keeps testing harnesses out of source code, and lets tests use them', async () => {
    const harness = "export { startPipelineServers } from '@imgpipe/local-aws/testing';\n";
    expect(await boundaryErrors('apps/resize/src/probe.ts', harness, 'no-restricted-imports')).toEqual([
      "'@imgpipe/local-aws/testing' import is restricted from being used by a pattern. A testing harness is for tests only: source code may not import it.",
    ]);
    expect(await boundaryErrors('libs/core/src/probe.ts', harness, 'no-restricted-imports')).toHaveLength(1);
    expect(await boundaryErrors('apps/resize/tests/probe.spec.ts', harness, 'no-restricted-imports')).toEqual(
      [],
    );
  });

  it('keeps the Lambda handler kit to the functions', async () => {
    const kit = "export { objectEventHandler } from '@imgpipe/lambda-kit';\n";
    expect(await boundaryErrors('apps/cli/src/probe.ts', kit)).toEqual([
      'A project tagged with "scope:cli" can not depend on libs tagged with "type:handler-kit"',
    ]);
    expect(await boundaryErrors('apps/resize/src/probe.ts', kit)).toEqual([]);
  });

  it('keeps emulators, the local engine and CLI code out of what ships to Lambda', async () => {
    const errors = await boundaryErrors(
      'apps/resize/src/probe.ts',
      "export { default as dynalite } from 'dynalite';\nexport { Command } from 'commander';\n",
    );
    expect(errors).toEqual([
      'A project tagged with "scope:function" is not allowed to import "dynalite"',
      'A project tagged with "scope:function" is not allowed to import "commander"',
    ]);
    expect(
      await boundaryErrors(
        'apps/resize/src/probe.ts',
        "export { startLocalStack } from '@imgpipe/local-aws';\n",
      ),
    ).toEqual([
      'A project tagged with "scope:function" can only depend on libs tagged with "type:lib", "type:adapter", "type:handler-kit", "type:definition", "type:contracts"',
    ]);
  });

  it('keeps the console a web page and image work out of the local engine', async () => {
    expect(
      await boundaryErrors('apps/console/src/probe.ts', "export { resizeObject } from '@imgpipe/core';\n"),
    ).toEqual([
      'A project tagged with "scope:console" can not depend on libs tagged with "type:lib", "type:adapter", "type:handler-kit"',
    ]);
    expect(
      await boundaryErrors(
        'apps/local-stack/src/probe.ts',
        "export { renderVariants } from '@imgpipe/image';\n",
      ),
    ).toEqual([
      'A project tagged with "scope:local" can only depend on libs tagged with "scope:core", "type:engine", "type:definition", "type:contracts"',
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
