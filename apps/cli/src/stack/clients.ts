import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Target } from './target';

// The SDK warns on every run that future versions need Node 22; the workspace pins Node 20 on purpose,
// and the warning would bury the one-line answers this tool prints. An explicit setting still wins.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

/** The local stack accepts any credentials; these keep the SDK from searching for real ones. */
const LOCAL_CREDENTIALS = { accessKeyId: 'imgpipe', secretAccessKey: 'imgpipe' };
const USER_AGENT = 'imgpipe-cli';

function baseConfig(target: Target) {
  return target.kind === 'local'
    ? {
        endpoint: target.endpoint,
        region: target.region,
        credentials: LOCAL_CREDENTIALS,
        customUserAgent: USER_AGENT,
        maxAttempts: 3,
      }
    : { ...(target.region ? { region: target.region } : {}), customUserAgent: USER_AGENT };
}

/** SDK clients for one target, created on first use and closed together. */
export class StackClients {
  private s3Client?: S3Client;
  private dynamoClient?: DynamoDBDocumentClient;
  private lambdaClient?: LambdaClient;
  private sqsClient?: SQSClient;

  constructor(private readonly target: Target) {}

  get s3(): S3Client {
    return (this.s3Client ??= new S3Client({
      ...baseConfig(this.target),
      forcePathStyle: this.target.kind === 'local',
    }));
  }

  get dynamo(): DynamoDBDocumentClient {
    return (this.dynamoClient ??= DynamoDBDocumentClient.from(new DynamoDBClient(baseConfig(this.target)), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
    }));
  }

  get lambda(): LambdaClient {
    return (this.lambdaClient ??= new LambdaClient(baseConfig(this.target)));
  }

  get sqs(): SQSClient {
    return (this.sqsClient ??= new SQSClient(baseConfig(this.target)));
  }

  destroy(): void {
    this.s3Client?.destroy();
    this.dynamoClient?.destroy();
    this.lambdaClient?.destroy();
    this.sqsClient?.destroy();
  }
}
