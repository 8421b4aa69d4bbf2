import { S3ServiceException } from '@aws-sdk/client-s3';
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { InvocationReport, LocalStack } from '../../src';
import { startFixtureStack, tempDir } from '../support/helpers';
import { send } from '../support/raw-http';

const INSTALL_HINT =
  'run libs/local-aws/scripts/ensure-s3-clients.sh (as root: apt-get install -y awscli python3-boto3)';

function works(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * The AWS CLI to drive: `IMGPIPE_AWS_CLI`, else Debian's `/usr/bin/aws`, else `aws` on PATH when it runs
 * (a pyenv shim named `aws` may be on PATH without a working CLI behind it).
 */
export function awsCli(): string {
  const candidates = [process.env['IMGPIPE_AWS_CLI'], '/usr/bin/aws', 'aws'].filter(
    (c): c is string => typeof c === 'string' && c !== '',
  );
  const found = candidates.find((c) => works(c, ['--version']));
  if (!found) throw new Error(`No working AWS CLI (tried ${candidates.join(', ')}): ${INSTALL_HINT}`);
  return found;
}

/** A Python with boto3: `IMGPIPE_PYTHON`, else Debian's `/usr/bin/python3`, else `python3`. */
export function pythonWithBoto3(): string {
  const candidates = [process.env['IMGPIPE_PYTHON'], '/usr/bin/python3', 'python3'].filter(
    (c): c is string => typeof c === 'string' && c !== '',
  );
  const found = candidates.find((c) => works(c, ['-c', 'import boto3']));
  if (!found) throw new Error(`No Python with boto3 (tried ${candidates.join(', ')}): ${INSTALL_HINT}`);
  return found;
}

/** The environment a user would set for a client against the local endpoint (any credentials work). */
export function clientEnv(root: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: root,
    AWS_ACCESS_KEY_ID: 'AKIDLOCALCLIENT',
    AWS_SECRET_ACCESS_KEY: 'any-secret',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(root, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(root, 'aws-credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    LC_ALL: 'C.UTF-8',
    PYTHONIOENCODING: 'utf-8',
  };
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (never throws on a non-zero exit: the test asserts the code). */
export function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { env, cwd, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** A stack started as `npm start` starts it (fixture functions record every event they get). */
export async function startClientStack(prefix: string): Promise<{
  stack: LocalStack;
  root: string;
  reports: InvocationReport[];
}> {
  const root = tempDir(prefix);
  const reports: InvocationReport[] = [];
  const stack = await startFixtureStack(join(root, 'data'), { onInvocation: (r) => reports.push(r) });
  return { stack, root, reports };
}

/** The S3 events the resize function received, as `detail-type key reason [deletion-type]` lines. */
export function eventLines(reports: readonly InvocationReport[]): string[] {
  return reports
    .filter((r) => r.function === 'resize' && r.attempt === 1)
    .map((r) => {
      const e = r.event as {
        'detail-type': string;
        detail: { object: { key: string }; reason: string; 'deletion-type'?: string };
      };
      const key = decodeURIComponent(e.detail.object.key.replace(/\+/g, ' '));
      return [e['detail-type'], key, e.detail.reason, e.detail['deletion-type']].filter(Boolean).join(' ');
    });
}

/** The bucket of the malformed-request suites. */
export const FUZZ_BUCKET = 'fuzz-bucket';

/**
 * Registers the hooks of a malformed-request suite: a client stack whose `fuzz-bucket` holds
 * `present.txt` and a `sentinel.txt` the requests never touch; `alive()` asserts the stack still
 * serves what it stored. Read `endpoint` in tests.
 */
export function useFuzzStack(): { readonly endpoint: string; alive(): Promise<void> } {
  let stack: LocalStack | undefined;
  const endpoint = (): string => {
    if (!stack) throw new Error('useFuzzStack: the stack starts in beforeAll');
    return stack.endpoint;
  };
  beforeAll(async () => {
    ({ stack } = await startClientStack('malformed'));
    expect((await send(endpoint(), 'PUT', `/${FUZZ_BUCKET}`)).status).toBe(200);
    expect((await send(endpoint(), 'PUT', `/${FUZZ_BUCKET}/present.txt`, {}, 'here')).status).toBe(200);
    expect((await send(endpoint(), 'PUT', `/${FUZZ_BUCKET}/sentinel.txt`, {}, 'alive')).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return {
    get endpoint() {
      return endpoint();
    },
    async alive() {
      const answer = await send(endpoint(), 'GET', `/${FUZZ_BUCKET}/sentinel.txt`);
      expect([answer.status, answer.body]).toEqual([200, 'alive']);
    },
  };
}

/**
 * How an SDK call ended: `['ok', 200]`, or the S3 error's name and HTTP status (anything else rethrows),
 * so a test can assert the exact answer of each request.
 */
export async function s3Outcome(promise: Promise<unknown>): Promise<[string, number | undefined]> {
  try {
    await promise;
    return ['ok', 200];
  } catch (error: unknown) {
    if (error instanceof S3ServiceException) return [error.name, error.$metadata.httpStatusCode];
    throw error;
  }
}
