import { FUNCTION_NAMES, functionEnvironment } from '@imgpipe/pipeline';
import { Testing } from 'cdktf';
import { ENVIRONMENTS } from '../src/config';
import { ImgpipeStack } from '../src/stack';
import { stackPipeline, TEST_CONTEXT } from './helpers';
import type { TerraformJson } from '../src/policy/terraform-json';

describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))(
  'the deployed %s stack',
  (name, config) => {
    const tf = JSON.parse(
      Testing.synth(
        new ImgpipeStack(Testing.app(), `imgpipe-${name}`, { config, imageContext: TEST_CONTEXT }),
      ),
    ) as TerraformJson;
    const pipeline = stackPipeline(tf, config);
    const blocks = (type: string) => Object.values(tf.resource?.[type] ?? {});

    it('matches the pipeline definition: event patterns, schedules and function environments', () => {
      const rules = blocks('aws_cloudwatch_event_rule');
      expect(
        rules.filter((r) => r['event_pattern']).map((r) => JSON.parse(String(r['event_pattern']))),
      ).toEqual(pipeline.rules.map((rule) => rule.pattern));
      expect(rules.filter((r) => r['schedule_expression']).map((r) => r['schedule_expression'])).toEqual(
        pipeline.schedules.map((s) => s.expression),
      );
      for (const fn of FUNCTION_NAMES) {
        const lambda = blocks('aws_lambda_function').find(
          (l) => l['function_name'] === `imgpipe-${name}-${fn}`,
        );
        expect(lambda?.['environment']).toEqual({ variables: functionEnvironment(pipeline, fn) });
        expect(lambda?.['image_config']).toEqual({ command: [pipeline.functions[fn].command] });
      }
    });

    it('lets no event from the derived bucket reach a function', () => {
      const notifications = blocks('aws_s3_bucket_notification');
      expect(notifications).toHaveLength(1);
      expect(String(notifications[0]?.['bucket'])).toMatch(/aws_s3_bucket\.buckets_source_/);
      for (const rule of blocks('aws_cloudwatch_event_rule').filter((r) => r['event_pattern'])) {
        const pattern = JSON.parse(String(rule['event_pattern'])) as {
          detail: { bucket: { name: string[] } };
        };
        expect(pattern.detail.bucket.name).toEqual([pipeline.names.sourceBucket]);
        expect(pipeline.names.sourceBucket).toMatch(
          /^\$\{aws_s3_bucket\.buckets_source_bucket_[0-9A-F]+\.bucket\}$/,
        );
      }
    });
  },
);
