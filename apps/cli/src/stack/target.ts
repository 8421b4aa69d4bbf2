import { readFileSync } from 'node:fs';
import { definePipeline } from '@imgpipe/pipeline';
import type { Command } from 'commander';
import { OutputsFileError, UsageError } from './errors';
import { type DeployedNames, parseOutputs } from './outputs';

/** The flags every stack command takes to choose its stack: a deployed name given as a flag wins over `--outputs`. */
export interface TargetFlags extends DeployedNames {
  readonly endpoint?: string;
  readonly aws?: boolean;
  readonly outputs?: string;
  readonly stack?: string;
}

/** The names of the pipeline's resources on one stack. */
export interface StackNames {
  readonly sourceBucket: string;
  readonly derivedBucket: string;
  readonly table: string;
}

/** The local stack: one edge endpoint for S3, DynamoDB and the `/_imgpipe/` API. */
export interface LocalTarget {
  readonly kind: 'local';
  readonly endpoint: string;
  readonly region: string;
  readonly names: StackNames;
}

/** A deployed stack: the SDK's credential chain; names from `--outputs` and flags (flags win). */
export interface AwsTarget {
  readonly kind: 'aws';
  readonly region?: string;
  readonly names: DeployedNames;
}

export type Target = LocalTarget | AwsTarget;

export const LOCAL_REGION = 'us-east-1';

/** Names an AWS command may need, with the flag and output that provide each. */
const NAME_SOURCES = {
  sourceBucket: ['--source-bucket', 'source_bucket'],
  derivedBucket: ['--derived-bucket', 'derived_bucket'],
  table: ['--table', 'table'],
  dlqUrl: ['--dlq-url', 'dead_letter_queue_url'],
  resizeFunction: ['--resize-function', 'resize_function'],
  metadataFunction: ['--metadata-function', 'metadata_sync_function'],
  reconcileFunction: ['--reconcile-function', 'reconcile_function'],
} as const satisfies Record<Exclude<keyof DeployedNames, 'region'>, readonly [string, string]>;

export type DeployedName = keyof typeof NAME_SOURCES;

function localEndpoint(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const raw =
    flag ??
    (env['IMGPIPE_ENDPOINT'] || undefined) ??
    `http://127.0.0.1:${env['IMGPIPE_EDGE_PORT'] || '4566'}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `Expected an http(s) URL for --endpoint (or IMGPIPE_ENDPOINT) but received "${raw}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `Expected an http(s) URL for --endpoint (or IMGPIPE_ENDPOINT) but received "${raw}"`,
    );
  }
  return url.origin;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== ''),
  ) as Partial<T>;
}

/**
 * Decides which stack a command talks to, once, from its flags and the environment.
 * @example resolveTarget({}, {}) // { kind: 'local', endpoint: 'http://127.0.0.1:4566', ... }
 */
export function resolveTarget(
  flags: TargetFlags,
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Target {
  if (!flags.aws) {
    const awsOnly = (
      ['outputs', 'stack', 'dlqUrl', 'resizeFunction', 'metadataFunction', 'reconcileFunction'] as const
    ).filter((f) => flags[f] !== undefined);
    if (awsOnly.length > 0)
      throw new UsageError(
        `--${awsOnly[0]?.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies to a deployed stack; add --aws`,
      );
    const pipeline = definePipeline();
    return {
      kind: 'local',
      endpoint: localEndpoint(flags.endpoint, env),
      region: LOCAL_REGION,
      names: {
        sourceBucket: flags.sourceBucket ?? pipeline.names.sourceBucket,
        derivedBucket: flags.derivedBucket ?? pipeline.names.derivedBucket,
        table: flags.table ?? pipeline.names.table,
      },
    };
  }
  if (flags.endpoint !== undefined)
    throw new UsageError('--endpoint is for the local stack; --aws uses the standard AWS endpoints');
  let fromOutputs: DeployedNames = {};
  if (flags.outputs !== undefined) {
    let text: string;
    try {
      text = readFile(flags.outputs);
    } catch (cause) {
      throw new OutputsFileError(
        `Cannot read the outputs file "${flags.outputs}": ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    fromOutputs = parseOutputs(text, flags.stack);
  } else if (flags.stack !== undefined) {
    throw new UsageError('--stack chooses a stack in --outputs <file>; give the file too');
  }
  // The outputs file names the region the stack lives in; AWS_REGION is only a default for other work.
  const region =
    flags.region ?? fromOutputs.region ?? (env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || undefined);
  const names: DeployedNames = {
    ...fromOutputs,
    ...defined({
      sourceBucket: flags.sourceBucket,
      derivedBucket: flags.derivedBucket,
      table: flags.table,
      dlqUrl: flags.dlqUrl,
      resizeFunction: flags.resizeFunction,
      metadataFunction: flags.metadataFunction,
      reconcileFunction: flags.reconcileFunction,
    }),
    ...(region ? { region } : {}),
  };
  return { kind: 'aws', ...(region ? { region } : {}), names };
}

/**
 * The deployed name `name`, or a usage error saying which flag or output provides it.
 * @example requireName(target, 'table') // 'imgpipe-prod-images'
 */
export function requireName(target: AwsTarget, name: DeployedName): string {
  const value = target.names[name];
  if (value) return value;
  const [flag, output] = NAME_SOURCES[name];
  throw new UsageError(
    `With --aws this command needs ${flag} <value> or --outputs <file> with "${output}" (from \`terraform output -json\`)`,
  );
}

/** Adds the stack-choosing flags to a command. */
export function withTargetOptions(command: Command): Command {
  return command
    .option('--endpoint <url>', 'local stack endpoint (env IMGPIPE_ENDPOINT; default http://127.0.0.1:4566)')
    .option('--aws', 'use a deployed stack (standard AWS credential chain) instead of the local stack')
    .option('--region <region>', "AWS region with --aws (default: the outputs file's, then AWS_REGION)")
    .option(
      '--outputs <file>',
      'with --aws: JSON of `terraform output -json` or `cdktf deploy --outputs-file`',
    )
    .option('--stack <name>', 'with --outputs: the stack to read when the file holds several')
    .option('--source-bucket <name>', 'source bucket (overrides the default / outputs)')
    .option('--derived-bucket <name>', 'derived bucket (overrides the default / outputs)')
    .option('--table <name>', 'images table (overrides the default / outputs)')
    .option('--dlq-url <url>', 'with --aws: dead-letter queue URL')
    .option('--resize-function <name>', 'with --aws: resize function name')
    .option('--metadata-function <name>', 'with --aws: metadata-sync function name')
    .option('--reconcile-function <name>', 'with --aws: reconcile function name');
}
