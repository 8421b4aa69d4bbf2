/**
 * `nx run infra:plan`: the offline proof. Synthesizes every stack in offline-plan mode into a
 * temporary directory, finds the AWS provider's filesystem mirror on this machine, and runs
 * `terraform init` (from the mirror only), `validate` and `plan` with fake credentials; then, for every
 * stack with `prevent_destroy` data, plans a destroy over a seeded state and expects Terraform to refuse.
 * Options: `--keep` keeps the temporary directory; `IMGPIPE_ENVIRONMENTS=dev` limits the stacks.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app';
import { ENVIRONMENTS } from '../src/config';
import { readAppSettings } from '../src/settings';
import {
  findProviderMirror,
  planStack,
  proveDestroyRefused,
  requiredAwsProvider,
} from '../src/terraform/offline-plan';

async function main(): Promise<void> {
  const started = Date.now();
  const keep = process.argv.includes('--keep');
  const outdir = mkdtempSync(join(tmpdir(), 'imgpipe-plan-'));
  let ok = false;
  try {
    const settings = {
      ...readAppSettings(
        process.env,
        ENVIRONMENTS.map((env) => env.name),
      ),
      offlinePlan: true,
      backend: { kind: 'local' as const, directory: outdir },
      // The S3 backend's bootstrap stack is planned too, with a stand-in bucket name.
      stateStack: { bucket: 'imgpipe-offline-plan-state', region: 'eu-west-1' },
    };
    buildApp({ settings, outdir }).synth();
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
      stacks: Record<string, { workingDirectory: string }>;
    };
    const stacks = Object.entries(manifest.stacks).map(([name, s]) => ({
      name,
      dir: join(outdir, s.workingDirectory),
    }));
    const first = stacks[0];
    if (!first) throw new Error('The app synthesized no stack');
    const mirror = findProviderMirror(requiredAwsProvider(join(first.dir, 'cdk.tf.json')), {
      env: process.env,
    });
    console.log(`provider mirror: ${mirror.path} (found by ${mirror.foundBy})`);
    // Stacks are independent: plan them side by side.
    const results = await Promise.all(
      stacks.map((stack) => planStack(stack.dir, stack.name, mirror, process.env)),
    );
    for (const result of results) {
      console.log(
        `${result.stack}: init + validate + plan ok: ${result.toAdd} to add, ${result.toChange} to change, ${result.toDestroy} to destroy (${result.seconds.toFixed(1)} s)`,
      );
    }
    // Data protected with prevent_destroy: a destroy plan must fail before anything is deleted.
    const refusals = await Promise.all(
      stacks.map(async (stack) => ({
        stack: stack.name,
        refused: await proveDestroyRefused(
          stack.dir,
          join(outdir, `terraform.${stack.name}.tfstate`),
          mirror,
          process.env,
        ),
      })),
    );
    for (const { stack, refused } of refusals.filter((r) => r.refused.length > 0)) {
      console.log(`${stack}: destroy refused before any change: ${refused.join(', ')}`);
    }
    ok = true;
    console.log(`infra:plan passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    if (keep || !ok) console.log(`synthesized stacks kept in ${outdir}`);
    else rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
