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
} from '../src/constructs/alarm-topic';
import { Operations } from '../src/constructs/operations';
import type { AlarmSubscription } from '../src/config';
import { PERMANENT_FAILURE_CODES } from '../src/constructs/alarms';
import { checkTerraform } from '../src/policy/checks';
import { TEST_THRESHOLDS, devStack, synthesized } from './helpers';

const functions = {
  resize: 'imgpipe-t-resize',
  'metadata-sync': 'imgpipe-t-metadata-sync',
  reconcile: 'imgpipe-t-reconcile',
};
const functionNames = Object.values(functions);

function synthOps(subscriptions: readonly AlarmSubscription[] = []): string {
  return Testing.synthScope((scope) => {
    new Operations(scope, 'ops', {
      namePrefix: 'imgpipe-t',
      region: 'eu-west-1',
      targets: {
        functions,
        eventDriven: ['resize', 'metadata-sync'],
        scheduled: 'reconcile',
        rules: {
          'object-created': 'imgpipe-t-object-created',
          'object-deleted': 'imgpipe-t-object-deleted',
          'schedule-reconcile': 'imgpipe-t-schedule-reconcile',
        },
        deadLetterQueueName: 'imgpipe-t-dlq',
        metricsNamespace: 'imgpipe/t',
        services: {
          resize: 'imgpipe-resize',
          'metadata-sync': 'imgpipe-metadata-sync',
          reconcile: 'imgpipe-reconcile',
        },
      },
      accountId: '123456789012',
      partition: 'aws',
      thresholds: TEST_THRESHOLDS,
      subscriptions,
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
    // 3 functions × (errors, throttles, async dropped) + 2 destinations + 3 rules + 2 DLQ + 6 codes + reconcile.
    expect(alarms).toHaveLength(23);
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
    // Only data the provider renders locally (documents, the partition of its region): nothing that
    // needs credentials at plan time.
    expect(Object.keys(stackTf.data ?? {}).sort()).toEqual([
      'aws_ecr_lifecycle_policy_document',
      'aws_iam_policy_document',
      'aws_partition',
    ]);
    const queue = Object.keys(stackTf.resource?.['aws_sqs_queue'] ?? {})[0];
    const docs = Object.entries(stackTf.data?.['aws_iam_policy_document'] ?? {});
    const keyPolicy = docs.find(([name]) => name.includes('alarms-key-policy'))?.[1] as {
      statement: { principals: { identifiers: string[] }[]; condition?: { values: string[] }[] }[];
    };
    const account = `\${element(split(":", aws_sqs_queue.${queue}.arn), 4)}`;
    const partition = '${data.aws_partition.partition.partition}';
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

  it('subscribes exactly the configured endpoints, of any protocol, and nobody by default', () => {
    expect(synth).not.toHaveResource(SnsTopicSubscription);
    const subscribed = JSON.parse(
      synthOps([
        { protocol: 'email', endpoint: 'ops@example.com' },
        { protocol: 'https', endpoint: 'https://hooks.example.com/alarms' },
      ]),
    );
    expect(
      Object.values(
        subscribed.resource.aws_sns_topic_subscription as Record<string, Record<string, string>>,
      ).map((sub) => [sub['protocol'], sub['endpoint']]),
    ).toEqual([
      ['email', 'ops@example.com'],
      ['https', 'https://hooks.example.com/alarms'],
    ]);
  });

  it('alarms on dropped async events per function and failed destination deliveries of the event-driven ones', () => {
    const alarmed = (metric: string) =>
      (
        Object.values(tf.resource.aws_cloudwatch_metric_alarm) as {
          metric_name?: string;
          dimensions?: { FunctionName: string };
        }[]
      )
        .filter((alarm) => alarm.metric_name === metric)
        .map((alarm) => alarm.dimensions?.FunctionName)
        .sort();
    expect(alarmed('AsyncEventsDropped')).toEqual([...functionNames].sort());
    expect(alarmed('DestinationDeliveryFailures')).toEqual(['imgpipe-t-metadata-sync', 'imgpipe-t-resize']);
  });

  it('alarms on failed invocations of every EventBridge rule', () => {
    for (const rule of [
      'imgpipe-t-object-created',
      'imgpipe-t-object-deleted',
      'imgpipe-t-schedule-reconcile',
    ]) {
      expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: `${rule}-failed-invocations`,
        namespace: 'AWS/Events',
        metric_name: 'FailedInvocations',
        dimensions: { RuleName: rule },
        statistic: 'Sum',
        threshold: 0,
      });
    }
  });

  it("alarms on a flood of each permanent failure code, summed over the event-driven functions, in the environment's namespace", () => {
    for (const code of PERMANENT_FAILURE_CODES) {
      expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: `imgpipe-t-rejected-${code.toLowerCase().replace(/_/g, '-')}`,
        comparison_operator: 'GreaterThanThreshold',
        threshold: 7,
        metric_query: [
          {
            id: 'm0',
            return_data: false,
            metric: {
              namespace: 'imgpipe/t',
              metric_name: 'rejected',
              dimensions: { service: 'imgpipe-resize', code },
              stat: 'Sum',
              period: 60,
            },
          },
          {
            id: 'm1',
            return_data: false,
            metric: {
              namespace: 'imgpipe/t',
              metric_name: 'rejected',
              dimensions: { service: 'imgpipe-metadata-sync', code },
              stat: 'Sum',
              period: 60,
            },
          },
          expect.objectContaining({ id: 'total', expression: 'SUM([m0, m1])', return_data: true }),
        ],
      });
    }
    expect(PERMANENT_FAILURE_CODES).toEqual([
      'INVALID_EVENT',
      'UNSUPPORTED_FORMAT',
      'CORRUPT_IMAGE',
      'TOO_MANY_PIXELS',
      'TOO_LARGE',
      'KEY_TOO_LONG',
    ]);
  });

  it('alarms when reconcile reported no successful run in two schedule periods (silence breaches)', () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: 'imgpipe-t-reconcile-not-succeeding',
      namespace: 'imgpipe/t',
      metric_name: 'processed',
      dimensions: { service: 'imgpipe-reconcile' },
      statistic: 'SampleCount',
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      period: 3600,
      evaluation_periods: 2,
      treat_missing_data: 'breaching',
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
    const rejected = (body.widgets as { properties: { title: string; metrics: string[][] } }[]).find(
      (w) => w.properties.title === 'Rejected inputs by code (Sum)',
    );
    expect(rejected?.properties.metrics).toEqual(
      ['imgpipe-resize', 'imgpipe-metadata-sync'].flatMap((service) =>
        PERMANENT_FAILURE_CODES.map((code) => ['imgpipe/t', 'rejected', 'service', service, 'code', code]),
      ),
    );
  });
});
