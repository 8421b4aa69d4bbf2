import { resolve } from 'node:path';
import { ImageContextError } from '../src/errors';
import { type Lockfile, lockfileFor, readWorkspaceLockfile } from '../src/lockfile';
import { SHARP_VERSION } from '../src/sharp';

const workspace = readWorkspaceLockfile(resolve(__dirname, '..', '..', '..'));

describe('lockfileFor', () => {
  const lock = lockfileFor(workspace, 'sharp', 'imgpipe-image-deps');
  const paths = Object.keys(lock.packages).filter((path) => path !== '');

  it('depends on the exact sharp version the workspace locks, nothing else', () => {
    expect(lock.packages['']).toEqual({ name: 'imgpipe-image-deps', dependencies: { sharp: SHARP_VERSION } });
    expect(lock.lockfileVersion).toBe(3);
  });

  it("holds sharp's whole dependency closure (every platform's binaries: npm picks the target's)", () => {
    const sharp = workspace.packages['node_modules/sharp']!;
    const direct = [
      ...Object.keys(sharp.dependencies ?? {}),
      ...Object.keys(sharp.optionalDependencies ?? {}),
    ];
    for (const dep of direct) expect(paths).toContain(`node_modules/${dep}`);
    expect(paths).toContain('node_modules/@img/sharp-linux-arm64');
    expect(paths).toContain('node_modules/@img/sharp-libvips-linux-x64');
    // Nothing of the workspace's own tooling comes along.
    expect(paths.filter((path) => /node_modules\/(typescript|jest|cdktf|@imgpipe\/)/.test(path))).toEqual([]);
  });

  it('copies each entry (version and integrity) from the workspace lockfile, so npm ci installs what was tested', () => {
    for (const path of paths) {
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...expected } = workspace.packages[path]!;
      expect(lock.packages[path]).toEqual(expected);
      expect(lock.packages[path]?.version).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it('resolves a nested dependency where Node would, not the hoisted one', () => {
    const fake: Lockfile = {
      lockfileVersion: 3,
      packages: {
        'node_modules/a': { version: '1.0.0', dependencies: { b: '^2' } },
        'node_modules/a/node_modules/b': { version: '2.1.0' },
        'node_modules/b': { version: '1.0.0' },
      },
    };
    expect(Object.keys(lockfileFor(fake, 'a', 'p').packages)).toEqual([
      '',
      'node_modules/a',
      'node_modules/a/node_modules/b',
    ]);
  });

  it('refuses a package or required dependency the workspace does not lock', () => {
    expect(() => lockfileFor(workspace, 'left-pad-nowhere', 'p')).toThrow(ImageContextError);
    const broken: Lockfile = {
      lockfileVersion: 3,
      packages: { 'node_modules/a': { version: '1.0.0', dependencies: { gone: '^1' } } },
    };
    expect(() => lockfileFor(broken, 'a', 'p')).toThrow(
      'Expected gone (a dependency of node_modules/a) in the workspace lockfile but it is not there',
    );
  });
});
