/** Base of infra's errors: a stable `code`, the original `cause`, and whether retrying can help. */
export abstract class InfraError extends Error {
  abstract readonly code: string;
  readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An environment's config or the app settings are invalid. */
export class InfraConfigError extends InfraError {
  readonly code = 'INVALID_INFRA_CONFIG';
}

/** The synthesized Terraform breaks a policy (public bucket, missing encryption, `*` action, ...). */
export class PolicyViolationError extends InfraError {
  readonly code = 'POLICY_VIOLATION';
}

/** No filesystem mirror of the AWS provider could be found for the offline plan. */
export class ProviderMirrorNotFoundError extends InfraError {
  readonly code = 'PROVIDER_MIRROR_NOT_FOUND';
}

/** A Terraform command of the offline plan failed. */
export class TerraformCommandError extends InfraError {
  readonly code = 'TERRAFORM_COMMAND_FAILED';
}

/** What a deploy needs is missing: the stable codes say which (see `preflight.ts`). */
export class PreflightError extends InfraError {
  constructor(
    readonly code:
      | 'DOCKER_UNAVAILABLE'
      | 'BUILDX_TOO_OLD'
      | 'AWS_CLI_MISSING'
      | 'IMAGE_CONTEXT_MISSING'
      | 'IMAGE_CONTEXT_STALE',
    message: string,
  ) {
    super(message);
  }
}
