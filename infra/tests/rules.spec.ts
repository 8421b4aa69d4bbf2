import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Testing } from 'cdktf';
import { devConfig, devStack, stackPipeline, synthesized } from './helpers';

describe('Rules', () => {
  const config = devConfig({
    keyFilter: { prefix: 'uploads/', suffixes: ['.jpg', '.png'] },
    reconcileSchedule: 'rate(30 minutes)',
  });
  const stack = devStack(config);
  const synth = Testing.synth(stack);
  const tf = synthesized(stack);
  const pipeline = stackPipeline(tf, config);
  const rules = Object.entries(tf.resource?.['aws_cloudwatch_event_rule'] ?? {});
  const targets = Object.values(tf.resource?.['aws_cloudwatch_event_target'] ?? {});

  it("deploys exactly the pipeline definition's S3 event patterns", () => {
    const deployed = rules
      .filter(([, r]) => r['event_pattern'])
      .map(([, r]) => JSON.parse(String(r['event_pattern'])));
    expect(deployed).toEqual(pipeline.rules.map((rule) => rule.pattern));
  });

  it('pins every S3 rule to the source bucket, so the derived bucket can never trigger a function', () => {
    for (const [, rule] of rules.filter(([, r]) => r['event_pattern'])) {
      const pattern = JSON.parse(String(rule['event_pattern'])) as { detail: { bucket: { name: string[] } } };
      expect(pattern.detail.bucket.name).toEqual([pipeline.names.sourceBucket]);
      expect(pipeline.names.sourceBucket).toMatch(
        /^\$\{aws_s3_bucket\.buckets_source_bucket_[0-9A-F]+\.bucket\}$/,
      );
      expect(String(rule['event_pattern'])).not.toContain(pipeline.names.derivedBucket);
    }
  });

  it('keeps the configured prefix and suffix filters in the patterns', () => {
    const created = rules.find(([, r]) => r['name'] === 'imgpipe-dev-object-created')?.[1];
    expect(JSON.parse(String(created?.['event_pattern']))).toMatchObject({
      'detail-type': ['Object Created'],
      detail: { object: { key: [{ wildcard: 'uploads/*.jpg' }, { wildcard: 'uploads/*.png' }] } },
    });
  });

  it('schedules reconcile with the configured expression', () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchEventRule, {
      name: 'imgpipe-dev-schedule-reconcile',
      schedule_expression: 'rate(30 minutes)',
    });
    const schedule = rules.find(([, r]) => r['schedule_expression'])?.[0];
    const target = targets.find((t) => String(t['rule']).includes(`aws_cloudwatch_event_rule.${schedule}.`));
    expect(String(target?.['arn'])).toMatch(/aws_lambda_function\.functions_reconcile_function_/);
  });

  it('targets resize and metadata-sync from both S3 rules, with a retry policy and a dead-letter queue', () => {
    const s3Targets = targets.filter((t) => !String(t['arn']).includes('reconcile'));
    expect(s3Targets).toHaveLength(4);
    for (const target of s3Targets) {
      expect(target['retry_policy']).toEqual({
        maximum_event_age_in_seconds: 86400,
        maximum_retry_attempts: 185,
      });
      expect(JSON.stringify(target['dead_letter_config'])).toMatch(
        /aws_sqs_queue\.dead-letter-queue_[0-9A-F]+\.arn/,
      );
    }
    const arns = s3Targets.map((t) => String(t['arn']));
    expect(arns.filter((a) => a.includes('functions_resize_function'))).toHaveLength(2);
    expect(arns.filter((a) => a.includes('functions_metadata-sync_function'))).toHaveLength(2);
  });

  it('lets EventBridge invoke each target, scoped to its rule', () => {
    expect(synth).toHaveResourceWithProperties(LambdaPermission, {
      action: 'lambda:InvokeFunction',
      principal: 'events.amazonaws.com',
    });
    // The API's and the CDN's permissions belong to their constructs (http-api, cdn specs).
    const permissions = Object.values(tf.resource?.['aws_lambda_permission'] ?? {}).filter(
      (p) => p['principal'] === 'events.amazonaws.com',
    );
    expect(permissions).toHaveLength(5);
    for (const p of permissions)
      expect(String(p['source_arn'])).toMatch(/^\$\{aws_cloudwatch_event_rule\..*\.arn\}$/);
  });

  it('lets only these rules send undeliverable events to the dead-letter queue', () => {
    const policy = Object.values(tf.resource?.['aws_sqs_queue_policy'] ?? {})[0];
    const docName =
      /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(String(policy?.['policy']))?.[1] ?? '';
    const doc = tf.data?.['aws_iam_policy_document']?.[docName] as { statement: Record<string, unknown>[] };
    const allow = doc.statement.find((s) => s['effect'] === 'Allow');
    expect(allow?.['principals']).toEqual([{ type: 'Service', identifiers: ['events.amazonaws.com'] }]);
    expect(allow?.['condition']).toEqual([
      expect.objectContaining({
        test: 'ArnEquals',
        variable: 'aws:SourceArn',
        values: expect.arrayContaining([expect.stringMatching(/event_rule/)]),
      }),
    ]);
    expect((allow?.['condition'] as { values: string[] }[])[0]?.values).toHaveLength(3);
  });
});
