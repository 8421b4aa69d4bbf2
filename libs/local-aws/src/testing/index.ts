export { type LocalAws, startLocalAws } from './local-aws';
export {
  lambdaContext,
  PipelineServers,
  startPipelineServers,
  TEST_CDN_BASE_URL,
  TEST_CURSOR_KEY,
} from './pipeline-servers';
export { type PipelineSuite, type PipelineSuiteOptions, usePipelineServers } from './pipeline-suite';
export { type BundleRun, buildFunctionBundle, invokeBundle } from './run-bundle';
export { createLambdaContext, type LambdaContext, type LambdaContextInput } from '../runtime/lambda-context';
export {
  freePort,
  localStackEntry,
  type SpawnedStack,
  type SpawnStackOptions,
  spawnLocalStack,
  TEST_RECONCILE_SCHEDULE,
} from './spawn-stack';
export { codeGrants, usedGrants } from '../iam/audit';
export { ApiCaller, localToken, poll, postForm } from './image-api-client';
