/**
 * A cache for dynalite's expression parsers, installed inside dynalite's thread (`dynamodb-thread.ts`).
 *
 * Why: dynalite parses every UpdateExpression, ConditionExpression, KeyConditionExpression,
 * FilterExpression and ProjectionExpression of every request with its PEG parsers
 * (`db/{update,condition,projection}Parser.js`, called by `validations/index.js` `parse` as
 * `parser.parse(str, { context })`): about 0.3-0.5 ms of its thread per UpdateItem, while our functions
 * send the same few expressions with other values every time. The parser puts the request's
 * ExpressionAttributeValues into its tree and checks them while it parses, so a cache keyed by the
 * expression alone would be wrong.
 *
 * What a parse depends on, read from dynalite 4.0.0's three grammars (and nothing else was proven):
 * the expression; ExpressionAttributeNames (names resolve to their strings); which value names exist and
 * each value's type (`getType`: `attrType`, else the first of S, N, B, NULL, BOOL, SS, NS, BS, L, M that is
 * not null); `isReserved`; and a value's contents in two places only: `attribute_type`'s type argument
 * (looked up in a list, then put in the message) and BETWEEN's bounds (`context.compare`, and their
 * contents in the messages). Its only side effect is deleting the names and values it resolved from the
 * context's `unusedAttrNames` / `unusedAttrVals`.
 *
 * So a parse is learnt once per (parser, expression, names map, value names and types) against
 * placeholder values whose contents cannot be read unnoticed (turning one into a string or number, or a
 * call of `compare`, marks the parse), and later calls get a fresh copy of the learnt tree (prototypes and
 * shared nodes kept: dynalite mutates trees after parsing) with the request's own value objects where the
 * placeholders were, and the same deletions from their context. Everything else is dynalite's own parse,
 * every time: a parse that failed, threw or read a value's contents; a value that is not one plain
 * `{ <type>: <non-null> }` object; a call not shaped as dynalite makes it; a dynalite other than the
 * version this was proven on. `dynalite-parse-cache.spec.ts` compares both answers over thousands of
 * requests, errors included.
 *
 * The installer is self-contained (it refers to nothing outside its own body) because its source is what
 * runs in the thread: the thread's program is evaluated code, with no file of its own beside a bundle.
 */

/** The dynalite version whose grammars this cache was proven against; any other runs without it. */
export const PARSE_CACHE_PROVEN_ON = '4.0.0';

/** Learnt parses kept (least recently used dropped first): our functions use about ten. */
export const PARSE_CACHE_MAX_ENTRIES = 512;

/** Counters, for tests and measurements. */
export interface ParseCacheStats {
  /** Calls answered from a learnt parse (the call that learnt it included). */
  hits: number;
  /** Parses learnt. */
  learnt: number;
  /** Keys refused for good (an error, a syntax error, a value's contents read): dynalite parses them. */
  declined: number;
  /** Calls dynalite parsed itself (declined keys, calls the cache does not take). */
  passedThrough: number;
}

export interface ParseCacheInstall {
  readonly installed: boolean;
  /** dynalite's version as its package.json says. */
  readonly version: string;
  readonly stats: ParseCacheStats;
}

/** What `require` gives for a path (the thread's own `require`, or a test's). */
export type ModuleLoader = (path: string) => unknown;

/**
 * Wraps the `parse` of dynalite's three parser modules (under `dynaliteDir`) with the cache when
 * dynalite's version is `provenOn`; otherwise leaves them alone and says so.
 * @example installDynaliteParseCache(require, dirname(require.resolve('dynalite/package.json')), PARSE_CACHE_PROVEN_ON, PARSE_CACHE_MAX_ENTRIES)
 */
export function installDynaliteParseCache(
  load: ModuleLoader,
  dynaliteDir: string,
  provenOn: string,
  maxEntries: number,
): ParseCacheInstall {
  type Tree = unknown;
  type Values = Record<string, unknown>;
  interface Context {
    attrNames?: Record<string, unknown> | null;
    attrVals?: Record<string, unknown> | null;
    unusedAttrNames?: Record<string, unknown> | null;
    unusedAttrVals?: Record<string, unknown> | null;
    isReserved?: unknown;
    compare?: unknown;
    isKeyCondition?: unknown;
  }
  type Parse = (input: unknown, options?: unknown) => Tree;
  interface Learnt {
    readonly tree: object;
    readonly placeholders: Map<object, string>;
    readonly usedNames: readonly string[];
    readonly usedVals: readonly string[];
    readonly isReserved: unknown;
  }

  const stats: ParseCacheStats = { hits: 0, learnt: 0, declined: 0, passedThrough: 0 };
  let version = 'unknown';
  try {
    version = String((load(`${dynaliteDir}/package.json`) as { version?: unknown }).version);
  } catch {
    // Not dynalite's layout this was proven on: no cache.
  }
  if (version !== provenOn) return { installed: false, version, stats };

  // getImmediateType's order: the first of these a value holds (not null) is its type.
  const TYPES = ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'];
  const CONTEXT_KEYS = [
    'attrNames',
    'attrVals',
    'unusedAttrNames',
    'unusedAttrVals',
    'isReserved',
    'compare',
  ];
  const DECLINED = 'declined';
  const cache = new Map<string, Learnt | typeof DECLINED>();

  const isPlain = (value: unknown): value is Record<string, unknown> => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    // Own enumerable string keys only (no symbols, hidden or accessor properties).
    const keys = Reflect.ownKeys(value);
    if (keys.length !== Object.keys(value).length) return false;
    return keys.every((k) => Object.getOwnPropertyDescriptor(value, k)?.get === undefined);
  };
  // The one type of a value the cache takes: exactly `{ <type>: <not null> }`, so that `attrType` and the
  // other types read as absent, as they do on its placeholder.
  const typeOf = (value: unknown): string | undefined => {
    if (!isPlain(value)) return undefined;
    const keys = Object.keys(value);
    const type = keys[0];
    if (keys.length !== 1 || type === undefined || !TYPES.includes(type) || value[type] == null)
      return undefined;
    return type;
  };

  /** The cache key of a call, or undefined when the cache does not take it. */
  const keyOf = (input: unknown, options: unknown): string | undefined => {
    if (typeof input !== 'string' || !isPlain(options)) return undefined;
    const optionKeys = Object.keys(options);
    if (optionKeys.length !== 1 || optionKeys[0] !== 'context') return undefined;
    const context = options['context'];
    if (!isPlain(context)) return undefined;
    for (const k of Object.keys(context))
      if (!CONTEXT_KEYS.includes(k) && k !== 'isKeyCondition') return undefined;
    const names = context['attrNames'];
    if (names != null && !(isPlain(names) && Object.values(names).every((n) => typeof n === 'string'))) {
      return undefined;
    }
    const vals = context['attrVals'];
    let types: string[] | null = null;
    if (vals != null) {
      if (!isPlain(vals)) return undefined;
      types = [];
      for (const k of Object.keys(vals)) {
        const type = typeOf(vals[k]);
        if (type === undefined) return undefined;
        types.push(k, type);
      }
    }
    for (const k of ['unusedAttrNames', 'unusedAttrVals']) {
      if (context[k] != null && !isPlain(context[k])) return undefined;
    }
    return JSON.stringify([input, names ?? null, types]);
  };

  /** Parses against placeholder values; DECLINED when the answer could depend on their contents. */
  const learn = (parse: Parse, input: string, context: Context): Learnt | typeof DECLINED => {
    let touched = false;
    const touch = (): string => {
      touched = true;
      return '';
    };
    const taint = { [Symbol.toPrimitive]: touch, toString: touch, valueOf: touch, toJSON: touch };
    const placeholders = new Map<object, string>();
    let attrVals: Values | null | undefined = context.attrVals;
    if (context.attrVals != null) {
      attrVals = {};
      for (const k of Object.keys(context.attrVals)) {
        const placeholder = { [String(typeOf(context.attrVals[k]))]: taint };
        placeholders.set(placeholder, k);
        attrVals[k] = placeholder;
      }
    }
    const unusedAttrNames: Values = {};
    for (const k of Object.keys(context.attrNames ?? {})) unusedAttrNames[k] = true;
    const unusedAttrVals: Values = {};
    for (const k of Object.keys(context.attrVals ?? {})) unusedAttrVals[k] = true;
    const shadow: Context = {
      attrNames: context.attrNames,
      attrVals,
      unusedAttrNames,
      unusedAttrVals,
      isReserved: context.isReserved,
      compare: () => touch() === 'never',
    };
    if ('isKeyCondition' in context) shadow.isKeyCondition = context.isKeyCondition;
    let tree: Tree;
    try {
      tree = parse(input, { context: shadow });
    } catch {
      return DECLINED;
    }
    if (touched || tree === null || typeof tree !== 'object') return DECLINED;
    // The tree may hold only what `copy` reproduces: primitives, arrays and plain objects, and the
    // placeholders (never walked into). The taint anywhere else would carry a placeholder's contents.
    const seen = new Set<object>();
    const copyable = (node: unknown): boolean => {
      if (node === null || typeof node !== 'object') {
        return typeof node !== 'function' && typeof node !== 'symbol' && typeof node !== 'bigint';
      }
      if (placeholders.has(node) || seen.has(node)) return true;
      if (node === taint) return false;
      seen.add(node);
      if (Array.isArray(node)) {
        if (Object.getPrototypeOf(node) !== Array.prototype) return false;
        if (Reflect.ownKeys(node).length !== Object.keys(node).length + 1) return false;
        return Object.keys(node).every((k) => copyable((node as unknown[])[Number(k)]));
      }
      if (!isPlain(node)) return false;
      // Assigning `__proto__` on a copy with Object.prototype would set its prototype instead.
      if (Object.getPrototypeOf(node) !== null && Object.hasOwn(node, '__proto__')) return false;
      return Object.values(node).every(copyable);
    };
    if (!copyable(tree)) return DECLINED;
    return {
      tree,
      placeholders,
      usedNames: Object.keys(context.attrNames ?? {}).filter((k) => !(k in unusedAttrNames)),
      usedVals: Object.keys(context.attrVals ?? {}).filter((k) => !(k in unusedAttrVals)),
      isReserved: context.isReserved,
    };
  };

  /** A fresh copy of a learnt tree with the request's values, as dynalite's own parse would build it. */
  const answer = (learnt: Learnt, context: Context): Tree => {
    const vals = context.attrVals ?? {};
    const copies = new Map<object, unknown>();
    const copy = (node: unknown): unknown => {
      if (node === null || typeof node !== 'object') return node;
      const name = learnt.placeholders.get(node);
      if (name !== undefined) return vals[name];
      const done = copies.get(node);
      if (done !== undefined) return done;
      if (Array.isArray(node)) {
        const out: unknown[] = new Array<unknown>(node.length);
        copies.set(node, out);
        for (let i = 0; i < node.length; i += 1) if (i in node) out[i] = copy(node[i]);
        return out;
      }
      const out = Object.create(Object.getPrototypeOf(node) as object | null) as Values;
      copies.set(node, out);
      for (const k of Object.keys(node)) out[k] = copy((node as Values)[k]);
      return out;
    };
    const unusedNames = context.unusedAttrNames;
    if (unusedNames) for (const k of learnt.usedNames) delete unusedNames[k];
    const unusedVals = context.unusedAttrVals;
    if (unusedVals) for (const k of learnt.usedVals) delete unusedVals[k];
    return copy(learnt.tree);
  };

  const cached =
    (parser: number, parse: Parse): Parse =>
    (input, options) => {
      const key = keyOf(input, options);
      const context = key === undefined ? undefined : ((options as { context: Context }).context as Context);
      if (key === undefined || context === undefined) {
        stats.passedThrough += 1;
        return parse(input, options);
      }
      const id = `${parser}${key}`;
      let entry = cache.get(id);
      if (entry === undefined) {
        entry = learn(parse, input as string, context);
        if (entry === DECLINED) stats.declined += 1;
        else stats.learnt += 1;
        if (cache.size >= maxEntries) {
          const oldest = cache.keys().next();
          if (!oldest.done) cache.delete(oldest.value);
        }
      } else {
        cache.delete(id);
      }
      cache.set(id, entry);
      if (entry === DECLINED || entry.isReserved !== context.isReserved) {
        stats.passedThrough += 1;
        return parse(input, options);
      }
      stats.hits += 1;
      return answer(entry, context);
    };

  const parsers = ['updateParser', 'conditionParser', 'projectionParser'].map(
    (name) => load(`${dynaliteDir}/db/${name}.js`) as { parse: Parse },
  );
  parsers.forEach((module, i) => {
    module.parse = cached(i, module.parse);
  });
  return { installed: true, version, stats };
}
