/** The parts of a synthesized Terraform JSON document the checks read. */
export type Block = Readonly<Record<string, unknown>>;

export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Block>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Block>>>>;
  readonly output?: Readonly<Record<string, Block>>;
  readonly provider?: Readonly<Record<string, readonly Block[]>>;
}

/** A resource or data source with its Terraform type and logical name. */
export interface Item {
  readonly type: string;
  readonly name: string;
  readonly block: Block;
}

/** Every resource of a type. */
export function resources(tf: TerraformJson, type: string): Item[] {
  return Object.entries(tf.resource?.[type] ?? {}).map(([name, block]) => ({ type, name, block }));
}

/** Every data source of a type. */
export function dataSources(tf: TerraformJson, type: string): Item[] {
  return Object.entries(tf.data?.[type] ?? {}).map(([name, block]) => ({ type, name, block }));
}

/** A nested block as a list, whether synthesized as one object or a list of them. */
export function blocks(value: unknown): Block[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Block[];
}

/** The construct path cdktf records in a block's metadata, for messages. */
export function constructPath(item: Item): string {
  const meta = (item.block['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
  return meta?.path ?? `${item.type}.${item.name}`;
}

/** Does `value` reference an attribute of `type.name` (`${type.name.attr}`)? */
export function references(value: unknown, type: string, name: string): boolean {
  return typeof value === 'string' && value.includes(`\${${type}.${name}.`);
}

/** The policy document a `policy` attribute points at, if it is a reference to one. */
export function referencedPolicyDocument(tf: TerraformJson, value: unknown): Item | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(value);
  if (!match?.[1]) return undefined;
  const block = tf.data?.['aws_iam_policy_document']?.[match[1]];
  return block ? { type: 'aws_iam_policy_document', name: match[1], block } : undefined;
}

/** One statement of a policy document data source, normalised. */
export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: readonly { test: string; variable: string; values: readonly string[] }[];
}

/** The statements of a policy document data source. */
export function statements(doc: Item): Statement[] {
  return blocks(doc.block['statement']).map((s) => ({
    ...(typeof s['sid'] === 'string' ? { sid: s['sid'] } : {}),
    effect: s['effect'] === 'Deny' ? 'Deny' : 'Allow',
    actions: (s['actions'] as string[] | undefined) ?? [],
    notActions: (s['not_actions'] as string[] | undefined) ?? [],
    resources: (s['resources'] as string[] | undefined) ?? [],
    conditions: blocks(s['condition']).map((c) => ({
      test: String(c['test']),
      variable: String(c['variable']),
      values: (c['values'] as string[] | undefined) ?? [],
    })),
  }));
}
