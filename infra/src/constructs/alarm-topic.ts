import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import type { AlarmSubscription } from '../config';

/** What an alarm topic is made from (the `Operations` props it needs). */
export interface AlarmTopicProps {
  readonly namePrefix: string;
  /** The account that owns the stack (plan-safe: see `OperationsProps.accountId`). */
  readonly accountId: string;
  readonly partition: string;
  readonly keyDeletionWindowDays?: number;
  readonly subscriptions?: readonly AlarmSubscription[];
}

/**
 * What the account's principals may do with the alarm key, once their IAM policies allow it too
 * (the key policy delegates to IAM through the account root). Concrete actions only: no `kms:*`
 * and no `kms:Describe*`-style wildcards; asymmetric, HMAC and imported-material actions are left out
 * because the key is symmetric with KMS-generated material.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:CreateGrant',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;
export const KEY_USE_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;
/** What CloudWatch needs to publish alarm notifications to a topic encrypted with the key. */
export const CLOUDWATCH_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/**
 * The alarm topic of one region: its own customer-managed KMS key (the AWS-managed `alias/aws/sns`
 * key's policy does not let CloudWatch publish), the key's alias, and the configured subscribers.
 * Construct ids are fixed: the stack region's resources keep the Terraform addresses they always had.
 */
export function alarmTopic(
  scope: Construct,
  props: AlarmTopicProps,
  provider?: TerraformProvider,
): { key: KmsKey; keyPolicy: DataAwsIamPolicyDocument; topic: SnsTopic } {
  const inRegion = provider ? { provider } : {};
  const accountRoot = `arn:${props.partition}:iam::${props.accountId}:root`;
  const keyPolicy = new DataAwsIamPolicyDocument(scope, 'alarms-key-policy', {
    statement: [
      {
        // Without this the key could not be managed any more (and KMS refuses the policy).
        sid: 'KeyAdministrationByAccount',
        effect: 'Allow',
        actions: [...KEY_ADMINISTRATION_ACTIONS],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [accountRoot] }],
      },
      {
        sid: 'KeyUseByAccount',
        effect: 'Allow',
        actions: [...KEY_USE_ACTIONS],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [accountRoot] }],
      },
      {
        // Only on behalf of this account's alarms (confused-deputy protection).
        sid: 'CloudWatchAlarmsPublish',
        effect: 'Allow',
        actions: [...CLOUDWATCH_KEY_ACTIONS],
        resources: ['*'],
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] }],
      },
    ],
  });
  const key = new KmsKey(scope, 'alarms-key', {
    ...inRegion,
    description: `${props.namePrefix}: encrypts the alarms SNS topic`,
    enableKeyRotation: true,
    deletionWindowInDays: props.keyDeletionWindowDays ?? 30,
    policy: keyPolicy.json,
  });
  new KmsAlias(scope, 'alarms-key-alias', {
    ...inRegion,
    name: `alias/${props.namePrefix}-alarms`,
    targetKeyId: key.keyId,
  });
  const topic = new SnsTopic(scope, 'alarms-topic', {
    ...inRegion,
    name: `${props.namePrefix}-alarms`,
    kmsMasterKeyId: key.arn,
  });
  (props.subscriptions ?? []).forEach((sub, i) => {
    new SnsTopicSubscription(scope, `alarm-subscription-${i}`, {
      ...inRegion,
      topicArn: topic.arn,
      protocol: sub.protocol,
      endpoint: sub.endpoint,
    });
  });
  return { key, keyPolicy, topic };
}
