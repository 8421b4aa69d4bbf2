import { createAwsClients, DynamoControlTable, DynamoImageTable, S3ObjectStore } from '@imgpipe/aws';
import { readConfig, type ImageProcessor } from '@imgpipe/core';
import type { AnyFunctionName } from '@imgpipe/pipeline';
import type { ObjectRuntime } from './object-handler';
import { createObservability, metricsTelemetry } from './observability';
import type { CdnCache } from '@imgpipe/core';

export interface FunctionRuntime extends ObjectRuntime {
  readonly control: DynamoControlTable;
}

/**
 * Wires one function once per cold start: config from the environment, SDK clients, adapters,
 * logger and metrics. The image library comes in as the `ImageProcessor` port; a function that
 * invalidates the CDN passes it in `extras` (only resize, so no other bundle carries its SDK).
 * @example const runtime = composeFunction('resize', process.env, { renderVariants, extractMetadata });
 */
export function composeFunction(
  fn: AnyFunctionName,
  env: Readonly<Record<string, string | undefined>>,
  images: ImageProcessor,
  extras: { readonly cdn?: CdnCache | undefined } = {},
): FunctionRuntime {
  const config = readConfig(env);
  const clients = createAwsClients(fn, env);
  const observability = createObservability(fn);
  return {
    ...observability,
    control: new DynamoControlTable(clients.dynamo, config.controlTable),
    deps: {
      config,
      objects: new S3ObjectStore(clients.s3),
      table: new DynamoImageTable(clients.dynamo, config.table),
      images,
      telemetry: metricsTelemetry(observability.metrics),
      ...(extras.cdn ? { cdn: extras.cdn } : {}),
    },
  };
}

/** Runs `make` on first use only (a cold start), then returns the same value. */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
