import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findProviderMirror,
  mirrorPathsFromCliConfig,
  terraformPlatform,
  type ProviderWanted,
} from '../src/terraform/mirror';
import { cliConfigFor } from '../src/terraform/offline-plan';

const wanted: ProviderWanted = {
  hostname: 'registry.terraform.io',
  namespace: 'hashicorp',
  type: 'aws',
  version: '5.100.0',
  platform: 'linux_amd64',
};

/** Lays out an unpacked mirror under `dir` holding the wanted provider. */
function unpackedMirror(dir: string, version = wanted.version): string {
  const leaf = join(dir, wanted.hostname, wanted.namespace, wanted.type, version, wanted.platform);
  mkdirSync(leaf, { recursive: true });
  writeFileSync(join(leaf, `terraform-provider-aws_v${version}_x5`), 'binary');
  return dir;
}

describe('findProviderMirror', () => {
  let root: string;
  let home: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'imgpipe-mirror-test-'));
    home = join(root, 'home');
    mkdirSync(home);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const search = (env: Record<string, string>, searchRoots: string[] = []) =>
    findProviderMirror(wanted, { env: { XDG_DATA_DIRS: join(root, 'none'), ...env }, home, searchRoots });

  it('takes IMGPIPE_TF_PROVIDER_MIRROR first', () => {
    const mirror = unpackedMirror(join(root, 'from-env'));
    unpackedMirror(join(home, '.terraform.d', 'plugins'));
    expect(search({ IMGPIPE_TF_PROVIDER_MIRROR: mirror })).toEqual({ path: mirror, foundBy: 'env' });
  });

  it('refuses an IMGPIPE_TF_PROVIDER_MIRROR that lacks the provider, saying what it expected', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(() => search({ IMGPIPE_TF_PROVIDER_MIRROR: empty })).toThrow(
      `Expected IMGPIPE_TF_PROVIDER_MIRROR="${empty}" to hold registry.terraform.io/hashicorp/aws 5.100.0 for linux_amd64`,
    );
  });

  it('reads the filesystem_mirror of the Terraform CLI config', () => {
    const mirror = unpackedMirror(join(root, 'cli-mirror'));
    const rc = join(root, 'terraform.rc');
    writeFileSync(
      rc,
      `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n    include = ["hashicorp/*"]\n  }\n}\n`,
    );
    expect(search({ TF_CLI_CONFIG_FILE: rc })).toEqual({ path: mirror, foundBy: 'cli-config' });
  });

  it("finds Terraform's implicit local mirror directories", () => {
    const mirror = unpackedMirror(join(root, 'xdg', 'terraform', 'plugins'));
    expect(search({ XDG_DATA_HOME: join(root, 'xdg') })).toEqual({ path: mirror, foundBy: 'implicit' });
  });

  it('accepts the packed layout (a provider zip)', () => {
    const dir = join(home, '.terraform.d', 'plugins');
    mkdirSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws'), { recursive: true });
    writeFileSync(
      join(
        dir,
        'registry.terraform.io',
        'hashicorp',
        'aws',
        'terraform-provider-aws_5.100.0_linux_amd64.zip',
      ),
      'zip',
    );
    expect(search({})).toEqual({ path: dir, foundBy: 'implicit' });
  });

  it('searches common install roots a few levels deep, ignoring other versions', () => {
    unpackedMirror(join(root, 'opt', 'old-plugins'), '4.0.0');
    const mirror = unpackedMirror(join(root, 'opt', 'tools', 'tf-plugins'));
    expect(search({}, [join(root, 'opt')])).toEqual({ path: mirror, foundBy: 'search' });
  });

  it('gives up with the variable to set when there is no mirror', () => {
    expect.assertions(2);
    try {
      search({}, [root]);
    } catch (error: unknown) {
      expect(error).toMatchObject({ code: 'PROVIDER_MIRROR_NOT_FOUND' });
      expect(String(error)).toContain('set IMGPIPE_TF_PROVIDER_MIRROR');
    }
  });
});

describe('Terraform CLI config for the offline plan', () => {
  it('installs the AWS provider from the mirror only, and names the mirror path', () => {
    const text = cliConfigFor('/mirror dir', wanted);
    expect(mirrorPathsFromCliConfig(text)).toEqual(['/mirror dir']);
    expect(text).toContain('include = ["registry.terraform.io/hashicorp/aws"]');
    expect(text).toContain('exclude = ["registry.terraform.io/hashicorp/aws"]');
  });

  it("names this machine's platform as Terraform does", () => {
    expect(terraformPlatform('linux', 'x64')).toBe('linux_amd64');
    expect(terraformPlatform('darwin', 'arm64')).toBe('darwin_arm64');
  });
});
