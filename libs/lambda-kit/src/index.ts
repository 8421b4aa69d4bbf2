export { cdnFromEnv } from './cdn';
export { composeFunction, once, type FunctionRuntime } from './compose';
export { composeApi, type ApiRuntime } from './compose-api';
export type { LambdaContext } from './context';
export { TransientBatchError } from './errors';
export {
  objectEventHandler,
  type BatchResult,
  type ObjectRuntime,
  type ObjectUseCase,
} from './object-handler';
export {
  countOutcome,
  countReconcileReport,
  countRejected,
  createObservability,
  metricsTelemetry,
  type Observability,
} from './observability';
export {
  scheduledEventHandler,
  type ScheduledJob,
  type ScheduledReporting,
  type ScheduledResult,
} from './scheduled-handler';
