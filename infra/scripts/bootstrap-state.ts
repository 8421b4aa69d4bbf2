/**
 * `npx nx run infra:bootstrap-state -- --bucket <name> --region <region> [--partition aws]`: creates the
 * S3 bucket for Terraform's remote state (private, encrypted, versioned, TLS-only; locking with S3's
 * lock file) with the AWS credentials of the environment, and prints the settings to export.
 * To move an existing local state there: export them, then `cd infra/cdktf.out/stacks/<stack> &&
 * terraform init -migrate-state` after a synth.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { parseArgs } from 'node:util';
import { InfraConfigError } from '../src/errors';
import { backendExports, bootstrapStateBucket } from '../src/state-bootstrap';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bucket: { type: 'string' },
      region: { type: 'string' },
      partition: { type: 'string', default: 'aws' },
    },
  });
  if (!values.bucket || !values.region) {
    throw new InfraConfigError('Expected --bucket <name> and --region <region> but received neither or one');
  }
  const options = { bucket: values.bucket, region: values.region, partition: values.partition };
  const s3 = new S3Client({ region: values.region });
  try {
    const steps = await bootstrapStateBucket(s3, options);
    console.log(`s3://${values.bucket} (${values.region}): ${steps.join(', ')}`);
    console.log(`\nKeep Terraform state there from now on:\n${backendExports(options)}`);
  } finally {
    s3.destroy();
  }
}

main().catch((error: unknown) => {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? ` [${String(error.code)}]` : '';
  console.error(`${error instanceof Error ? error.message : String(error)}${code}`);
  process.exitCode = 1;
});
