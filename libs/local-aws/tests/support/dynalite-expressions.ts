/**
 * Expression requests for the parse cache's differential tests: our functions' real expressions (as the
 * images table, its indexes and the control table send them) and the constructs whose checks could
 * depend on values or fail, each with seeded random values of chosen or wrong types, missing or unused
 * names and values.
 */

type AttributeValue = Record<string, unknown>;
type ValueType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'SS' | 'NS' | 'BS' | 'L' | 'M';
const ALL_TYPES: readonly ValueType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'];

export interface ExpressionRequest {
  UpdateExpression?: string;
  ConditionExpression?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

type ExpressionField = Exclude<
  keyof ExpressionRequest,
  'ExpressionAttributeNames' | 'ExpressionAttributeValues'
>;

export interface Template {
  readonly expressions: Partial<Record<ExpressionField, string>>;
  readonly names?: Readonly<Record<string, string>>;
  /** Each value's usual types (the first is the one our code sends). */
  readonly values?: Readonly<Record<string, readonly ValueType[]>>;
}

/** A seeded PRNG (mulberry32): the same cases on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

const STRINGS = [
  '',
  'a',
  'pending',
  'ready',
  'S',
  'N',
  'M',
  'SS',
  'X',
  'café 日本',
  '001A2202',
  '*#pending',
  ' ',
];
const NUMBERS = ['0', '1', '-3.5', '1800', '1e3', '99999999999', '0.0001'];
const BINARIES = ['', 'AA==', 'AQID', 'aGVsbG8='];

function valueOf(rand: () => number, type: ValueType, depth = 0): AttributeValue {
  switch (type) {
    case 'S':
      return { S: pick(rand, STRINGS) + (rand() < 0.5 ? String(Math.floor(rand() * 1000)) : '') };
    case 'N':
      return { N: pick(rand, NUMBERS) };
    case 'B':
      return { B: pick(rand, BINARIES) };
    case 'BOOL':
      return { BOOL: rand() < 0.5 };
    case 'NULL':
      return { NULL: true };
    case 'SS':
      return { SS: [...new Set(['a', 'b', pick(rand, STRINGS) || 'c'])] };
    case 'NS':
      return { NS: [...new Set(['1', pick(rand, NUMBERS)])] };
    case 'BS':
      return { BS: ['AQID'] };
    case 'L':
      return { L: depth > 1 ? [] : [valueOf(rand, 'S', depth + 1), valueOf(rand, 'N', depth + 1)] };
    case 'M':
      return depth > 1
        ? { M: {} }
        : { M: { w: valueOf(rand, 'N', depth + 1), s: valueOf(rand, 'S', depth + 1) } };
  }
}

const FIELDS: Readonly<Record<string, ExpressionField>> = {
  U: 'UpdateExpression',
  C: 'ConditionExpression',
  K: 'KeyConditionExpression',
  F: 'FilterExpression',
  P: 'ProjectionExpression',
};

/**
 * A template from one line: `<field letter>: <expression>` parts joined by ` ; `, then after ` | ` the
 * names (`#a` stands for `a`, `#p=__proto__` for another) and after a second ` | ` the values with their
 * types (`:v=N,S`).
 * @example template('C: #a = :v | #a | :v=S') // { expressions: { ConditionExpression: '#a = :v' }, ... }
 */
function template(line: string): Template {
  const [expressionPart = '', namePart = '', valuePart = ''] = line.split(' | ');
  const expressions: Partial<Record<ExpressionField, string>> = {};
  for (const part of expressionPart.split(' ; ')) {
    expressions[FIELDS[part.slice(0, 1)] as ExpressionField] = part.slice(3);
  }
  const names = Object.fromEntries(
    namePart
      .split(' ')
      .filter(Boolean)
      .map((n) => (n.includes('=') ? (n.split('=') as [string, string]) : [n, n.slice(1)])),
  );
  const values = Object.fromEntries(
    valuePart
      .split(' ')
      .filter(Boolean)
      .map((v) => [v.split('=')[0], (v.split('=')[1] ?? '').split(',') as ValueType[]]),
  );
  return {
    expressions,
    ...(namePart ? { names } : {}),
    ...(valuePart ? { values } : {}),
  };
}

/**
 * Our functions' expressions, as the adapters build them (libs/aws `DynamoImageTable`, `DynamoImageIndex`,
 * `DynamoControlTable`) and as a burst sent them (captured from dynalite's thread), in `template`'s notation.
 */
export const OUR_TEMPLATES: readonly Template[] = [
  // metadata-sync's move to a new version of the row (moveTo, olderThan).
  'U: SET #bucket = :v_bucket, #sequencer = :v_sequencer, #seqKey = :v_seqKey, #etag = :v_etag, ' +
    '#bytes = :v_bytes, #versionId = :v_versionId, #updatedAt = :v_updatedAt, #format = :v_format, ' +
    '#width = :v_width, #height = :v_height, #metadata = :v_metadata, #metaSeqKey = :v_metaSeqKey, ' +
    '#status = :v_status, #ownerPrefix = :v_ownerPrefix, #ownerStatus = :v_ownerStatus ' +
    'REMOVE #error, #deletedAt, #expiresAt ; C: attribute_not_exists(#seqKey) OR #seqKey < :n' +
    ' | #bucket #sequencer #seqKey #etag #bytes #versionId #updatedAt #format #width #height #metadata ' +
    '#metaSeqKey #status #ownerPrefix #ownerStatus #error #deletedAt #expiresAt' +
    ' | :v_bucket=S :v_sequencer=S :v_seqKey=S :v_etag=S :v_bytes=N :v_versionId=S :v_updatedAt=S ' +
    ':v_format=S :v_width=N :v_height=N :v_metadata=M :v_metaSeqKey=S :v_status=S :v_ownerPrefix=S ' +
    ':v_ownerStatus=S :n=S',
  // metadata-sync's part without a row read (writeMetadataUnread): the same move, or the part added to a
  // row resize already moved to this version.
  'U: SET #bucket = :v_bucket, #sequencer = :v_sequencer, #seqKey = :v_seqKey, #etag = :v_etag, ' +
    '#bytes = :v_bytes, #versionId = :v_versionId, #updatedAt = :v_updatedAt, #format = :v_format, ' +
    '#width = :v_width, #height = :v_height, #metadata = :v_metadata, #metaSeqKey = :v_metaSeqKey, ' +
    '#status = :v_status, #ownerPrefix = :v_ownerPrefix, #ownerStatus = :v_ownerStatus ' +
    'REMOVE #error, #deletedAt, #expiresAt ; C: attribute_not_exists(#seqKey) OR #seqKey < :n OR ' +
    '(#seqKey = :n AND attribute_not_exists(#error) AND #status = :pending AND ' +
    '(attribute_not_exists(#metaSeqKey) OR #metaSeqKey <> :n))' +
    ' | #bucket #sequencer #seqKey #etag #bytes #versionId #updatedAt #format #width #height #metadata ' +
    '#metaSeqKey #status #ownerPrefix #ownerStatus #error #deletedAt #expiresAt' +
    ' | :v_bucket=S :v_sequencer=S :v_seqKey=S :v_etag=S :v_bytes=N :v_versionId=S :v_updatedAt=S ' +
    ':v_format=S :v_width=N :v_height=N :v_metadata=M :v_metaSeqKey=S :v_status=S :v_ownerPrefix=S ' +
    ':v_ownerStatus=S :n=S :pending=S',
  // resize's part and `ready` in one write (finished).
  'U: SET #variants = :v_variants, #presetsHash = :v_presetsHash, #variantsSeqKey = :v_variantsSeqKey, ' +
    '#updatedAt = :v_updatedAt, #status = :v_status, #ownerPrefix = :v_ownerPrefix, #ownerStatus = :v_ownerStatus' +
    ' ; C: #seqKey = :n AND attribute_not_exists(#error) AND (attribute_not_exists(#variantsSeqKey) OR ' +
    '#variantsSeqKey <> :n OR #presetsHash <> :h) AND #metaSeqKey = :n AND #status = :pending' +
    ' | #variants #presetsHash #variantsSeqKey #updatedAt #status #ownerPrefix #ownerStatus #seqKey #error #metaSeqKey' +
    ' | :v_variants=M,L :v_presetsHash=S :v_variantsSeqKey=S :v_updatedAt=S :v_status=S :v_ownerPrefix=S ' +
    ':v_ownerStatus=S :n=S :h=S :pending=S',
  // finalize.
  'U: SET #status = :v_status, #ownerPrefix = :v_ownerPrefix, #ownerStatus = :v_ownerStatus, #updatedAt = :v_updatedAt' +
    ' ; C: #seqKey = :n AND #metaSeqKey = :n AND #variantsSeqKey = :n AND attribute_not_exists(#error) AND ' +
    '#status = :pending | #status #ownerPrefix #ownerStatus #updatedAt #seqKey #metaSeqKey #variantsSeqKey #error' +
    ' | :v_status=S :v_ownerPrefix=S :v_ownerStatus=S :v_updatedAt=S :n=S :pending=S',
  // The later `updatedAt` put back after a write that carried an earlier clock (keepUpdatedAt).
  'U: SET #updatedAt = :v_updatedAt ; C: #updatedAt = :ours | #updatedAt | :v_updatedAt=S :ours=S',
  // A tombstone.
  'U: SET #status = :v_status, #bucket = :v_bucket, #seqKey = :v_seqKey, #deletedAt = :v_deletedAt, ' +
    '#expiresAt = :v_expiresAt REMOVE #etag, #bytes, #error, #metadata, #variants' +
    ' ; C: attribute_not_exists(#seqKey) OR #seqKey < :n' +
    ' | #status #bucket #seqKey #deletedAt #expiresAt #etag #bytes #error #metadata #variants' +
    ' | :v_status=S :v_bucket=S :v_seqKey=S :v_deletedAt=S :v_expiresAt=N :n=S',
  // The images index: byOwner with a prefix, byStatus with its filters.
  'K: #pk = :pk AND begins_with(#key, :prefix) | #pk=ownerPrefix #key=objectKey | :pk=S :prefix=S',
  'K: #pk = :pk ; F: begins_with(#key, :prefix) AND #status <> :deleted' +
    ' | #pk=ownerStatus #key=objectKey #status | :pk=S :prefix=S :deleted=S',
  // The control table's lease.
  'C: attribute_not_exists(#id) OR #until < :now OR #owner = :owner | #id #until=leaseUntilMs #owner | :now=N :owner=S',
].map(template);

/** Constructs with checks on values, types or paths, and errors of every kind the grammars report. */
export const EDGE_TEMPLATES: readonly Template[] = [
  'C: #a BETWEEN :lo AND :hi | #a | :lo=N,S,B :hi=N,S,B',
  'K: #pk = :pk AND #sk BETWEEN :lo AND :hi | #pk #sk | :pk=S :lo=S,N :hi=S,N',
  'C: attribute_type(#a, :t) | #a | :t=S,N',
  'C: attribute_type(#a, :t) AND #b = :t | #a #b | :t=S',
  'U: ADD #n :one, #s :set | #n #s | :one=N,S :set=SS,NS,S,L',
  'U: DELETE #s :set | #s | :set=SS,NS,BS,N,S',
  'U: SET #a = :x + :y, #b = #b - :y | #a #b | :x=N,S :y=N,L',
  'U: SET #l = list_append(if_not_exists(#l, :empty), :more) | #l | :empty=L,N :more=L,S',
  'U: SET #a = if_not_exists(:x, :y) | #a | :x=N :y=N',
  'U: SET #a.#b = :v, #a.c[1] = :w, d[0].e = :v | #a #b | :v=S,M :w=N',
  'U: SET #a = :v, #a.#b = :w | #a #b | :v=S :w=S',
  'U: SET #a[0] = :v, #a.b = :w | #a | :v=S :w=S',
  'U: SET #a = :v SET #b = :v | #a #b | :v=S',
  'U: SET #a = :v REMOVE #b ADD #c :n DELETE #d :ss | #a #b #c #d | :v=S,M,L :n=N,NS :ss=SS,NS',
  'U: SET #a = :v, #a = :v | #a | :v=S',
  'U: SET #a = frob(:v) | #a | :v=S',
  'U: SET #a = list_append(:v) | #a | :v=L',
  'C: size(#a) > :n AND size(#b) = :s | #a #b | :n=N,S :s=N,BOOL',
  'C: size(:v) > :n |  | :v=S,N,BOOL,L :n=N',
  'C: size(#a) | #a',
  'C: #a IN (:a, :b, :c) OR #b IN (:a) | #a #b | :a=S,N :b=S,N :c=S,N',
  'C: begins_with(#a, :p) AND contains(#b, :c) AND NOT attribute_exists(#c) | #a #b #c | :p=S,B,N :c=S,N,SS',
  'C: ((#a = :v)) | #a | :v=S',
  'C: (#a = :v) AND (#b <> :v OR #c < :w) | #a #b #c | :v=S,N,M :w=N,S',
  'C: #a = #a | #a',
  'C: attribute_exists(:v) |  | :v=S',
  'C: attribute_exists(#a, #b) | #a #b',
  'C: attribute_exists(#a) = :v | #a | :v=BOOL',
  'C: status = :v AND name <> :w |  | :v=S :w=S',
  'C: a.b[2].c = :v |  | :v=S,N',
  'C: #a = :v AND | #a | :v=S',
  'C: #a = :missing | #a | :v=S',
  'C: #missing = :v | #a | :v=S',
  'U: SET',
  'U: SET #a =  ; C: #a = :v | #a | :v=S',
  'U: REMOVE #a, #a.b | #a',
  'U: REMOVE #a ; C:  | #a',
  'K: #pk = :pk OR #sk = :sk | #pk #sk | :pk=S :sk=S',
  'K: :pk = #pk AND #sk >= :sk | #pk #sk | :pk=S :sk=S,N',
  'K: #pk = :pk AND #pk = :pk | #pk | :pk=S',
  'K: #pk.x = :pk | #pk | :pk=S',
  'P: #a, b.c, d[0], #e.#f | #a #e #f',
  'P: a, a.b',
  'P: a[0], a.b',
  'P: name, #n | #n=size',
  'P: #n ; C: #n = :v | #n | :v=S',
  'P: a,, b',
  'P: __proto__.x, constructor',
  'C: #p.x = :v | #p=__proto__ | :v=S',
].map(template);

/**
 * `count` requests from the templates, each with random values of one of its types (sometimes any
 * type), and now and then a value or a name missing, or an unused one added; with `typical`, only random
 * values of each value's first type, as our code sends them.
 */
export function expressionRequests(
  templates: readonly Template[],
  count: number,
  seed: number,
  typical = false,
): ExpressionRequest[] {
  const rand = random(seed);
  const out: ExpressionRequest[] = [];
  for (let i = 0; i < count; i += 1) {
    const t = templates[i % templates.length] as Template;
    const request: ExpressionRequest = { ...t.expressions };
    const names: Record<string, string> = { ...t.names };
    const values: Record<string, AttributeValue> = {};
    for (const [name, types] of Object.entries(t.values ?? {})) {
      const r = typical ? 1 : rand();
      if (r < 0.03) continue;
      const type =
        r < 0.12
          ? pick(rand, ALL_TYPES)
          : typical || rand() < 0.7
            ? (types[0] as ValueType)
            : pick(rand, types);
      values[name] = valueOf(rand, type);
    }
    const present = Object.keys(names);
    if (!typical && present.length > 0 && rand() < 0.03) delete names[pick(rand, present)];
    if (!typical && rand() < 0.03) names['#unused'] = 'unused';
    if (!typical && rand() < 0.03) values[':unused'] = valueOf(rand, 'S');
    if (Object.keys(names).length > 0) request.ExpressionAttributeNames = names;
    if (Object.keys(values).length > 0) request.ExpressionAttributeValues = values;
    out.push(request);
  }
  return out;
}
