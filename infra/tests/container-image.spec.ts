import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { DataResource, Testing } from 'cdktf';
import { ContainerImage, imageTag } from '../src/constructs/container-image';

function synthImage(contextHash: string, architecture: 'arm64' | 'x86_64' = 'arm64') {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new ContainerImage(scope, 'image', {
        repositoryName: 'imgpipe-test-functions',
        region: 'eu-west-1',
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
