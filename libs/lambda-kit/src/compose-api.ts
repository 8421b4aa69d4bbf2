import {
  createAwsClients,
  createPresigningS3Client,
  DynamoImageIndex,
  DynamoImageTable,
  S3ObjectStore,
  S3UploadSigner,
} from '@imgpipe/aws';
import { readApiConfig, readConfig, type ApiDeps } from '@imgpipe/core';
import { createObservability, type Observability } from './observability';

export interface ApiRuntime extends Observability {
  readonly deps: ApiDeps;
}

/**
 * Wires the api function once per cold start: the pipeline config and the api's deploy-time settings
 * from the environment, SDK clients (a separate presigning S3 client), adapters, logger and metrics.
 * @example const runtime = once(() => composeApi(process.env));
 */
export function composeApi(env: Readonly<Record<string, string | undefined>>): ApiRuntime {
  const config = readConfig(env);
  const api = readApiConfig(env);
  const clients = createAwsClients('api', env);
  return {
    ...createObservability('api'),
    deps: {
      config,
      api,
      objects: new S3ObjectStore(clients.s3),
      table: new DynamoImageTable(clients.dynamo, config.table),
      index: new DynamoImageIndex(clients.dynamo, config.table),
      signer: new S3UploadSigner(createPresigningS3Client('api', env)),
    },
  };
}
