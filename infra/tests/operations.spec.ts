import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Testing } from 'cdktf';
import {
  CLOUDWATCH_KEY_ACTIONS,
  KEY_ADMINISTRATION_ACTIONS,
  KEY_USE_ACTIONS,
  Operations,
} from '../src/constructs/operations';
import { checkTerraform } from '../src/policy/checks';
import { devStack, synthesized } from './helpers';

const thresholds = {
  periodSeconds: 60,
  evaluationPeriods: 2,
  errors: 3,
  throttles: 4,
  dlqDepth: 0,
  dlqAgeSeconds: 600,
};
const functionNames = ['imgpipe-t-resize', 'imgpipe-t-metadata-sync', 'imgpipe-t-reconcile'];

function synthOps(alarmEmail?: string): string {
  return Testing.synthScope((scope) => {
    new Operations(scope, 'ops', {
      namePrefix: 'imgpipe-t',
      region: 'eu-west-1',
      functionNames,
      deadLetterQueueName: 'imgpipe-t-dlq',
      accountId: '123456789012',
      partition: 'aws',
      thresholds,
      ...(alarmEmail ? { alarmEmail } : {}),
    });
  });
}

describe('Operations', () => {
  const synth = synthOps();
  const tf = JSON.parse(synth);

  it('alarms on each function errors and throttles', () => {
    for (const name of functionNames) {
      expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        namespace: 'AWS/Lambda',
        metric_name: 'Errors',
        dimensions: { FunctionName: name },
        threshold: 3,
        period: 60,
        evaluation_periods: 2,
      });
      expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        namespace: 'AWS/Lambda',
        metric_name: 'Throttles',
        dimensions: { FunctionName: name },
        threshold: 4,
      });
    }
  });

  it('alarms on the dead-letter queue depth and oldest message age', () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'imgpipe-t-dlq' },
      threshold: 0,
    });
    expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: 'imgpipe-t-dlq' },
      threshold: 600,
    });
  });

  it('sends every alarm to the SNS topic', () => {
    expect(synth).toHaveResourceWithProperties(SnsTopic, { name: 'imgpipe-t-alarms' });
    const alarms = Object.values(tf.resource.aws_cloudwatch_metric_alarm) as { alarm_actions: string[] }[];
    expect(alarms).toHaveLength(8);
    for (const alarm of alarms)
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\..*\.arn\}$/)]);
  });

  it('encrypts the topic with its own customer-managed key, rotated yearly', () => {
    expect(synth).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      policy: expect.stringMatching(/^\$\{data\.aws_iam_policy_document\..*alarms-key-policy.*\.json\}$/),
    });
    const keys = Object.keys(tf.resource.aws_kms_key);
    expect(keys).toHaveLength(1);
    expect(synth).toHaveResourceWithProperties(SnsTopic, {
      name: 'imgpipe-t-alarms',
      kms_master_key_id: `\${aws_kms_key.${keys[0]}.arn}`,
    });
    expect(synth).toHaveResourceWithProperties(KmsAlias, {
      name: 'alias/imgpipe-t-alarms',
      target_key_id: `\${aws_kms_key.${keys[0]}.key_id}`,
    });
  });

  it('lets the account administer and use the key with listed actions, and CloudWatch only publish for this account', () => {
    const root = { type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] };
    expect(synth).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        {
          sid: 'KeyAdministrationByAccount',
          effect: 'Allow',
          actions: [...KEY_ADMINISTRATION_ACTIONS],
          resources: ['*'],
          principals: [root],
        },
        {
          sid: 'KeyUseByAccount',
          effect: 'Allow',
          actions: [...KEY_USE_ACTIONS],
          resources: ['*'],
          principals: [root],
        },
        {
          sid: 'CloudWatchAlarmsPublish',
          effect: 'Allow',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] }],
        },
      ],
    });
    expect(CLOUDWATCH_KEY_ACTIONS).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    // The account can still manage the key (KMS refuses a policy that would lock it out) and encrypt/decrypt.
    expect(KEY_ADMINISTRATION_ACTIONS).toEqual(
      expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:EnableKeyRotation']),
    );
    expect(KEY_USE_ACTIONS).toEqual(
      expect.arrayContaining(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey']),
    );
    // No wildcard at all, not even a suffix one such as kms:Describe*.
    for (const action of [...KEY_ADMINISTRATION_ACTIONS, ...KEY_USE_ACTIONS, ...CLOUDWATCH_KEY_ACTIONS])
      expect(action).toMatch(/^kms:[A-Za-z]+$/);
  });

  it('takes the account of the key policy from the dead-letter queue ARN, never from a data source that calls AWS', () => {
    const stackTf = synthesized(devStack());
    expect(checkTerraform(stackTf, { architecture: 'arm64' })).toEqual([]);
    // Only documents rendered locally by the provider: nothing that needs credentials at plan time.
    expect(Object.keys(stackTf.data ?? {}).sort()).toEqual([
      'aws_ecr_lifecycle_policy_document',
      'aws_iam_policy_document',
    ]);
    const queue = Object.keys(stackTf.resource?.['aws_sqs_queue'] ?? {})[0];
    const docs = Object.entries(stackTf.data?.['aws_iam_policy_document'] ?? {});
    const keyPolicy = docs.find(([name]) => name.includes('alarms-key-policy'))?.[1] as {
      statement: { principals: { identifiers: string[] }[]; condition?: { values: string[] }[] }[];
    };
    const account = `\${element(split(":", aws_sqs_queue.${queue}.arn), 4)}`;
    const partition = `\${element(split(":", aws_sqs_queue.${queue}.arn), 1)}`;
    expect(keyPolicy.statement[0]?.principals[0]?.identifiers).toEqual([
      `arn:${partition}:iam::${account}:root`,
    ]);
    expect(keyPolicy.statement[2]?.condition?.[0]?.values).toEqual([account]);
    // Dev keys are removable after a week (the stack is destroyed and recreated); prod keeps KMS's 30-day default.
    expect(Object.values(stackTf.resource?.['aws_kms_key'] ?? {})[0]).toMatchObject({
      deletion_window_in_days: 7,
      enable_key_rotation: true,
    });
  });

  it('subscribes an alarm e-mail only when one is configured', () => {
    expect(synth).not.toHaveResource(SnsTopicSubscription);
    expect(synthOps('ops@example.com')).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: 'email',
      endpoint: 'ops@example.com',
    });
  });

  it('draws invocations, duration, errors and throttles per function on one dashboard', () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchDashboard, { dashboard_name: 'imgpipe-t' });
    const body = JSON.parse(
      (Object.values(tf.resource.aws_cloudwatch_dashboard)[0] as { dashboard_body: string }).dashboard_body,
    );
    const byMetric = new Map<string, string[]>();
    for (const widget of body.widgets as { properties: { metrics: string[][] } }[]) {
      for (const [namespace, metric, , name] of widget.properties.metrics) {
        if (namespace === 'AWS/Lambda' && metric && name)
          byMetric.set(metric, [...(byMetric.get(metric) ?? []), name]);
      }
    }
    for (const metric of ['Invocations', 'Duration', 'Errors', 'Throttles'])
      expect(byMetric.get(metric)).toEqual(functionNames);
  });
});
