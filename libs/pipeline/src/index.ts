export {
  ADMIN_SCOPE,
  API_METHODS,
  API_ROUTES,
  API_SCOPES,
  DEFAULT_API_THROTTLE,
  ownerPrefixOf,
  routeKey,
  SHARED_OWNER,
  USER_PREFIX_ROOT,
  userPrefix,
  type ApiMethod,
  type ApiScope,
  type ApiThrottleSpec,
  type RouteAuth,
  type RouteId,
  type RouteSpec,
} from './api';
export {
  CDN_NOT_FOUND_KEY,
  CDN_RESERVED_KEYS,
  DEFAULT_CDN,
  errorCacheControl,
  variantCacheControl,
  type CdnSpec,
} from './cdn';
export { checkCdn, checkRoutes, checkUploads } from './checks';
export {
  definePipeline,
  functionEnvironment,
  type ApiSpec,
  type PipelineDefinition,
  type PipelineOptions,
} from './definition';
export { DEPLOY_TIME_ENV, ENV, type EnvName } from './environment';
export { PipelineDefinitionError, ScheduleExpressionError } from './errors';
export {
  ALL_FUNCTION_NAMES,
  DEFAULT_ALL_FUNCTIONS,
  DEFAULT_FUNCTIONS,
  DEFAULT_HTTP_FUNCTIONS,
  FUNCTION_NAMES,
  HTTP_FUNCTION_NAMES,
  type AnyFunctionName,
  type BaseFunctionSpec,
  type FunctionName,
  type FunctionSpec,
  type HttpFunctionName,
  type HttpFunctionSpec,
  type HttpTrigger,
} from './functions';
export { IMAGE_SOURCE_ROOTS, isExcludedImageSource } from './image-sources';
export { DEFAULT_LIMITS, type LimitsSpec } from './limits';
export {
  CONDITION_OPERATORS,
  DEFAULT_POLICIES,
  POLICY_RESOURCES,
  policyHolders,
  policyProblem,
  type ConditionOperator,
  type FunctionPolicies,
  type FunctionPolicy,
  type PolicyCondition,
  type PolicyResource,
  type PolicyStatement,
  type StatementBasis,
} from './policies';
export {
  namedPolicyArns,
  policyResourceArn,
  resolvePolicy,
  type ArnScope,
  type PolicyArns,
  type ResolvedStatement,
} from './policy-arns';
export {
  CONTENT_TYPE_BY_FORMAT,
  DEFAULT_PRESETS,
  derivedKey,
  EXTENSION_BY_FORMAT,
  VARIANT_FITS,
  VARIANT_FORMATS,
  type PresetSpec,
  type VariantFit,
  type VariantFormat,
} from './presets';
export {
  CONTROL_TABLE_SCHEMA,
  DEFAULT_NAMES,
  ownerStatusKey,
  TABLE_INDEXES,
  TABLE_SCHEMA,
  type ResourceNames,
  type TableIndexName,
} from './resources';
export {
  s3EventPattern,
  s3Rules,
  type EventPattern,
  type KeyFilter,
  type PatternValue,
  type RuleSpec,
  type S3DetailType,
} from './rules';
export {
  DEFAULT_RECONCILE_SCHEDULE,
  isScheduleExpression,
  scheduleProblem,
  type ScheduleSpec,
} from './schedules';
export { parseSchedule, type Schedule } from './schedule-expression';
export {
  DEFAULT_MAX_FILENAME_LENGTH,
  DEFAULT_UPLOAD_EXPIRY_SECONDS,
  MAX_UPLOAD_EXPIRY_SECONDS,
  SVG_CONTENT_TYPE,
  UPLOAD_CONTENT_TYPES,
  type UploadContentType,
  type UploadSpec,
} from './uploads';
