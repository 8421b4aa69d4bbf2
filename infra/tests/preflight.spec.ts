import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PreflightError } from '../src/errors';
import { imageSourcesHash, resolveImageContext } from '../src/image-context';
import { checkImageContext, checkTools, type CommandResult, type CommandRunner } from '../src/preflight';

const ok = (stdout: string): CommandResult => ({ status: 0, stdout, stderr: '' });

/** A machine with these answers to `docker version`, `docker buildx version` and `aws --version`. */
function machine(answers: {
  docker?: CommandResult;
  buildx?: CommandResult;
  aws?: CommandResult;
}): CommandRunner {
  return (command, args) => {
    const key = command === 'aws' ? 'aws' : args[0] === 'buildx' ? 'buildx' : 'docker';
    return answers[key] ?? { status: null, stdout: '', stderr: '' };
  };
}

const GOOD = {
  docker: ok('27.3.1'),
  buildx: ok('github.com/docker/buildx v0.17.1 257815a'),
  aws: ok('aws-cli/2.18.0 Python/3.12.6 Linux/6.8.0 exe/x86_64.ubuntu.24'),
};

function code(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(PreflightError);
    return (error as PreflightError).code;
  }
}

describe('checkTools', () => {
  it('passes with Docker, buildx >= 0.10 and the AWS CLI v2', () => {
    expect(code(() => checkTools(machine(GOOD)))).toBeUndefined();
  });

  it.each([
    ['DOCKER_UNAVAILABLE', { ...GOOD, docker: { status: null, stdout: '', stderr: '' } }],
    [
      'DOCKER_UNAVAILABLE',
      { ...GOOD, docker: { status: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon' } },
    ],
    ['BUILDX_TOO_OLD', { ...GOOD, buildx: ok('github.com/docker/buildx v0.9.1 ed00243') }],
    [
      'BUILDX_TOO_OLD',
      { ...GOOD, buildx: { status: 1, stdout: '', stderr: "'buildx' is not a docker command" } },
    ],
    ['AWS_CLI_MISSING', { ...GOOD, aws: { status: null, stdout: '', stderr: '' } }],
    ['AWS_CLI_MISSING', { ...GOOD, aws: { status: 0, stdout: '', stderr: 'aws-cli/1.18.69 Python/2.7.18' } }],
  ])('refuses with %s', (expected, answers) => {
    expect(code(() => checkTools(machine(answers)))).toBe(expected);
  });

  it('says what it found and what it expected', () => {
    expect(() => checkTools(machine({ ...GOOD, buildx: ok('github.com/docker/buildx v0.9.1') }))).toThrow(
      'Expected docker buildx >= 0.10 but received 0.9.1: install or update the buildx plugin',
    );
  });
});

describe('checkImageContext', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'imgpipe-preflight-'));
    mkdirSync(join(root, 'apps', 'resize', 'src'), { recursive: true });
    writeFileSync(join(root, 'apps', 'resize', 'src', 'handler.ts'), 'export const handler = 1;');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** Assembles a fake context the way lambda-image records it: context.json with the sources hash. */
  function assemble(sourcesHash: string | undefined): string {
    const context = join(root, 'tools', 'lambda-image', 'dist', 'context');
    mkdirSync(context, { recursive: true });
    writeFileSync(join(context, 'Dockerfile'), 'FROM x');
    writeFileSync(
      join(root, 'tools', 'lambda-image', 'dist', 'context.json'),
      JSON.stringify({ arch: 'arm64', ...(sourcesHash ? { sourcesHash } : {}) }),
    );
    return context;
  }

  it('refuses when no context has been assembled (a deploy would fail half-way at the build)', () => {
    expect(code(() => checkImageContext(resolveImageContext(undefined, root)))).toBe('IMAGE_CONTEXT_MISSING');
  });

  it('passes for a context assembled from the sources checked out now', () => {
    assemble(imageSourcesHash(root));
    expect(code(() => checkImageContext(resolveImageContext(undefined, root)))).toBeUndefined();
  });

  it('refuses after a code change, so a plain cdktf deploy never ships the old bundles', () => {
    assemble(imageSourcesHash(root));
    writeFileSync(join(root, 'apps', 'resize', 'src', 'handler.ts'), 'export const handler = 2;');
    expect(() => checkImageContext(resolveImageContext(undefined, root))).toThrow(
      /to be assembled from the current sources but they changed since: run npx nx run infra:deploy/,
    );
  });

  it('refuses a context that records no sources (assembled by an older lambda-image)', () => {
    assemble(undefined);
    expect(code(() => checkImageContext(resolveImageContext(undefined, root)))).toBe('IMAGE_CONTEXT_STALE');
  });
});

describe('cdktf synth through src/main.ts', () => {
  it('refuses before synthesizing anything when the context is stale, with the code in brackets', () => {
    const context = mkdtempSync(join(tmpdir(), 'imgpipe-preflight-main-'));
    try {
      writeFileSync(join(context, 'Dockerfile'), 'FROM x');
      const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'src', 'main.ts')], {
        env: { ...process.env, IMGPIPE_IMAGE_CONTEXT: context, IMGPIPE_ENVIRONMENTS: 'dev' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(
        /^imgpipe infra: Expected the image context in .* it records no sources hash: .* \[IMAGE_CONTEXT_STALE\]\n$/,
      );
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });
});
