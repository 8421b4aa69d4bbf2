import { FUNCTION_NAMES } from '@imgpipe/pipeline';
import { type EnvironmentConfig, SNS_PROTOCOLS } from './config';
import { InfraConfigError } from './errors';

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const ENV_NAME = /^[a-z][a-z0-9-]{0,15}$/;
const ACCOUNT_ID = /^\d{12}$/;
// What S3 allows, minus dots (they break TLS for virtual-hosted-style requests).
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const NAME_PREFIX = /^[a-z][a-z0-9-]{0,23}$/;

function positive(value: number, what: string, env: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new InfraConfigError(`Expected positive integer for ${env}.${what} but received ${String(value)}`);
  }
}

/**
 * Checks an environment's config up front, so a bad value fails synthesis with a message
 * naming the field rather than a later Terraform error.
 * @example validateEnvironment(ENVIRONMENTS[0]!)
 */
export function validateEnvironment(config: EnvironmentConfig): EnvironmentConfig {
  const env = config.name;
  if (!ENV_NAME.test(env)) {
    throw new InfraConfigError(`Expected lower-case environment name (a-z, 0-9, -) but received "${env}"`);
  }
  if (!REGION.test(config.region)) {
    throw new InfraConfigError(
      `Expected AWS region like "eu-west-1" for ${env}.region but received "${config.region}"`,
    );
  }
  if (!LOG_RETENTION_DAYS.includes(config.logRetentionDays)) {
    throw new InfraConfigError(
      `Expected one of ${LOG_RETENTION_DAYS.join(', ')} for ${env}.logRetentionDays but received ${config.logRetentionDays}`,
    );
  }
  if (config.namePrefix !== undefined && !NAME_PREFIX.test(config.namePrefix)) {
    throw new InfraConfigError(
      `Expected a name prefix of at most 24 lower-case letters, digits and - for ${env}.namePrefix but received "${config.namePrefix}"`,
    );
  }
  for (const id of config.allowedAccountIds ?? []) {
    if (!ACCOUNT_ID.test(id)) {
      throw new InfraConfigError(
        `Expected 12-digit AWS account ids in ${env}.allowedAccountIds but received "${id}"`,
      );
    }
  }
  for (const name of config.bucketNames ? [config.bucketNames.source, config.bucketNames.derived] : []) {
    if (!BUCKET_NAME.test(name)) {
      throw new InfraConfigError(
        `Expected an S3 bucket name (3-63 lower-case letters, digits, -) in ${env}.bucketNames but received "${name}"`,
      );
    }
  }
  for (const sub of config.alarmSubscriptions) {
    if (!(SNS_PROTOCOLS as readonly string[]).includes(sub.protocol) || sub.endpoint === '') {
      throw new InfraConfigError(
        `Expected alarm subscriptions as <${SNS_PROTOCOLS.join('|')}>:<endpoint> for ${env} but received "${sub.protocol}:${sub.endpoint}"`,
      );
    }
  }
  for (const [field, value] of Object.entries({
    'alarms.rejectedPerCode': config.alarms.rejectedPerCode,
    'alarms.reconcilePeriodSeconds': config.alarms.reconcilePeriodSeconds,
    noncurrentVersionDays: config.noncurrentVersionDays,
    abortMultipartDays: config.abortMultipartDays,
    imagesKept: config.imagesKept,
    'alarms.periodSeconds': config.alarms.periodSeconds,
    'alarms.evaluationPeriods': config.alarms.evaluationPeriods,
    'alarms.dlqAgeSeconds': config.alarms.dlqAgeSeconds,
    'alarms.apiLatencyP99Ms': config.alarms.apiLatencyP99Ms,
    'alarms.minRequests': config.alarms.minRequests,
  })) {
    positive(value, field, env);
  }
  for (const [field, value] of Object.entries({
    'alarms.apiServerErrorPercent': config.alarms.apiServerErrorPercent,
    'alarms.apiClientErrorPercent': config.alarms.apiClientErrorPercent,
    'alarms.cdnServerErrorPercent': config.alarms.cdnServerErrorPercent,
  })) {
    if (!(value > 0 && value <= 100)) {
      throw new InfraConfigError(
        `Expected a percentage in (0, 100] for ${env}.${field} but received ${String(value)}`,
      );
    }
  }
  for (const name of Object.keys(config.functions)) {
    if (!(FUNCTION_NAMES as readonly string[]).includes(name)) {
      throw new InfraConfigError(
        `Expected one of ${FUNCTION_NAMES.join(', ')} in ${env}.functions but received "${name}"`,
      );
    }
  }
  return config;
}
