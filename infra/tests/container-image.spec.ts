import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataResource, Testing } from 'cdktf';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_SCRIPT, ContainerImage, imageTag } from '../src/constructs/container-image';

/**
 * Runs the build script with fake `aws` and `docker` commands first on PATH: `aws ecr describe-images`
 * answers `describe` (exit status and output), every call of either is recorded.
 */
function runBuildScript(describe: { status: number; output: string }): { status: number; calls: string[] } {
  const bin = mkdtempSync(join(tmpdir(), 'imgpipe-build-script-'));
  const log = join(bin, 'calls.log');
  try {
    const fake = (name: string, body: string): void => {
      writeFileSync(join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> "${log}"\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    fake(
      'aws',
      `if [ "$2" = describe-images ]; then echo "${describe.output}"; exit ${describe.status}; fi\necho password`,
    );
    fake('docker', 'cat > /dev/null; exit 0');
    writeFileSync(log, '');
    const run = spawnSync('bash', ['-c', BUILD_SCRIPT], {
      env: {
        PATH: `${bin}:${process.env['PATH'] ?? ''}`,
        REGION: 'eu-west-1',
        REPOSITORY: 'imgpipe-test-functions',
        TAG: 'ctx-1',
        REGISTRY: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        PLATFORM: 'linux/arm64',
        IMAGE_URI: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/imgpipe-test-functions:ctx-1',
        CONTEXT: '/build/context',
      },
      encoding: 'utf8',
    });
    const calls = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ').slice(0, 3).join(' '));
    return { status: run.status ?? -1, calls };
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

function synthImage(contextHash: string, architecture: 'arm64' | 'x86_64' = 'arm64') {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new ContainerImage(scope, 'image', {
        repositoryName: 'imgpipe-test-functions',
        region: 'eu-west-1',
        partition: 'aws',
        architecture,
        contextDirectory: '/build/context',
        contextHash,
        imagesKept: 4,
        functionNamePattern: 'imgpipe-test-*',
      });
    }),
  );
}

describe('ContainerImage', () => {
  const hash = '0123456789abcdef'.repeat(4);
  const synth = Testing.synthScope((scope) => {
    new ContainerImage(scope, 'image', {
      repositoryName: 'imgpipe-test-functions',
      region: 'eu-west-1',
      partition: 'aws-cn',
      architecture: 'arm64',
      contextDirectory: '/build/context',
      contextHash: hash,
      imagesKept: 4,
      functionNamePattern: 'imgpipe-test-*',
    });
  });

  it('creates an ECR repository that scans on push, with immutable tags and encryption', () => {
    expect(synth).toHaveResourceWithProperties(EcrRepository, {
      name: 'imgpipe-test-functions',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'AES256' }],
    });
  });

  it('keeps only the last few images', () => {
    expect(synth).toHaveResource(EcrLifecyclePolicy);
    const doc = JSON.parse(synth).data.aws_ecr_lifecycle_policy_document;
    expect(Object.values(doc)).toEqual([
      expect.objectContaining({
        rule: [
          expect.objectContaining({
            selection: [{ tag_status: 'any', count_type: 'imageCountMoreThan', count_number: 4 }],
            action: [{ type: 'expire' }],
          }),
        ],
      }),
    ]);
  });

  it('builds and pushes with terraform_data and docker buildx for the configured platform', () => {
    expect(synth).toHaveResourceWithProperties(DataResource, {
      triggers_replace: expect.objectContaining({ contextHash: hash }),
    });
    const build = Object.values(JSON.parse(synth).resource.terraform_data)[0] as {
      provisioner: { 'local-exec': { command: string; environment: Record<string, string> } }[];
    };
    const exec = build.provisioner[0]?.['local-exec'];
    expect(exec?.command).toContain('docker buildx build --platform "$PLATFORM"');
    expect(exec?.command).toContain('--push');
    expect(exec?.environment).toEqual(
      expect.objectContaining({ PLATFORM: 'linux/arm64', CONTEXT: '/build/context', REGION: 'eu-west-1' }),
    );
    expect(exec?.environment['IMAGE_URI']).toMatch(new RegExp(`repository_url}:${imageTag(hash)}$`));
  });

  it("lets only this stack's functions pull, in the partition of the account (never a hard-coded arn:aws)", () => {
    expect(synth).toHaveResource(EcrRepositoryPolicy);
    expect(synth).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        expect.objectContaining({
          sid: 'LambdaPullsFunctionImage',
          condition: [
            {
              test: 'StringLike',
              variable: 'aws:sourceArn',
              values: ['arn:aws-cn:lambda:eu-west-1:*:function:imgpipe-test-*'],
            },
          ],
        }),
      ],
    });
  });

  it('skips the build and push when the tag is already in the repository (tags are immutable)', () => {
    expect(runBuildScript({ status: 0, output: 'sha256:abc' })).toEqual({
      status: 0,
      calls: ['aws ecr describe-images'],
    });
  });

  it('builds and pushes when the repository has no such tag', () => {
    const output = 'An error occurred (ImageNotFoundException) when calling the DescribeImages operation';
    const run = runBuildScript({ status: 254, output });
    expect(run.status).toBe(0);
    // The login's two sides run as one pipe, in either order.
    expect(run.calls[0]).toBe('aws ecr describe-images');
    expect(run.calls.slice(1, 3).sort()).toEqual(['aws ecr get-login-password', 'docker login --username']);
    expect(run.calls.slice(3)).toEqual(['docker buildx build']);
  });

  it('stops the deploy when the lookup fails for another reason (credentials, access)', () => {
    const output = 'An error occurred (AccessDeniedException) when calling the DescribeImages operation';
    expect(runBuildScript({ status: 254, output })).toEqual({
      status: 1,
      calls: ['aws ecr describe-images'],
    });
  });

  it('tags the image from the context hash, so the same code keeps the tag and a change moves it', () => {
    const a = JSON.stringify(synthImage(hash).resource.terraform_data);
    const same = JSON.stringify(synthImage(hash).resource.terraform_data);
    const changed = JSON.stringify(synthImage('f'.repeat(64)).resource.terraform_data);
    expect(same).toBe(a);
    expect(changed).not.toBe(a);
    expect(imageTag(hash)).toBe('ctx-0123456789abcdef0123');
  });

  it('builds for linux/amd64 when the functions run on x86_64', () => {
    const build = Object.values(synthImage(hash, 'x86_64').resource.terraform_data)[0] as {
      provisioner: { 'local-exec': { environment: Record<string, string> } }[];
    };
    expect(build.provisioner[0]?.['local-exec'].environment['PLATFORM']).toBe('linux/amd64');
  });
});
