import { DataAwsEcrLifecyclePolicyDocument } from '@cdktf/provider-aws/lib/data-aws-ecr-lifecycle-policy-document';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { DataResource, Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { Architecture } from '../config';

export interface ContainerImageProps {
  readonly repositoryName: string;
  readonly region: string;
  /** The account's partition (`aws`, `aws-cn`, `aws-us-gov`): `data.aws_partition`'s, never hard-coded. */
  readonly partition: string;
  readonly architecture: Architecture;
  /** The assembled build context (`tools/lambda-image/dist/context`). */
  readonly contextDirectory: string;
  /** Hash of the build context; the tag derives from it, so only a code change rebuilds. */
  readonly contextHash: string;
  /** Images kept in the repository; older ones expire. */
  readonly imagesKept: number;
  /** Function names (or a prefix pattern with `*`) allowed to pull the image. */
  readonly functionNamePattern: string;
  /** Allow destroying a repository that still holds images (dev only). Default false. */
  readonly forceDelete?: boolean;
}

/** The image tag for a context hash: short enough to read, long enough never to collide. */
export function imageTag(contextHash: string): string {
  return `ctx-${contextHash.slice(0, 20)}`;
}

/** The docker platform of a Lambda architecture. */
export function dockerPlatform(architecture: Architecture): string {
  return architecture === 'arm64' ? 'linux/arm64' : 'linux/amd64';
}

/**
 * Builds and pushes the image unless its tag is already in the repository. Tags are immutable and
 * builds are not byte-reproducible, so pushing a tag again fails: a rollback to an older context, a
 * retry after a crash between push and state write, or a taint of this resource reuses what is
 * there. Any error of the lookup other than "not found" stops the deploy. Lambda accepts
 * single-platform image manifests only: no provenance/SBOM attestation index.
 */
export const BUILD_SCRIPT = [
  'set -euo pipefail',
  'if found=$(aws ecr describe-images --region "$REGION" --repository-name "$REPOSITORY" --image-ids "imageTag=$TAG" --output text --query "imageDetails[0].imageDigest" 2>&1); then',
  '  echo "$IMAGE_URI is in the repository ($found): not building it again"',
  '  exit 0',
  'fi',
  'case "$found" in *ImageNotFoundException*) ;; *) echo "$found" >&2; exit 1 ;; esac',
  'aws ecr get-login-password --region "$REGION" | docker login --username AWS --password-stdin "$REGISTRY"',
  'docker buildx build --platform "$PLATFORM" --provenance=false --sbom=false --push --tag "$IMAGE_URI" "$CONTEXT"',
].join('\n');

/**
 * The ECR repository (scan on push, immutable tags, lifecycle keeping the last few images) and the
 * one image all functions run, built and pushed by Terraform's built-in `terraform_data` with a
 * local-exec `docker buildx build --push`. Nothing in `plan` needs the image to exist.
 */
export class ContainerImage extends Construct {
  readonly repository: EcrRepository;
  /** `<repository url>:<tag>`, known at plan time up to the repository URL. */
  readonly imageUri: string;
  /** The build step; functions depend on it so they are created after the push. */
  readonly build: DataResource;

  constructor(scope: Construct, id: string, props: ContainerImageProps) {
    super(scope, id);
    this.repository = new EcrRepository(this, 'repository', {
      name: props.repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'AES256' }],
      forceDelete: props.forceDelete ?? false,
    });
    const lifecycle = new DataAwsEcrLifecyclePolicyDocument(this, 'lifecycle-document', {
      rule: [
        {
          priority: 1,
          description: `Keep the last ${props.imagesKept} images`,
          selection: [{ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: props.imagesKept }],
          action: [{ type: 'expire' }],
        },
      ],
    });
    new EcrLifecyclePolicy(this, 'lifecycle', { repository: this.repository.name, policy: lifecycle.json });
    // Lambda pulls with its service principal; scoped to this stack's functions.
    const pull = new DataAwsIamPolicyDocument(this, 'pull-document', {
      statement: [
        {
          sid: 'LambdaPullsFunctionImage',
          effect: 'Allow',
          actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
          condition: [
            {
              test: 'StringLike',
              variable: 'aws:sourceArn',
              values: [
                `arn:${props.partition}:lambda:${props.region}:*:function:${props.functionNamePattern}`,
              ],
            },
          ],
        },
      ],
    });
    new EcrRepositoryPolicy(this, 'pull-policy', { repository: this.repository.name, policy: pull.json });

    const tag = imageTag(props.contextHash);
    this.imageUri = `${this.repository.repositoryUrl}:${tag}`;
    this.build = new DataResource(this, 'build', {
      triggersReplace: { contextHash: props.contextHash, repository: this.repository.repositoryUrl },
      input: { imageUri: this.imageUri },
      provisioners: [
        {
          type: 'local-exec',
          interpreter: ['bash', '-c'],
          command: BUILD_SCRIPT,
          environment: {
            REGION: props.region,
            REPOSITORY: this.repository.name,
            TAG: tag,
            REGISTRY: Fn.element(Fn.split('/', this.repository.repositoryUrl), 0),
            PLATFORM: dockerPlatform(props.architecture),
            IMAGE_URI: this.imageUri,
            CONTEXT: props.contextDirectory,
          },
        },
      ],
    });
  }
}
