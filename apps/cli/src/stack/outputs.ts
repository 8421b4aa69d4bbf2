import {
  DEPLOYED_OUTPUTS,
  DeployedNamesSchema,
  TerraformOutputsSchema,
  type DeployedNames,
} from '@imgpipe/contracts';
import { OutputsFileError } from './errors';

export type { DeployedNames };

/** Output name (as infra declares it) → field. Matching ignores case, `_` and `-`. */
const OUTPUT_FIELDS: Readonly<Record<string, keyof DeployedNames>> = DEPLOYED_OUTPUTS;

const normalise = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');
const FIELD_BY_NORMALISED = new Map(
  Object.entries(OUTPUT_FIELDS).map(([name, field]) => [normalise(name), field]),
);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `terraform output -json` (`{ name: { value, type, sensitive } }`) flattened; any other shape as it is. */
function flatValues(doc: Record<string, unknown>): Record<string, unknown> {
  const terraform = TerraformOutputsSchema.safeParse(doc);
  if (terraform.success && Object.keys(doc).length > 0)
    return Object.fromEntries(Object.entries(terraform.data).map(([k, v]) => [k, v.value]));
  return doc;
}

/** cdktf's `--outputs-file`: `{ stackName: { name: value } }`; picks `stack`, or the only one. */
function pickStack(doc: Record<string, unknown>, stack: string | undefined): Record<string, unknown> {
  const stacks = Object.entries(doc).filter(([, v]) => isObject(v) && !('value' in v));
  if (stacks.length === 0 || stacks.length !== Object.keys(doc).length) return doc;
  if (stack !== undefined) {
    const chosen = doc[stack];
    if (!isObject(chosen)) {
      throw new OutputsFileError(
        `Expected stack "${stack}" in the outputs file but it has ${stacks.map(([k]) => `"${k}"`).join(', ')}`,
      );
    }
    return chosen;
  }
  if (stacks.length > 1) {
    throw new OutputsFileError(
      `The outputs file holds several stacks (${stacks.map(([k]) => k).join(', ')}); choose one with --stack <name>`,
    );
  }
  return stacks[0]?.[1] as Record<string, unknown>;
}

/**
 * Reads the deployed stack's names from infra's outputs, in any of the shapes they come in:
 * `terraform output -json`, cdktf's `--outputs-file` (one object per stack; `stack` chooses) or a
 * flat `{ name: value }` object. Unknown outputs are ignored.
 * @example parseOutputs('{"table":{"value":"imgpipe-dev-images","type":"string"}}').table // 'imgpipe-dev-images'
 */
export function parseOutputs(text: string, stack?: string): DeployedNames {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new OutputsFileError(
      'Expected the outputs file to be JSON (from `terraform output -json` or `cdktf deploy --outputs-file`) but it is not',
      { cause },
    );
  }
  if (!isObject(doc))
    throw new OutputsFileError(
      `Expected the outputs file to hold a JSON object but it holds ${Array.isArray(doc) ? 'an array' : typeof doc}`,
    );
  const values = flatValues(pickStack(doc, stack));
  const names: Record<string, unknown> = {};
  const outputOf = new Map<string, string>();
  for (const [name, value] of Object.entries(values)) {
    const field = FIELD_BY_NORMALISED.get(normalise(name));
    if (field === undefined) continue;
    names[field] = value;
    outputOf.set(field, name);
  }
  if (Object.keys(names).length === 0) {
    throw new OutputsFileError(
      `Expected imgpipe outputs (${Object.keys(OUTPUT_FIELDS).join(', ')}) but the file has none of them`,
    );
  }
  const parsed = DeployedNamesSchema.safeParse(names);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? '');
    throw new OutputsFileError(
      `Expected output "${outputOf.get(field) ?? field}" to be a non-empty string but received ${JSON.stringify(names[field])}`,
    );
  }
  return parsed.data;
}
