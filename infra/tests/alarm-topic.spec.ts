import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import {
  CLOUDWATCH_KEY_ACTIONS,
  KEY_ADMINISTRATION_ACTIONS,
  KEY_USE_ACTIONS,
} from '../src/constructs/alarm-topic';
import { checkTerraform } from '../src/policy/checks';
import { devStack, synthesized } from './helpers';
import { synthOps } from './operations-synth';

describe('the alarm topic', () => {
  const synth = synthOps();
  const tf = JSON.parse(synth);

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
});
