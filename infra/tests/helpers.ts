import { Testing, type TerraformStack } from 'cdktf';
import type { PipelineDefinition } from '@imgpipe/pipeline';
import { type AlarmThresholds, ENVIRONMENTS, type EnvironmentConfig, pipelineFor } from '../src/config';
import type { ImageContext } from '../src/image-context';
import { ImgpipeStack } from '../src/stack';
import type { TerraformJson } from '../src/policy/terraform-json';

/** A fixed image context: tests never depend on whether the context has been assembled. */
export const TEST_CONTEXT: ImageContext = {
  directory: '/nonexistent/lambda-image/context',
  hash: 'a'.repeat(64),
  hashedFrom: 'sources',
  sourcesHash: 'a'.repeat(64),
};

/** The dev environment, as `main.ts` configures it. */
export function devConfig(overrides: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  const dev = ENVIRONMENTS.find((env) => env.name === 'dev');
  if (!dev) throw new Error('no dev environment');
  return { ...dev, ...overrides };
}

/** A whole stack for an environment. */
export function devStack(overrides: Partial<EnvironmentConfig> = {}): TerraformStack {
  return new ImgpipeStack(Testing.app(), 'imgpipe-dev', {
    config: devConfig(overrides),
    imageContext: TEST_CONTEXT,
  });
}

/** The synthesized, token-resolved Terraform of a stack, as an object. */
export function synthesized(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

/** The one resource of a type whose attribute has a value. */
export function resourceWhere(
  tf: TerraformJson,
  type: string,
  attribute: string,
  value: unknown,
): Record<string, unknown> {
  const found = Object.values(tf.resource?.[type] ?? {}).filter((block) => block[attribute] === value);
  if (found.length !== 1)
    throw new Error(`Expected one ${type} with ${attribute}=${String(value)}, found ${found.length}`);
  return found[0] as Record<string, unknown>;
}

/**
 * The pipeline definition a synthesized stack was built from: the environment's config with the
 * names of the buckets the stack created (Terraform references, generated at apply time).
 */
export function stackPipeline(tf: TerraformJson, config: EnvironmentConfig): PipelineDefinition {
  const bucket = (which: 'source' | 'derived'): string => {
    const id = Object.keys(tf.resource?.['aws_s3_bucket'] ?? {}).find((name) =>
      name.startsWith(`buckets_${which}_`),
    );
    if (!id) throw new Error(`no ${which} bucket in the stack`);
    return `\${aws_s3_bucket.${id}.bucket}`;
  };
  return pipelineFor(config, { source: bucket('source'), derived: bucket('derived') });
}

/** A synthesized CloudWatch alarm, the attributes the alarm tests read. */
export interface AlarmBlock {
  alarm_name: string;
  provider?: string;
  alarm_actions: string[];
  ok_actions: string[];
  [key: string]: unknown;
}
/** A synthesized stack or scope, the parts the alarm tests read. */
export interface AlarmsSynth {
  provider?: { aws?: { alias?: string; region: string }[] };
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

/** The alarms of a synthesized stack by name. */
export function alarmsOf(tf: AlarmsSynth): Record<string, AlarmBlock> {
  const blocks = Object.values(tf.resource['aws_cloudwatch_metric_alarm'] ?? {}) as AlarmBlock[];
  return Object.fromEntries(blocks.map((b) => [b.alarm_name, b]));
}

/** Alarm thresholds, each a distinct number, so a synthesized alarm shows which one it took. */
export const TEST_THRESHOLDS: AlarmThresholds = {
  periodSeconds: 60,
  evaluationPeriods: 2,
  errors: 3,
  throttles: 4,
  dlqDepth: 0,
  dlqAgeSeconds: 600,
  rejectedPerCode: 7,
  reconcilePeriodSeconds: 3600,
  apiServerErrorPercent: 5,
  apiClientErrorPercent: 30,
  apiLatencyP99Ms: 2500,
  cdnServerErrorPercent: 2,
  minRequests: 20,
};
