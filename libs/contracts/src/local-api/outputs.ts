import * as z from 'zod';

/**
 * The deployed stack's outputs the CLI reads (`npx imgpipe ... --aws --outputs <file>`): infra declares
 * them (infra/src/stack.ts); `terraform output -json` and `cdktf deploy --outputs-file` write them.
 */

const name = z.string().min(1, 'Expected a non-empty string');

/** The names the CLI works with, each from its output. */
export const DeployedNamesSchema = z.strictObject({
  region: name.optional(),
  sourceBucket: name.optional(),
  derivedBucket: name.optional(),
  table: name.optional(),
  dlqUrl: name.optional(),
  resizeFunction: name.optional(),
  metadataFunction: name.optional(),
  reconcileFunction: name.optional(),
});
export type DeployedNames = z.infer<typeof DeployedNamesSchema>;

/** Output name, as infra declares it → the field of {@link DeployedNames} it fills. */
export const DEPLOYED_OUTPUTS = {
  region: 'region',
  source_bucket: 'sourceBucket',
  derived_bucket: 'derivedBucket',
  table: 'table',
  dead_letter_queue_url: 'dlqUrl',
  resize_function: 'resizeFunction',
  metadata_sync_function: 'metadataFunction',
  reconcile_function: 'reconcileFunction',
} as const satisfies Readonly<Record<string, keyof DeployedNames>>;
export type DeployedOutputName = keyof typeof DEPLOYED_OUTPUTS;

/** One output as `terraform output -json` writes it: `{ value, type, sensitive }`. */
export const TerraformOutputSchema = z.looseObject({
  value: z.unknown(),
  type: z.unknown().optional(),
  sensitive: z.boolean().optional(),
});

/** `terraform output -json`: every output by name. */
export const TerraformOutputsSchema = z.record(z.string(), TerraformOutputSchema);
