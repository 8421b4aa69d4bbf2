import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  installDynaliteParseCache,
  PARSE_CACHE_MAX_ENTRIES,
  PARSE_CACHE_PROVEN_ON,
  type ParseCacheInstall,
} from '../../src/emulators/dynalite-parse-cache';
import {
  EDGE_TEMPLATES,
  type ExpressionRequest,
  expressionRequests,
  OUR_TEMPLATES,
} from '../support/dynalite-expressions';

const DYNALITE = dirname(require.resolve('dynalite/package.json'));
const TREES = ['_updates', '_condition', '_keyCondition', '_filter', '_projection'] as const;

interface Validations {
  validateExpressions(data: Record<string, unknown>): string | undefined;
}

/** dynalite's validations in a module registry of their own, with or without the cache installed. */
function dynaliteValidations(withCache: boolean): { validations: Validations; install?: ParseCacheInstall } {
  let loaded: { validations: Validations; install?: ParseCacheInstall } | undefined;
  jest.isolateModules(() => {
    const install = withCache
      ? installDynaliteParseCache(
          (path) => require(path),
          DYNALITE,
          PARSE_CACHE_PROVEN_ON,
          PARSE_CACHE_MAX_ENTRIES,
        )
      : undefined;
    loaded = { validations: require(`${DYNALITE}/validations/index.js`) as Validations, install };
  });
  if (!loaded) throw new Error('dynalite did not load');
  return loaded;
}

/**
 * The objects of a parse tree in visiting order: each value object by its name in the request, a node seen
 * before by its first position, a new node by a new number. Equal lists mean the same sharing of nodes and
 * the request's own value objects in the same places.
 */
function identities(tree: unknown, values: Record<string, unknown> | undefined): string[] {
  const names = new Map(Object.entries(values ?? {}).map(([name, value]) => [value, name]));
  const seen = new Map<unknown, number>();
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const name = names.get(node);
    if (name !== undefined) return void out.push(`value ${name}`);
    const at = seen.get(node);
    if (at !== undefined) return void out.push(`again ${at}`);
    seen.set(node, seen.size);
    out.push(`node ${seen.size - 1}`);
    for (const child of Object.values(node)) walk(child);
  };
  walk(tree);
  return out;
}

/** What dynalite keeps from validating a request's expressions: its answer and each tree. */
function outcome(validations: Validations, request: ExpressionRequest) {
  const data = JSON.parse(JSON.stringify(request)) as Record<string, unknown>;
  const error = validations.validateExpressions(data);
  const values = data['ExpressionAttributeValues'] as Record<string, unknown> | undefined;
  return {
    error,
    trees: TREES.map((field) => data[field]),
    identities: TREES.map((field) => identities(data[field], values)),
  };
}

// Thousands of requests (two dynalite threads here): past Jest's default 5 s when the machine is loaded.
jest.setTimeout(60_000);

describe("dynalite's expression parse cache", () => {
  it('gives the answer and trees dynalite gives without it, over thousands of requests', () => {
    // Prepare: two dynalites, one cached; our functions' expressions and the error-prone constructs.
    const plain = dynaliteValidations(false);
    const cached = dynaliteValidations(true);
    const requests = [
      ...expressionRequests(OUR_TEMPLATES, 3000, 11),
      ...expressionRequests(EDGE_TEMPLATES, 6000, 12),
    ];
    // Act
    const differences: { request: ExpressionRequest; plain: unknown; cached: unknown }[] = [];
    let errors = 0;
    for (const request of requests) {
      const a = outcome(plain.validations, request);
      const b = outcome(cached.validations, request);
      if (a.error !== undefined) errors += 1;
      // isDeepStrictEqual compares prototypes too (dynalite builds some nodes with Object.create(null)).
      if (!isDeepStrictEqual(a, b)) differences.push({ request, plain: a, cached: b });
    }
    // Assess: no difference, and the cache did answer (and declined) a good share of them.
    expect(differences.slice(0, 3)).toEqual([]);
    const stats = cached.install?.stats;
    expect(cached.install?.installed).toBe(true);
    expect(errors).toBeGreaterThan(1500);
    expect(stats?.hits).toBeGreaterThan(6000);
    expect(stats?.declined).toBeGreaterThan(20);
    expect(stats?.passedThrough).toBeGreaterThan(500);
  });

  it('answers each of our expressions from the cache after the first', () => {
    // Prepare: our functions' requests as they send them (values of the usual types).
    const cached = dynaliteValidations(true);
    const requests = expressionRequests(OUR_TEMPLATES, 700, 3, true);
    const expressions = (r: ExpressionRequest): number =>
      [r.UpdateExpression, r.ConditionExpression, r.KeyConditionExpression, r.FilterExpression].filter(
        (e) => e !== undefined,
      ).length;
    // Act
    const answers = requests.map((request) => outcome(cached.validations, request).error);
    // Assess: all valid; each distinct expression (16 in the 9 templates: the unread write's update is the
    // move's text with one more value type, so it is learnt apart) learnt once, every parse answered.
    expect(answers.filter((e) => e !== undefined)).toEqual([]);
    expect(cached.install?.stats).toEqual({
      hits: requests.reduce((n, r) => n + expressions(r), 0),
      learnt: 16,
      declined: 0,
      passedThrough: 0,
    });
  });

  it('copies each answer: a tree dynalite changes later does not change the next answer', () => {
    const cached = dynaliteValidations(true);
    const request: ExpressionRequest = {
      KeyConditionExpression: ':pk = #pk',
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: { ':pk': { S: 'a' } },
    };
    const first = JSON.parse(JSON.stringify(request)) as Record<string, unknown>;
    expect(cached.validations.validateExpressions(first)).toBeUndefined();
    const tree = first['_keyCondition'] as { expression: { type: string; args: unknown[] } };
    tree.expression.type = 'changed';
    tree.expression.args.length = 0;
    const second = outcome(cached.validations, request);
    expect(second.trees[2]).toEqual({
      expression: { type: '=', args: [{ S: 'a' }, ['pk']] },
      nestedPaths: {},
      pathHeads: { pk: true },
    });
    expect(cached.install?.stats.hits).toBe(2);
  });

  it('keeps at most its maximum of learnt parses', () => {
    let cache: ParseCacheInstall | undefined;
    let validations: Validations | undefined;
    jest.isolateModules(() => {
      cache = installDynaliteParseCache((path) => require(path), DYNALITE, PARSE_CACHE_PROVEN_ON, 4);
      validations = require(`${DYNALITE}/validations/index.js`) as Validations;
    });
    const request = (i: number): ExpressionRequest => ({ ProjectionExpression: `a${i}` });
    for (let i = 0; i < 6; i += 1) outcome(validations as Validations, request(i));
    outcome(validations as Validations, request(5));
    outcome(validations as Validations, request(0));
    expect(cache?.stats).toEqual({ hits: 8, learnt: 7, declined: 0, passedThrough: 0 });
  });

  it('leaves dynalite alone when its version is not the one the cache was proven on', () => {
    const parsers = { parse: () => 'untouched' };
    const load = (path: string): unknown => (path.endsWith('package.json') ? { version: '4.0.1' } : parsers);
    const install = installDynaliteParseCache(load, DYNALITE, PARSE_CACHE_PROVEN_ON, PARSE_CACHE_MAX_ENTRIES);
    expect(install).toEqual({
      installed: false,
      version: '4.0.1',
      stats: { hits: 0, learnt: 0, declined: 0, passedThrough: 0 },
    });
    expect(parsers.parse()).toBe('untouched');
  });

  it('leaves dynalite alone when its package is not laid out as the one the cache was proven on', () => {
    const load = (path: string): unknown => {
      throw new Error(`Cannot find module '${path}'`);
    };
    const install = installDynaliteParseCache(load, DYNALITE, PARSE_CACHE_PROVEN_ON, PARSE_CACHE_MAX_ENTRIES);
    expect([install.installed, install.version]).toEqual([false, 'unknown']);
  });
});
