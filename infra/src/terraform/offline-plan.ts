import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformCommandError } from '../errors';
import { findProviderMirror, type FoundMirror, type ProviderWanted, terraformPlatform } from './mirror';

/** Fake, well-formed credentials: the provider's skip flags mean they are never sent anywhere. */
export const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
  AWS_SECRET_ACCESS_KEY: 'fake/secret/for/an/offline/plan/only/000000',
} as const;

/**
 * Values for the stack's input variables (secrets a deployer passes as `TF_VAR_<name>`), fake and
 * well-formed so `plan` runs without them.
 */
export const FAKE_VARIABLES = {
  TF_VAR_api_cursor_keys: 'offline-plan-fake-cursor-key-0000000000000000',
} as const;

export interface StackPlanResult {
  readonly stack: string;
  readonly toAdd: number;
  readonly toChange: number;
  readonly toDestroy: number;
  readonly seconds: number;
}

/** The AWS provider a synthesized stack requires (`terraform.required_providers.aws`). */
export function requiredAwsProvider(stackJsonPath: string): ProviderWanted {
  const tf = JSON.parse(readFileSync(stackJsonPath, 'utf8')) as {
    terraform?: { required_providers?: Record<string, { source?: string; version?: string }> };
  };
  const aws = tf.terraform?.required_providers?.['aws'];
  if (!aws?.version || !aws.source) {
    throw new TerraformCommandError(
      `Expected required_providers.aws with source and version in ${stackJsonPath}`,
    );
  }
  // `aws` means registry.terraform.io/hashicorp/aws; `ns/type` and `host/ns/type` are explicit.
  const parts = aws.source.split('/');
  const type = parts.at(-1) ?? 'aws';
  const namespace = parts.length >= 2 ? (parts.at(-2) ?? 'hashicorp') : 'hashicorp';
  const hostname = parts.length === 3 ? (parts[0] ?? 'registry.terraform.io') : 'registry.terraform.io';
  return { hostname, namespace, type, version: aws.version, platform: terraformPlatform() };
}

/** A Terraform CLI config that installs the AWS provider from the mirror and nothing from the network. */
export function cliConfigFor(mirror: string, provider: ProviderWanted): string {
  const address = `${provider.hostname}/${provider.namespace}/${provider.type}`;
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror)}`,
    `    include = [${JSON.stringify(address)}]`,
    '  }',
    '  direct {',
    `    exclude = [${JSON.stringify(address)}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

function terraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) =>
      reject(
        new TerraformCommandError(`Could not run terraform ${args[0]}: is Terraform >= 1.5 installed?`, {
          cause: error,
        }),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new TerraformCommandError(
            `terraform ${args.join(' ')} failed in ${cwd} (exit ${String(code)}):\n${stdout}\n${stderr}`,
          ),
        );
    });
  });
}

/**
 * Plans one synthesized stack offline: `init` from the mirror, `validate`, `plan` with fake
 * credentials (the stack must have been synthesized in offline-plan mode, with the skip flags).
 */
export async function planStack(
  stackDir: string,
  stack: string,
  mirror: FoundMirror,
  baseEnv: NodeJS.ProcessEnv,
): Promise<StackPlanResult> {
  const started = Date.now();
  const env = offlineEnv(stackDir, mirror, baseEnv);
  await terraform(['init', '-input=false', '-no-color'], stackDir, env);
  await terraform(['validate', '-no-color'], stackDir, env);
  const out = await terraform(
    ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false'],
    stackDir,
    env,
  );
  const summary = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(out);
  if (!summary)
    throw new TerraformCommandError(`terraform plan for ${stack} printed no plan summary:\n${out}`);
  return {
    stack,
    toAdd: Number(summary[1]),
    toChange: Number(summary[2]),
    toDestroy: Number(summary[3]),
    seconds: (Date.now() - started) / 1000,
  };
}

/** The environment of an offline Terraform run: mirror-only providers, fake credentials, no prompts. */
function offlineEnv(stackDir: string, mirror: FoundMirror, baseEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const provider = requiredAwsProvider(join(stackDir, 'cdk.tf.json'));
  const cliConfig = join(stackDir, 'offline.tfrc');
  writeFileSync(cliConfig, cliConfigFor(mirror.path, provider));
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    ...FAKE_CREDENTIALS,
    ...FAKE_VARIABLES,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const name of [
    'AWS_PROFILE',
    'AWS_SESSION_TOKEN',
    'AWS_ROLE_ARN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'TF_PLUGIN_CACHE_DIR',
  ]) {
    delete env[name];
  }
  return env;
}

/** Schema versions of the protected resource types in hashicorp/aws 5.x state. */
const STATE_SCHEMA_VERSION: Readonly<Record<string, number>> = { aws_s3_bucket: 0, aws_dynamodb_table: 1 };

/** The addresses of a synthesized stack's resources with `lifecycle.prevent_destroy`. */
export function protectedResources(stackJsonPath: string): { type: string; name: string }[] {
  const tf = JSON.parse(readFileSync(stackJsonPath, 'utf8')) as {
    resource?: Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>>;
  };
  return Object.entries(tf.resource ?? {}).flatMap(([type, blocks]) =>
    Object.entries(blocks)
      .filter(([, block]) => block.lifecycle?.prevent_destroy === true)
      .map(([name]) => ({ type, name })),
  );
}

/**
 * Proves, offline, that `destroy` stops before touching anything: seeds a state holding the stack's
 * protected resources (as if deployed), plans a destroy, and expects Terraform to refuse each of them
 * ("Instance cannot be destroyed"). Returns the addresses it refused. The stack must have been
 * planned (initialised) first; its local state file is removed again.
 */
export async function proveDestroyRefused(
  stackDir: string,
  statePath: string,
  mirror: FoundMirror,
  baseEnv: NodeJS.ProcessEnv,
): Promise<string[]> {
  const resources = protectedResources(join(stackDir, 'cdk.tf.json'));
  if (resources.length === 0) return [];
  const state = {
    version: 4,
    terraform_version: '1.5.0',
    serial: 1,
    lineage: '00000000-0000-4000-8000-000000000000',
    outputs: {},
    resources: resources.map(({ type, name }) => ({
      mode: 'managed',
      type,
      name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [
        {
          schema_version: STATE_SCHEMA_VERSION[type] ?? 0,
          attributes: {
            id: `${name}-deployed`,
            ...(type === 'aws_s3_bucket' ? { bucket: `${name}-deployed` } : { name: `${name}-deployed` }),
          },
        },
      ],
    })),
  };
  writeFileSync(statePath, JSON.stringify(state));
  try {
    const outcome = await terraform(
      ['plan', '-destroy', '-input=false', '-no-color', '-lock=false', '-refresh=false'],
      stackDir,
      offlineEnv(stackDir, mirror, baseEnv),
    ).then(
      (out) => ({ ok: true as const, out }),
      (error: unknown) => ({
        ok: false as const,
        out: error instanceof Error ? error.message : String(error),
      }),
    );
    const refused = resources
      .map(({ type, name }) => `${type}.${name}`)
      .filter((address) => outcome.out.includes(`Resource ${address} has`));
    if (
      outcome.ok ||
      !/Instance cannot be destroyed/.test(outcome.out) ||
      refused.length !== resources.length
    ) {
      throw new TerraformCommandError(
        `Expected terraform plan -destroy to refuse ${resources.length} protected resources but it refused ${refused.length}:\n${outcome.out}`,
      );
    }
    return refused;
  } finally {
    rmSync(statePath, { force: true });
  }
}

export { findProviderMirror };
