import { ALL_FUNCTION_NAMES, DEFAULT_ALL_FUNCTIONS, DEFAULT_FUNCTIONS } from '@imgpipe/pipeline';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { assembleContext } from '../src/assemble';
import { forTarget, KOFFI_VERSION } from '../src/sharp';
import { hashImageSources, hashTree } from '@imgpipe/pipeline/tree-hash';
import { chunksOf } from './task-root-support';
import { hostArch, useTaskRoot, workspaceRoot } from './task-root-fixture';

jest.setTimeout(180_000);

const root = useTaskRoot({ servers: false });

describe('the image build context', () => {
  it('holds the Dockerfile, every bundle, package.json and sharp for the target only', () => {
    const dockerfile = readFileSync(join(root.dir, 'Dockerfile'), 'utf8');
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
    expect(root.manifest.sourcesHash).toBe(hashImageSources(workspaceRoot));
    expect(readFileSync(join(root.dir, 'Dockerfile'), 'utf8')).not.toMatch(/^RUN /m);
    for (const fn of ALL_FUNCTION_NAMES) {
      const bundle = DEFAULT_ALL_FUNCTIONS[fn].bundle;
      expect(existsSync(join(root.dir, bundle))).toBe(true);
      // Every chunk a bundle imports, statically or not, is in the context.
      for (const chunk of chunksOf(root.dir, bundle, 'all')) expect(root.manifest.chunks).toContain(chunk);
    }
    expect(JSON.parse(readFileSync(join(root.dir, 'package.json'), 'utf8')).dependencies).toEqual({
      koffi: '3.3.4',
      sharp: '0.35.5',
    });
    expect(root.manifest.packages).toEqual(
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
    const statics = [bundle, ...chunksOf(root.dir, bundle, 'static')];
    const read = (file: string) => readFileSync(join(root.dir, file), 'utf8');
    const atImport = statics.map(read).join('\n');
    const onDemand = chunksOf(root.dir, bundle, 'all')
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
        cwd: root.dir,
        encoding: 'utf8',
      }),
    ) as { vips: string; koffi: string };
    expect(out.vips).toMatch(new RegExp(`^${sharp.versions.vips.replace(/\./g, '\\.')}`));
    expect(out.koffi.startsWith(`file://${root.dir}/node_modules/koffi/`)).toBe(true);
  });

  it('reports its size and a content hash that does not depend on where it lives', () => {
    expect(root.manifest.bytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(root.manifest.bytes).toBeLessThan(80 * 1024 * 1024);
    expect(hashTree(root.dir).hash).toBe(root.manifest.hash);
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
