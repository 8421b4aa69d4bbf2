import { scheduledEvent } from '@imgpipe/core';
import { startPipelineServers, type PipelineServers } from '@imgpipe/local-aws/testing';
import {
  ALL_FUNCTION_NAMES,
  DEFAULT_ALL_FUNCTIONS,
  DEFAULT_FUNCTIONS,
  DEFAULT_HTTP_FUNCTIONS,
  ENV,
} from '@imgpipe/pipeline';
import { readCorpusFile } from '@imgpipe/testing';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import sharp from 'sharp';
import { assembleContext, type ContextManifest } from '../src/assemble';
import { type Arch, forTarget, KOFFI_VERSION } from '../src/sharp';
import { hashImageSources, hashTree } from '@imgpipe/pipeline/tree-hash';
import { chunksOf, fakeCloudFront, httpEvent } from './task-root-support';
import { runFromTaskRoot } from './run-from-task-root';

jest.setTimeout(180_000);

const workspaceRoot = resolve(__dirname, '..', '..', '..');
const hostArch: Arch = process.arch === 'arm64' ? 'arm64' : 'x64';
let scratch: string;
let taskRoot: string;
let manifest: ContextManifest;
let servers: PipelineServers;

beforeAll(async () => {
  // The bundles are the functions engineer's build output; Nx builds them first, this covers a bare `jest`.
  for (const fn of ALL_FUNCTION_NAMES) {
    if (!existsSync(join(workspaceRoot, 'apps', fn, 'dist', DEFAULT_ALL_FUNCTIONS[fn].bundle))) {
      execFileSync(process.execPath, [join(workspaceRoot, 'tools', 'scripts', 'bundle-function.mjs'), fn], {
        stdio: 'pipe',
      });
    }
  }
  scratch = realpathSync(mkdtempSync(join(tmpdir(), 'imgpipe-lambda-image-test-')));
  const staged = join(scratch, 'context');
  manifest = await assembleContext({ workspaceRoot, outDir: staged, arch: hostArch, sharpFrom: 'workspace' });
  // What `COPY` puts in the image: the context, elsewhere; the staging copy is gone.
  taskRoot = join(scratch, 'var-task');
  cpSync(staged, taskRoot, { recursive: true });
  rmSync(staged, { recursive: true, force: true });
  servers = await startPipelineServers({
    names: { sourceBucket: 'imgpipe-test-source', derivedBucket: 'imgpipe-test-derived' },
  });
  console.log(
    `image context for linux/${hostArch}: ${manifest.files} files, ${(manifest.bytes / 1024 / 1024).toFixed(1)} MiB`,
  );
});

afterAll(async () => {
  await servers?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the image build context', () => {
  it('holds the Dockerfile, every bundle, package.json and sharp for the target only', () => {
    const dockerfile = readFileSync(join(taskRoot, 'Dockerfile'), 'utf8');
    // A pinned, dated release of the base image for the target architecture, never the moving `:22`.
    expect(dockerfile).toMatch(
      new RegExp(
        `^FROM public\\.ecr\\.aws/lambda/nodejs:22\\.\\d{4}\\.\\d\\d\\.\\d\\d\\.\\d\\d-${hostArch === 'arm64' ? 'arm64' : 'x86_64'}\n`,
      ),
    );
    // Readable by Lambda's non-root user whatever the umask the context was assembled under.
    expect(dockerfile.split('\n').filter((line) => line.startsWith('COPY'))).toEqual([
      'COPY --chmod=0644 package.json ${LAMBDA_TASK_ROOT}/',
      'COPY --chmod=0755 node_modules ${LAMBDA_TASK_ROOT}/node_modules',
      `COPY --chmod=0644 ${ALL_FUNCTION_NAMES.map((fn) => DEFAULT_ALL_FUNCTIONS[fn].bundle).join(' ')} \${LAMBDA_TASK_ROOT}/`,
      'COPY --chmod=0755 chunks ${LAMBDA_TASK_ROOT}/chunks',
    ]);
    expect(manifest.sourcesHash).toBe(hashImageSources(workspaceRoot));
    expect(readFileSync(join(taskRoot, 'Dockerfile'), 'utf8')).not.toMatch(/^RUN /m);
    for (const fn of ALL_FUNCTION_NAMES) {
      const bundle = DEFAULT_ALL_FUNCTIONS[fn].bundle;
      expect(existsSync(join(taskRoot, bundle))).toBe(true);
      // Every chunk a bundle imports, statically or not, is in the context.
      for (const chunk of chunksOf(taskRoot, bundle, 'all')) expect(manifest.chunks).toContain(chunk);
    }
    expect(JSON.parse(readFileSync(join(taskRoot, 'package.json'), 'utf8')).dependencies).toEqual({
      koffi: '3.3.4',
      sharp: '0.35.5',
    });
    expect(manifest.packages).toEqual(
      [
        '@img/colour',
        `@img/sharp-libvips-linux-${hostArch}`,
        `@img/sharp-linux-${hostArch}`,
        `@koromix/koffi-linux-${hostArch}`,
        'detect-libc',
        'koffi',
        'semver',
        'sharp',
      ].sort(),
    );
  });

  it("takes only the target's native builds of sharp, libvips and koffi", () => {
    const candidates = [
      '@img/sharp-linux-arm64',
      '@img/sharp-libvips-linux-arm64',
      '@img/sharp-linuxmusl-arm64',
      '@img/sharp-linux-x64',
      '@koromix/koffi-linux-arm64',
      '@koromix/koffi-linux-arm',
      '@koromix/koffi-linux-x64',
    ];
    expect(candidates.filter((name) => forTarget(name, 'arm64'))).toEqual([
      '@img/sharp-linux-arm64',
      '@img/sharp-libvips-linux-arm64',
      '@koromix/koffi-linux-arm64',
    ]);
  });

  it("keeps out of metadata-sync's import what its invocations never use (the bundler's cuts)", () => {
    const bundle = DEFAULT_FUNCTIONS['metadata-sync'].bundle;
    const statics = [bundle, ...chunksOf(taskRoot, bundle, 'static')];
    const read = (file: string) => readFileSync(join(taskRoot, file), 'utf8');
    const atImport = statics.map(read).join('\n');
    const onDemand = chunksOf(taskRoot, bundle, 'all')
      .filter((file) => !statics.includes(file))
      .map(read)
      .join('\n');
    const modules = join(workspaceRoot, 'node_modules');
    // Each marker is a string its source holds verbatim, which minifying keeps.
    const cuts = [
      {
        what: 'the schema of an S3 operation no handler calls',
        marker: 'AnalyticsConfiguration',
        source: join(modules, '@aws-sdk', 'client-s3', 'dist-es', 'schemas', 'schemas_0.js'),
        onDemand: false,
      },
      {
        what: "an event schema of Powertools' no handler parses (Cognito)",
        marker: 'PreSignUp_SignUp',
        source: join(modules, '@aws-lambda-powertools', 'parser', 'lib', 'esm', 'schemas', 'cognito.js'),
        onDemand: false,
      },
      {
        what: "a contract metadata-sync never parses (reconcile's report)",
        marker: 'lease-held',
        source: join(workspaceRoot, 'libs', 'contracts', 'src', 'local-api', 'reconcile.ts'),
        onDemand: false,
      },
      {
        what: 'the SSO credential provider (the environment holds the credentials on Lambda)',
        marker: '@aws-sdk/credential-provider-sso - fromSSO',
        source: join(modules, '@aws-sdk', 'credential-provider-sso', 'dist-es', 'fromSSO.js'),
        onDemand: true,
      },
    ];
    expect(cuts.map((cut) => [cut.what, readFileSync(cut.source, 'utf8').includes(cut.marker)])).toEqual(
      cuts.map((cut) => [cut.what, true]),
    );
    expect(
      cuts.map((cut) => [cut.what, atImport.includes(cut.marker), onDemand.includes(cut.marker)]),
    ).toEqual(cuts.map((cut) => [cut.what, false, cut.onDemand]));
  });

  it('ships the koffi version the image library is pinned to', () => {
    const image = JSON.parse(readFileSync(join(workspaceRoot, 'libs', 'image', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(image.dependencies['koffi']).toBe(KOFFI_VERSION);
  });

  it("binds sharp's own libvips through koffi from the task root (the library's fast path)", () => {
    const script = [
      "import sharp from 'sharp';",
      "import koffi from 'koffi';",
      'const lib = koffi.load(`libvips-cpp.so.${sharp.versions.vips}`);',
      "const version = lib.func('const char *vips_version_string(void)');",
      "console.log(JSON.stringify({ vips: version(), koffi: import.meta.resolve('koffi') }));",
    ].join('\n');
    const out = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: taskRoot,
        encoding: 'utf8',
      }),
    ) as { vips: string; koffi: string };
    expect(out.vips).toMatch(new RegExp(`^${sharp.versions.vips.replace(/\./g, '\\.')}`));
    expect(out.koffi.startsWith(`file://${taskRoot}/node_modules/koffi/`)).toBe(true);
  });

  it('reports its size and a content hash that does not depend on where it lives', () => {
    expect(manifest.bytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(manifest.bytes).toBeLessThan(80 * 1024 * 1024);
    expect(hashTree(taskRoot).hash).toBe(manifest.hash);
  });

  it('refuses to assemble without the handler bundles, naming the build to run', async () => {
    expect.assertions(1);
    const empty = mkdtempSync(join(tmpdir(), 'imgpipe-empty-root-'));
    try {
      await assembleContext({
        workspaceRoot: empty,
        outDir: join(empty, 'ctx'),
        arch: hostArch,
        sharpFrom: 'workspace',
      });
    } catch (error: unknown) {
      expect(error).toMatchObject({
        code: 'BUNDLE_MISSING',
        message: expect.stringContaining('npx nx run-many -t build -p resize'),
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('handlers run from a copy of the context', () => {
  const key = 'task-root/flowers.jpeg';
  let upload: Awaited<ReturnType<PipelineServers['upload']>>;

  beforeAll(async () => {
    upload = await servers.upload(key, readCorpusFile('sharp-fixtures/flowers.jpeg'));
  });

  it('resize renders the variants, with sharp loaded from the copy', async () => {
    const run = await runFromTaskRoot(
      taskRoot,
      DEFAULT_FUNCTIONS.resize.command,
      servers.created(key, upload),
      servers.env('resize'),
    );
    expect(run).toMatchObject({ ok: true, cwd: taskRoot });
    expect(run.sharpResolved.startsWith(`${taskRoot}${sep}node_modules${sep}sharp${sep}`)).toBe(true);
    expect(await servers.derivedKeys(`${key}/`)).toEqual([
      `${key}/large.jpg`,
      `${key}/small.webp`,
      `${key}/thumb.webp`,
    ]);
    const thumb = await sharp(await servers.derivedBytes(`${key}/thumb.webp`)).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: 128, height: 128 });
  });

  it('metadata-sync completes the row', async () => {
    const command = DEFAULT_FUNCTIONS['metadata-sync'].command;
    const run = await runFromTaskRoot(
      taskRoot,
      command,
      servers.created(key, upload),
      servers.env('metadata-sync'),
    );
    expect(run.ok).toBe(true);
    const row = await servers.row(key);
    expect(row).toMatchObject({
      status: 'ready',
      format: 'jpeg',
      width: 1920,
      height: 1080,
      etag: upload.etag,
    });
    expect(row?.variants?.map((v) => v.name).sort()).toEqual(['large', 'small', 'thumb']);
  });

  it('reconcile, on a scheduled event, renders an object no event reached', async () => {
    const missed = 'task-root/missed.jpg';
    await servers.upload(missed, readCorpusFile('sharp-fixtures/320x240.jpg'));
    const run = await runFromTaskRoot(
      taskRoot,
      DEFAULT_FUNCTIONS.reconcile.command,
      scheduledEvent({ rule: 'imgpipe-test-schedule-reconcile' }),
      servers.env('reconcile'),
    );
    expect(run).toMatchObject({ ok: true, result: expect.objectContaining({ complete: true }) });
    expect((run.result as { rendered: number }).rendered).toBeGreaterThanOrEqual(1);
    expect(await servers.derivedKeys(`${missed}/`)).toEqual([
      `${missed}/large.jpg`,
      `${missed}/small.webp`,
      `${missed}/thumb.webp`,
    ]);
    expect(await servers.row(missed)).toMatchObject({ width: 320, height: 240 });
  });
  it('api answers a payload 2.0 event through its own command', async () => {
    const run = await runFromTaskRoot(
      taskRoot,
      DEFAULT_HTTP_FUNCTIONS.api.command,
      httpEvent({
        routeKey: 'GET /v1/health',
        path: '/v1/health',
        apiId: 'api',
        domainName: 'api.example',
        sourceIp: '203.0.113.7',
        userAgent: 'curl',
      }),
      servers.env('api'),
    );
    expect(run).toMatchObject({ ok: true, result: { statusCode: 200, body: '{"status":"ok"}' } });
  });

  it('render renders a variant of the ready image through its own command', async () => {
    const path = `/${key}/thumb.webp`;
    const run = await runFromTaskRoot(
      taskRoot,
      DEFAULT_HTTP_FUNCTIONS.render.command,
      httpEvent({
        routeKey: '$default',
        path,
        apiId: 'render',
        domainName: 'render.lambda-url.us-east-1.on.aws',
        sourceIp: '130.176.0.1',
        userAgent: 'Amazon CloudFront',
      }),
      servers.env('render'),
    );
    expect(run).toMatchObject({ ok: true, result: { statusCode: 200, isBase64Encoded: true } });
    const body = Buffer.from((run.result as { body: string }).body, 'base64');
    expect(await sharp(body).metadata()).toMatchObject({ format: 'webp', width: 128, height: 128 });
  });

  it("resize, on a deletion, loads the CloudFront client from its on-demand chunk and invalidates the image's variants", async () => {
    const bundle = DEFAULT_FUNCTIONS.resize.bundle;
    // The CloudFront client is in a chunk of its own that no cold start reads: not in the bundle nor in
    // any chunk it imports statically, only behind the adapter's dynamic import().
    const holdsCloudFront = (file: string) =>
      readFileSync(join(taskRoot, file), 'utf8').includes(
        '/2020-05-31/distribution/{DistributionId}/invalidation',
      );
    const cloudFront = chunksOf(taskRoot, bundle, 'all').filter(holdsCloudFront);
    expect(cloudFront).toHaveLength(1);
    expect([bundle, ...chunksOf(taskRoot, bundle, 'static')].filter(holdsCloudFront)).toEqual([]);

    const deleted = 'task-root/deleted photo.jpg';
    await servers.upload(deleted, readCorpusFile('sharp-fixtures/320x240.jpg'));
    const removed = await servers.remove(deleted);
    const cdn = await fakeCloudFront();
    try {
      const run = await runFromTaskRoot(
        taskRoot,
        DEFAULT_FUNCTIONS.resize.command,
        servers.deleted(deleted, removed),
        {
          ...servers.env('resize'),
          [ENV.cdnDistributionId]: 'E2EXAMPLE',
          AWS_ENDPOINT_URL_CLOUDFRONT: cdn.endpoint,
        },
      );
      expect(run).toMatchObject({ ok: true });
      expect(cdn.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        'POST /2020-05-31/distribution/E2EXAMPLE/invalidation',
      ]);
      // Signed by the SDK with the function's credentials from the environment.
      expect(cdn.requests[0]?.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
      expect(cdn.requests[0]?.body).toContain('<Path>/task-root/deleted%20photo.jpg/*</Path>');
    } finally {
      await cdn.stop();
    }
  });
});
