import {
  API_ROUTES,
  checkRoutes,
  DEFAULT_CDN,
  definePipeline,
  ENV,
  functionEnvironment,
  ownerPrefixOf,
  ownerStatusKey,
  PipelineDefinitionError,
  routeKey,
  userPrefix,
  variantCacheControl,
  type RouteSpec,
} from '../src';

describe('API routes', () => {
  it('lists the contract routes, health alone without auth, every other route with its scopes', () => {
    const pipeline = definePipeline();

    expect(pipeline.api.routes.map((r) => [routeKey(r), r.auth])).toEqual([
      ['GET /v1/health', { type: 'none' }],
      ['POST /v1/uploads', { type: 'jwt', anyScope: ['images.write', 'images.admin'] }],
      ['GET /v1/images', { type: 'jwt', anyScope: ['images.read', 'images.admin'] }],
      ['GET /v1/images/{id}', { type: 'jwt', anyScope: ['images.read', 'images.admin'] }],
      ['DELETE /v1/images/{id}', { type: 'jwt', anyScope: ['images.write', 'images.admin'] }],
    ]);
    expect(pipeline.api.scopes).toEqual(['images.read', 'images.write', 'images.admin']);
    expect(pipeline.api.throttle).toEqual({ rateLimit: 50, burstLimit: 100 });
  });

  it('refuses a route without auth other than health, naming it', () => {
    const open: RouteSpec = { id: 'x', method: 'GET', path: '/v1/images', auth: { type: 'none' } };
    expect(() => checkRoutes([...API_ROUTES, open])).toThrow(
      new PipelineDefinitionError('Expected unique routes but "GET /v1/images" repeats'),
    );
    expect(() => checkRoutes([{ ...open, path: '/v1/open' }])).toThrow(
      'Expected auth on every route but GET /v1/health but "GET /v1/open" has none',
    );
  });

  it('refuses a route outside /v1/ and a JWT route without scopes', () => {
    const route: RouteSpec = { id: 'x', method: 'GET', path: '/v2/x', auth: { type: 'jwt', anyScope: [] } };
    expect(() => checkRoutes([route])).toThrow('Expected a route path under /v1/ but received "/v2/x"');
    expect(() => checkRoutes([{ ...route, path: '/v1/x' }])).toThrow(
      'Expected at least one scope for "GET /v1/x" but received none',
    );
  });
});

describe('user prefix and owner partitions', () => {
  it('confines a user to u/<sub>/', () => {
    expect(userPrefix('alice')).toBe('u/alice/');
  });

  it('puts a key in its user area or in the shared partition', () => {
    expect(ownerPrefixOf('u/alice/cat.jpg')).toBe('u/alice/');
    expect(ownerPrefixOf('u/alice/trips/cat.jpg')).toBe('u/alice/');
    expect(ownerPrefixOf('photos/cat.jpg')).toBe('*');
    expect(ownerPrefixOf('u/alice')).toBe('*');
    expect(ownerPrefixOf('u/alice/')).toBe('*');
    expect(ownerPrefixOf('u//cat.jpg')).toBe('*');
    expect(ownerPrefixOf('user/alice/cat.jpg')).toBe('*');
    expect(ownerStatusKey('u/alice/', 'ready')).toBe('u/alice/#ready');
  });
});

describe('upload rules', () => {
  it('follow the limits by default: byte limit, allow-list, five minutes', () => {
    expect(definePipeline().uploads).toEqual({
      maxBytes: 50 * 1024 * 1024,
      expiresInSeconds: 300,
      contentTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff'],
      maxFilenameLength: 255,
    });
    expect(definePipeline({ limits: { allowSvg: true } }).uploads.contentTypes).toEqual([
      'image/jpeg',
      'image/png',
      'image/webp',
      'image/gif',
      'image/avif',
      'image/tiff',
      'image/svg+xml',
    ]);
  });

  it('refuses more bytes than the pipeline accepts, an expiry past 15 minutes, and unknown types', () => {
    expect(() => definePipeline({ limits: { maxBytes: 1000 }, uploads: { maxBytes: 1001 } })).toThrow(
      'Expected uploads.maxBytes at most limits.maxBytes (1000) but received 1001',
    );
    expect(() => definePipeline({ uploads: { expiresInSeconds: 901 } })).toThrow(
      'Expected uploads.expiresInSeconds at most 900 but received 901',
    );
    expect(() => definePipeline({ uploads: { expiresInSeconds: 0 } })).toThrow(
      'Expected positive integer for uploads.expiresInSeconds but received 0',
    );
    expect(() => definePipeline({ uploads: { contentTypes: ['image/svg+xml'] } })).toThrow(
      'Expected uploads.contentTypes among image/jpeg, image/png, image/webp, image/gif, image/avif, image/tiff but received ["image/svg+xml"]',
    );
    expect(() => definePipeline({ uploads: { contentTypes: [] } })).toThrow('but received []');
  });
});

describe('CDN cache rules', () => {
  it('keep a version in browsers for less time than in the CDN', () => {
    expect(definePipeline().cdn).toEqual(DEFAULT_CDN);
    expect(variantCacheControl(DEFAULT_CDN)).toBe('public, max-age=3600, s-maxage=31536000');
    expect(() => definePipeline({ cdn: { browserMaxAgeSeconds: 31_536_000 } })).toThrow(
      'Expected cdn.browserMaxAgeSeconds below cdn.cdnMaxAgeSeconds (31536000) but received 31536000',
    );
  });

  it('refuses a version parameter that is no query parameter name', () => {
    expect(() => definePipeline({ cdn: { versionParameter: 'v&x' } })).toThrow(
      'Expected a query parameter name for cdn.versionParameter but received "v&x"',
    );
    expect(() => definePipeline({ cdn: { versionMetadata: 'X_Version' } })).toThrow(
      'Expected a lower-case metadata name for cdn.versionMetadata but received "X_Version"',
    );
  });
});

describe('HTTP functions', () => {
  it('ship in the same image with their own command and bundle', () => {
    const { httpFunctions } = definePipeline();
    expect(Object.values(httpFunctions)).toEqual([
      {
        name: 'api',
        bundle: 'api.mjs',
        command: 'api.handler',
        memoryMb: 512,
        timeoutSeconds: 10,
        reservedConcurrency: 20,
        trigger: 'http-api',
      },
      {
        name: 'render',
        bundle: 'render.mjs',
        command: 'render.handler',
        memoryMb: 2048,
        timeoutSeconds: 25,
        reservedConcurrency: 5,
        trigger: 'function-url',
      },
    ]);
  });

  it('take sizing overrides, checked', () => {
    expect(definePipeline({ httpFunctions: { api: { memoryMb: 1024 } } }).httpFunctions.api.memoryMb).toBe(
      1024,
    );
    expect(() => definePipeline({ httpFunctions: { render: { timeoutSeconds: 0 } } })).toThrow(
      'Expected positive integer for functions.render.timeoutSeconds but received 0',
    );
  });

  it('get the pipeline environment with the CDN and upload rules as JSON', () => {
    const pipeline = definePipeline();
    const env = functionEnvironment(pipeline, 'api');
    expect(JSON.parse(env[ENV.cdn] ?? 'null')).toEqual(pipeline.cdn);
    expect(JSON.parse(env[ENV.uploads] ?? 'null')).toEqual(pipeline.uploads);
    expect(env['POWERTOOLS_SERVICE_NAME']).toBe('imgpipe-api');
    expect(env[ENV.cdnBaseUrl]).toBeUndefined();
  });
});
