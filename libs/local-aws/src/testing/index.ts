export { type LocalAws, startLocalAws } from './local-aws';
export { lambdaContext, PipelineServers, startPipelineServers } from './pipeline-servers';
export { type BundleRun, buildFunctionBundle, invokeBundle } from './run-bundle';
export { createLambdaContext, type LambdaContext, type LambdaContextInput } from '../runtime/lambda-context';
export {
  freePort,
  localStackEntry,
  type SpawnedStack,
  type SpawnStackOptions,
  spawnLocalStack,
} from './spawn-stack';
