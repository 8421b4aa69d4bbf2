export {
  definePipeline,
  functionEnvironment,
  type PipelineDefinition,
  type PipelineOptions,
} from './definition';
export { ENV, type EnvName } from './environment';
export { PipelineDefinitionError } from './errors';
export { DEFAULT_FUNCTIONS, FUNCTION_NAMES, type FunctionName, type FunctionSpec } from './functions';
export { DEFAULT_LIMITS, type LimitsSpec } from './limits';
export {
  CONTENT_TYPE_BY_FORMAT,
  DEFAULT_PRESETS,
  derivedKey,
  EXTENSION_BY_FORMAT,
  type PresetSpec,
  VARIANT_FITS,
  VARIANT_FORMATS,
  type VariantFit,
  type VariantFormat,
} from './presets';
export { CONTROL_TABLE_SCHEMA, DEFAULT_NAMES, type ResourceNames, TABLE_SCHEMA } from './resources';
export {
  type EventPattern,
  type KeyFilter,
  type PatternValue,
  type RuleSpec,
  type S3DetailType,
  s3EventPattern,
  s3Rules,
} from './rules';
export { DEFAULT_RECONCILE_SCHEDULE, isScheduleExpression, type ScheduleSpec } from './schedules';
