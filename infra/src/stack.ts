import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { FUNCTION_NAMES, functionEnvironment, HTTP_FUNCTION_NAMES } from '@imgpipe/pipeline';
import { Aspects, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { isAbsolute, join, resolve } from 'node:path';
import { type EnvironmentConfig, namePrefix, pipelineFor } from './config';
import { validateEnvironment } from './validate-environment';
import { type ApiSettings, DEFAULT_API_SETTINGS } from './api-settings';
import { InfraConfigError } from './errors';
import { arnPart } from './constructs/arn';
import { Buckets } from './constructs/buckets';
import { ContainerImage } from './constructs/container-image';
import { CLOUDFRONT_METRICS_REGION } from './constructs/dashboard';
import { DeadLetterQueue } from './constructs/dead-letter-queue';
import { ImageApi } from './constructs/image-api';
import { Functions } from './constructs/functions';
import { Operations } from './constructs/operations';
import { ruleNames, Rules } from './constructs/rules';
import { Tables } from './constructs/tables';
import { type ImageContext, workspaceRoot } from './image-context';
import { PolicyChecks } from './policy/aspect';
import type { BackendSettings } from './settings';

export interface ImgpipeStackProps {
  readonly config: EnvironmentConfig;
  readonly imageContext: ImageContext;
  /** Default: a local state file `terraform.<stack>.tfstate` in `infra/terraform-state/`. */
  readonly backend?: BackendSettings;
  /** Offline plan only: the provider skips every call that needs real credentials. Default false. */
  readonly offlinePlan?: boolean;
  /** The image API's issuer, CORS origins and sign-in client. Default: `DEFAULT_API_SETTINGS`. */
  readonly api?: ApiSettings;
}

/**
 * One environment of the pipeline: provider and backend, then the constructs, each one concern,
 * wired together from the pipeline definition; policy checks run at synthesis.
 */
export class ImgpipeStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ImgpipeStackProps) {
    super(scope, id);
    const config = validateEnvironment(props.config);
    const prefix = namePrefix(config);
    const offline = props.offlinePlan ?? false;
    const contextArch = props.imageContext.arch;
    if (contextArch && (contextArch === 'arm64') !== (config.architecture === 'arm64')) {
      throw new InfraConfigError(
        `Expected an image context built for ${config.architecture} (${id}) but ${props.imageContext.directory} holds sharp for ${contextArch}: ` +
          `run npx nx run lambda-image:build -- --arch ${config.architecture === 'arm64' ? 'arm64' : 'x64'}`,
      );
    }

    const providerSettings = {
      defaultTags: [{ tags: { ...config.tags, 'managed-by': 'cdktf' } }],
      // Credentials for any other account stop the plan before anything is read or changed. The offline
      // plan has no account to check (it skips asking for one), so the guard is left out there.
      ...(config.allowedAccountIds && !offline ? { allowedAccountIds: [...config.allowedAccountIds] } : {}),
      ...(offline
        ? {
            skipCredentialsValidation: true,
            skipRequestingAccountId: true,
            skipMetadataApiCheck: 'true',
            skipRegionValidation: true,
          }
        : {}),
    };
    new AwsProvider(this, 'aws', { region: config.region, ...providerSettings });
    // CloudFront publishes its metrics only in us-east-1, so the CDN's alarms (and a topic they can
    // notify) live there; the same account, tags and guard as the stack's own provider.
    const usEast1 =
      config.region === CLOUDFRONT_METRICS_REGION
        ? undefined
        : new AwsProvider(this, 'aws-us-east-1', {
            alias: CLOUDFRONT_METRICS_REGION,
            region: CLOUDFRONT_METRICS_REGION,
            ...providerSettings,
          });
    this.configureBackend(id, props.backend ?? { kind: 'local' });

    // Computed from the provider's region, no AWS call: safe in the offline plan.
    const partition = new DataAwsPartition(this, 'partition').partition;

    const buckets = new Buckets(this, 'buckets', {
      sourceBucketName: config.bucketNames?.source ?? { prefix: `${prefix}-source-` },
      derivedBucketName: config.bucketNames?.derived ?? { prefix: `${prefix}-derived-` },
      noncurrentVersionDays: config.noncurrentVersionDays,
      abortMultipartDays: config.abortMultipartDays,
      forceDestroy: config.forceDestroy,
      preventDestroy: config.protectData,
    });
    // Every consumer (functions' environment, the rules pinned to the source bucket, outputs) takes the
    // names of the buckets this stack created, generated or configured.
    const pipeline = pipelineFor(config, { source: buckets.source.bucket, derived: buckets.derived.bucket });
    const tables = new Tables(this, 'tables', {
      tableName: pipeline.names.table,
      controlTableName: pipeline.names.controlTable,
      deletionProtection: !config.forceDestroy,
      preventDestroy: config.protectData,
    });
    const dlq = new DeadLetterQueue(this, 'dead-letter-queue', { queueName: pipeline.names.deadLetterQueue });
    const image = new ContainerImage(this, 'image', {
      repositoryName: `${prefix}-functions`,
      region: config.region,
      partition,
      architecture: config.architecture,
      contextDirectory: props.imageContext.directory,
      contextHash: props.imageContext.hash,
      imagesKept: config.imagesKept,
      functionNamePattern: `${prefix}-*`,
      forceDelete: config.forceDestroy,
    });
    // What every function's policy (`pipeline.policies`) may name, resolved to this stack's resources.
    const policyResources = {
      sourceBucket: buckets.source.arn,
      derivedBucket: buckets.derived.arn,
      table: tables.images.arn,
      controlTable: tables.control.arn,
      deadLetterQueue: dlq.queue.arn,
    };
    const functions = new Functions(this, 'functions', {
      pipeline,
      namePrefix: prefix,
      architecture: config.architecture,
      imageUri: image.imageUri,
      imageBuild: image.build,
      logRetentionDays: config.logRetentionDays,
      reserveConcurrency: config.reserveConcurrency,
      resources: policyResources,
    });
    const imageApi = new ImageApi(this, 'image-api', {
      pipeline,
      namePrefix: prefix,
      environmentName: config.name,
      architecture: config.architecture,
      imageUri: image.imageUri,
      imageBuild: image.build,
      logRetentionDays: config.logRetentionDays,
      reserveConcurrency: config.reserveConcurrency,
      buckets,
      resources: policyResources,
      invalidator: functions.byName.resize,
      settings: props.api ?? DEFAULT_API_SETTINGS,
      deletionProtection: !config.forceDestroy,
    });
    new Rules(this, 'rules', {
      pipeline,
      namePrefix: prefix,
      functions: functions.byName,
      deadLetterQueue: dlq.queue,
    });
    const accountId = arnPart(dlq.queue.arn, 'account');
    const ops = new Operations(this, 'operations', {
      namePrefix: prefix,
      region: config.region,
      targets: {
        functions: Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, `${prefix}-${fn}`])),
        eventDriven: [...new Set(pipeline.rules.flatMap((rule) => rule.targets))],
        scheduled: 'reconcile',
        rules: ruleNames(pipeline, prefix),
        deadLetterQueueName: pipeline.names.deadLetterQueue,
        metricsNamespace: pipeline.metricsNamespace,
        services: Object.fromEntries(
          FUNCTION_NAMES.map((fn) => [
            fn,
            functionEnvironment(pipeline, fn)['POWERTOOLS_SERVICE_NAME'] ?? fn,
          ]),
        ),
        delivery: {
          httpFunctions: Object.fromEntries(HTTP_FUNCTION_NAMES.map((fn) => [fn, `${prefix}-${fn}`])),
          httpApi: { apiId: imageApi.httpApi.api.id, stage: imageApi.httpApi.stage.name },
          distributionId: imageApi.cdn.distribution.id,
        },
      },
      ...(usEast1 ? { usEast1Provider: usEast1 } : {}),
      // The alarm key's policy names the account. It comes from the DLQ's ARN, which does not depend on
      // the key (no cycle) and needs no AWS call at plan time, unlike data.aws_caller_identity, which the
      // offline plan (fake credentials, no network) cannot read.
      accountId,
      partition,
      keyDeletionWindowDays: config.forceDestroy ? 7 : 30,
      thresholds: config.alarms,
      subscriptions: config.alarmSubscriptions,
    });

    const outputs: Record<string, { value: string; description: string }> = {
      region: { value: config.region, description: 'AWS region of the stack' },
      account: { value: accountId, description: 'AWS account of the stack' },
      source_bucket: { value: buckets.source.bucket, description: 'Upload images here' },
      derived_bucket: { value: buckets.derived.bucket, description: 'Variants: {sourceKey}/{variant}.{ext}' },
      table: { value: tables.images.name, description: 'One row per image, key objectKey' },
      control_table: { value: tables.control.name, description: "Reconcile's lease and checkpoint" },
      dead_letter_queue_url: { value: dlq.queue.url, description: 'Events that exhausted their retries' },
      dead_letter_queue_arn: { value: dlq.queue.arn, description: 'Dead-letter queue ARN' },
      ecr_repository_url: {
        value: image.repository.repositoryUrl,
        description: 'The functions image repository',
      },
      image_uri: { value: image.imageUri, description: 'The image every function runs' },
      resize_function: {
        value: functions.byName.resize.lambda.functionName,
        description: 'resize function name',
      },
      metadata_sync_function: {
        value: functions.byName['metadata-sync'].lambda.functionName,
        description: 'metadata-sync function name',
      },
      reconcile_function: {
        value: functions.byName.reconcile.lambda.functionName,
        description: 'reconcile function name',
      },
      ...functionOutputs(functions.byName),
      alarm_topic_arn: { value: ops.topic.arn, description: 'SNS topic the alarms notify' },
      cdn_alarm_topic_arn: {
        value: ops.usEast1Topic.arn,
        description: "SNS topic the CDN's alarms notify (us-east-1; the same topic when the stack is there)",
      },
      dashboard_name: { value: ops.dashboard.dashboardName, description: 'CloudWatch dashboard' },
      api_url: { value: imageApi.httpApi.url, description: 'The image API: <api_url>/v1/...' },
      cdn_url: { value: imageApi.cdn.url, description: 'Variants: <cdn_url>/<variant key>?v=<version>' },
      cdn_distribution_id: { value: imageApi.cdn.distribution.id, description: 'The CDN distribution' },
      api_function: { value: imageApi.api.lambda.functionName, description: 'api function name' },
      render_function: { value: imageApi.render.lambda.functionName, description: 'render function name' },
      jwt_issuer: { value: imageApi.issuer.issuerUrl, description: "The API's JWT issuer (iss)" },
      ...(imageApi.cognito
        ? {
            user_pool_id: { value: imageApi.cognito.userPool.id, description: 'Cognito user pool (users)' },
            user_pool_client_id: {
              value: imageApi.cognito.client.id,
              description: 'Cognito web client (authorization code + PKCE)',
            },
            auth_domain: {
              value: `${imageApi.cognito.domain.domain}.auth.${config.region}.amazoncognito.com`,
              description: 'Cognito hosted sign-in domain',
            },
          }
        : {}),
    };
    for (const [name, output] of Object.entries(outputs)) new TerraformOutput(this, name, output);

    Aspects.of(this).add(new PolicyChecks({ architecture: config.architecture }));
  }

  private configureBackend(stackId: string, backend: BackendSettings): void {
    if (backend.kind === 'local') {
      // Absolute: Terraform runs in cdktf.out/stacks/<stack>/, which cdktf deletes whenever that stack
      // is not synthesized; a relative path would put the state there and lose it.
      const file = `terraform.${stackId}.tfstate`;
      new LocalBackend(this, { path: join(localStateDirectory(backend.directory), file) });
      return;
    }
    const s3 = new S3Backend(this, {
      bucket: backend.bucket,
      key: `${backend.keyPrefix}/${stackId}.tfstate`,
      region: backend.region,
      encrypt: true,
      ...(backend.lockTable ? { dynamodbTable: backend.lockTable } : {}),
    });
    // Terraform >= 1.10 locks with a lock file next to the state; cdktf 0.21 has no typed option for it.
    if (!backend.lockTable) s3.addOverride('use_lockfile', true);
  }
}

/** Where local state lives: the configured directory (relative to the working directory) or `infra/terraform-state/`. */
export function localStateDirectory(configured?: string): string {
  if (configured) return isAbsolute(configured) ? configured : resolve(configured);
  return join(workspaceRoot(), 'infra', 'terraform-state');
}

/** Each function's ARN and log group, for people and tools (`aws logs tail <log group>`). */
function functionOutputs(
  byName: Functions['byName'],
): Record<string, { value: string; description: string }> {
  const outputs: Record<string, { value: string; description: string }> = {};
  for (const fn of Object.values(byName)) {
    const id = fn.name.replace(/-/g, '_');
    outputs[`${id}_function_arn`] = { value: fn.lambda.arn, description: `${fn.name} function ARN` };
    outputs[`${id}_log_group`] = { value: fn.logGroup.name, description: `${fn.name} log group` };
  }
  return outputs;
}
