import { functionEnvironment, type HttpFunctionName, type PipelineDefinition } from '@imgpipe/pipeline';
import type { Construct } from 'constructs';
import { ImageFunction, type ImageFunctionDeployment } from './image-function';

export interface HttpFunctionProps extends ImageFunctionDeployment {
  readonly pipeline: PipelineDefinition;
  readonly name: HttpFunctionName;
  /** Variables the deployer adds to `functionEnvironment` (`DEPLOY_TIME_ENV`: the CDN's URL, ...). */
  readonly extraEnvironment?: Readonly<Record<string, string>>;
}

/**
 * One synchronously invoked function (`api` behind the HTTP API, `render` behind the CDN): the same
 * image as the event functions with its own `image_config.command`, sizing from the pipeline
 * definition, environment from `functionEnvironment`, X-Ray active tracing, JSON logs into a log group
 * with retention, and its own role
 * built from the definition's policy, like the event functions' (the local stack enforces the same).
 * No async invoke config and no dead-letter queue: its caller gets the answer, or the error.
 */
export class HttpFunction extends ImageFunction {
  constructor(scope: Construct, id: string, props: HttpFunctionProps) {
    const spec = props.pipeline.httpFunctions[props.name];
    super(scope, id, {
      ...props,
      description: `imgpipe ${props.name} (${spec.command}, ${spec.trigger})`,
      spec,
      policy: props.pipeline.policies[props.name],
      environment: { ...functionEnvironment(props.pipeline, props.name), ...props.extraEnvironment },
    });
  }
}
