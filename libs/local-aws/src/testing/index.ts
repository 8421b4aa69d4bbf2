export { type LocalAws, startLocalAws } from './local-aws';
export { lambdaContext, PipelineServers, startPipelineServers } from './pipeline-servers';
export { type BundleRun, buildFunctionBundle, invokeBundle } from './run-bundle';
