import { spawnSync } from 'node:child_process';
import { PreflightError } from './errors';
import type { ImageContext } from './image-context';

/** What running a command gave: its exit status (null when it could not start) and output. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export type CommandRunner = (command: string, args: readonly string[]) => CommandResult;

const runCommand: CommandRunner = (command, args) => {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return {
    status: result.error ? null : result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
  };
};

/** buildx 0.10 brought `--provenance`/`--sbom`, which the build needs to push a manifest Lambda accepts. */
export const MIN_BUILDX = [0, 10] as const;

function version(text: string): [number, number, number] | undefined {
  const match = /v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/**
 * Docker with a running daemon, buildx >= 0.10 and the AWS CLI v2: what the image build runs in the
 * middle of a deploy. Missing any of them there would leave half the stack created.
 * @example checkTools() // throws PreflightError DOCKER_UNAVAILABLE on a machine without Docker
 */
export function checkTools(run: CommandRunner = runCommand): void {
  const docker = run('docker', ['version', '--format', '{{.Server.Version}}']);
  if (docker.status !== 0) {
    throw new PreflightError(
      'DOCKER_UNAVAILABLE',
      `Expected Docker with a running daemon (the deploy builds the functions' image) but \`docker version\` ${
        docker.status === null ? 'could not run' : `failed: ${docker.stderr.trim()}`
      }`,
    );
  }
  const buildx = run('docker', ['buildx', 'version']);
  const found = buildx.status === 0 ? version(buildx.stdout) : undefined;
  if (!found || found[0] < MIN_BUILDX[0] || (found[0] === MIN_BUILDX[0] && found[1] < MIN_BUILDX[1])) {
    throw new PreflightError(
      'BUILDX_TOO_OLD',
      `Expected docker buildx >= ${MIN_BUILDX.join('.')} but received ${found ? found.join('.') : 'none'}: install or update the buildx plugin`,
    );
  }
  const aws = run('aws', ['--version']);
  const cli = aws.status === 0 ? /aws-cli\/(\d+)\./.exec(`${aws.stdout} ${aws.stderr}`) : null;
  if (!cli || Number(cli[1]) < 2) {
    throw new PreflightError(
      'AWS_CLI_MISSING',
      `Expected the AWS CLI v2 (the image push logs in with aws ecr get-login-password) but received ${
        cli ? `aws-cli/${cli[1]}` : 'none'
      }`,
    );
  }
}

/**
 * The assembled image context, made from the sources checked out now: otherwise the deploy would
 * ship old bundles (or fail half-way when there is no context at all).
 * @example checkImageContext(resolveImageContext())
 */
export function checkImageContext(context: ImageContext): void {
  const rebuild =
    'run npx nx run infra:deploy -- <stack> (it assembles first) or npx nx run lambda-image:build';
  if (context.hashedFrom !== 'context') {
    throw new PreflightError(
      'IMAGE_CONTEXT_MISSING',
      `Expected an assembled image context in ${context.directory} but there is none: ${rebuild}`,
    );
  }
  if (context.assembledFromSourcesHash !== context.sourcesHash) {
    throw new PreflightError(
      'IMAGE_CONTEXT_STALE',
      `Expected the image context in ${context.directory} to be assembled from the current sources but ${
        context.assembledFromSourcesHash ? 'they changed since' : 'it records no sources hash'
      }: ${rebuild}`,
    );
  }
}

/**
 * Everything a deploy needs before Terraform touches anything: the context first (cheap, and the
 * likeliest miss), then the tools.
 */
export function preflight(context: ImageContext, run: CommandRunner = runCommand): void {
  checkImageContext(context);
  checkTools(run);
}
