import { dirname } from 'node:path';
import { type BaseFunctionSpec, functionEnvironment, type PipelineDefinition } from '@imgpipe/pipeline';
import { LOCAL_REGION } from '@imgpipe/core';
import { functionAccessKeyId } from './iam/enforcer';

/** The secret of every function's key locally (the edge verifies browser POST policies signed with it). */
export const FUNCTION_SECRET = 'local';

function nodeMajor(): number {
  return Number(process.versions.node.split('.')[0]);
}

/**
 * The environment of a function's worker: exactly what infra sets on the Lambda
 * (`functionEnvironment`), plus what the Lambda runtime itself provides, pointed at the local edge.
 * The host's own environment is not inherited (a Lambda does not see it either), except PATH and HOME.
 */
export function workerEnvironment(
  pipeline: PipelineDefinition,
  fn: BaseFunctionSpec,
  bundle: string,
  endpoint: string,
): Record<string, string> {
  return {
    ...functionEnvironment(pipeline, fn.name),
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    // The function's own key id: the edge enforces the function's policy on what it signs.
    AWS_ACCESS_KEY_ID: functionAccessKeyId(fn.name),
    AWS_SECRET_ACCESS_KEY: FUNCTION_SECRET,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    LAMBDA_TASK_ROOT: dirname(bundle),
    TZ: 'UTC',
    IMGPIPE_LOCAL: '1',
    // Lambda runs Node 22; a developer's Node 20 would make the SDK warn on every cold start.
    ...(nodeMajor() < 22 ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } : {}),
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
  };
}
