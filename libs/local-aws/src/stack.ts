import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { decodeS3Key, LOCAL_ACCOUNT, LOCAL_REGION, scheduledEvent } from '@imgpipe/core';
import type { Metrics } from '@imgpipe/contracts';
import {
  type AnyFunctionName,
  FUNCTION_NAMES,
  HTTP_FUNCTION_NAMES,
  type FunctionName,
  type PipelineDefinition,
} from '@imgpipe/pipeline';
import { createApi } from './edge/console-api/routes';
import { ImageReader } from './edge/console-api/images';
import { EventStream } from './edge/console-api/stream';
import { documentClient, s3Client } from './clients';
import { prepareDataDir } from './data-dir';
import { createDynamoDbProxy } from './edge/dynamodb/proxy';
import { createOriginGuard } from './edge/origin-guard';
import { createS3Edge } from './edge/s3/router';
import { createEdgeServer } from './edge/server';
import { startEmulators } from './emulators';
import { EventRouter } from './events/router';
import { s3Event } from './events/s3-event';
import { Sequencer } from './events/sequencer';
import { FUNCTION_SECRET, workerEnvironment } from './function-env';
import { createHttpFunctions, type HttpFunctions } from './http/http-stack';
import { iamCheck } from './iam/check';
import { IamEnforcer } from './iam/enforcer';
import { hiddenMissingKeys } from './iam/hidden-keys';
import type { FunctionMetricsSnapshot } from './metrics';
import { type LocalStackOptions, resolveOptions } from './options';
import { createResources, type LocalResources } from './resources';
import { DurableDir } from './runtime/durable-dir';
import { FunctionRuntime, type InvocationReport } from './runtime/function-runtime';
import { buildRunner } from './runtime/runner-build';
import type { DlqEntry, InvocationOutcome } from './runtime/types';
import { uploadSamples } from './samples';
import { Scheduler } from './scheduler/scheduler';
import { summaryLines } from './terminal';

/** The metrics document of `GET /_imgpipe/api/metrics` (`MetricsSchema` in @imgpipe/contracts), one entry per function. */
export type MetricsDocument = Metrics & {
  readonly functions: Readonly<Record<AnyFunctionName, FunctionMetricsSnapshot>>;
};

/** A running local stack. */
export interface LocalStack {
  /** `http://host:port` of the edge: S3, DynamoDB and `/_imgpipe/`. */
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly pipeline: PipelineDefinition;
  readonly resources: LocalResources;
  /** The runtime of one function (its queue, workers and metrics). */
  runtime(fn: FunctionName): FunctionRuntime;
  /** The function environment a worker gets. */
  environment(fn: FunctionName): Readonly<Record<string, string>>;
  /** The HTTP functions (`api`, `render`): the issuer, `/_api`, `/_cdn` and their workers. */
  readonly http: HttpFunctions;
  metrics(): MetricsDocument;
  dlq(): DlqEntry[];
  /** Re-enqueues DLQ entries (all, or those ids) and removes them from the DLQ; returns how many. */
  redrive(ids?: readonly string[]): number;
  /** A synchronous invocation (as the API's "reconcile now" does). */
  invoke(fn: FunctionName, event: unknown): Promise<InvocationOutcome>;
  /** Resolves once the first-start sample upload has been reported (immediately when there was none). */
  readonly samplesDone: Promise<void>;
  /** Stops cleanly: in-flight work gets the grace period; queued work stays on disk for the next start. */
  stop(): Promise<void>;
}

/**
 * Starts the whole pipeline on this machine: emulators, edge, resources from the definition, event
 * router, function runtimes, schedules, API and (on a first start) the samples.
 * @example const stack = await startLocalStack({ port: 0, dataDir: tmp, samples: false });
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const opts = resolveOptions(options);
  const { pipeline, dataDir, log } = opts;
  prepareDataDir(dataDir, opts.fresh);
  const runner = buildRunner(opts.repoRoot, join(dataDir, 'runtime', 'runner.mjs'));

  const emulators = await startEmulators(dataDir);
  if (emulators.importedObjects > 0)
    log(
      `s3: copied ${emulators.importedObjects} object(s) from s3rver's data (${join(dataDir, 's3')}) into the local S3`,
    );
  const internalDynamo = `http://${emulators.dynamodb.host}:${emulators.dynamodb.port}`;
  const sequencer = new Sequencer(join(dataDir, 'sequencer'));
  const dlqDir = new DurableDir<DlqEntry>(join(dataDir, 'dlq'));
  const stream = new EventStream();
  const dynamo = documentClient(internalDynamo);
  const images = new ImageReader(dynamo.doc, pipeline.names.table);
  let ready = false;
  let stopping = false;

  const envs = {} as Record<FunctionName, Record<string, string>>;
  // Function output (their structured logs) goes to one file per function, as CloudWatch would hold it.
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const functionLogs = Object.fromEntries(
    FUNCTION_NAMES.map((n) => [n, createWriteStream(join(dataDir, 'logs', `${n}.log`), { flags: 'a' })]),
  ) as Record<FunctionName, WriteStream>;
  const runtimes = {} as Record<FunctionName, FunctionRuntime>;
  const onInvocation = (report: InvocationReport): void => {
    opts.onInvocation(report);
    stream.emit('invocation', {
      function: report.function,
      id: report.id,
      attempt: report.attempt,
      ok: report.ok,
      durationMs: Math.round(report.durationMs),
      coldStart: report.coldStart,
      ...(report.initMs === undefined ? {} : { initMs: Math.round(report.initMs) }),
      ...(report.error ? { error: report.error } : {}),
    });
    const detail = (report.event as { detail?: { object?: { key?: string } } } | undefined)?.detail;
    const key = detail?.object?.key;
    // The row lookup is for the console's stream only: without a client it would be a DynamoDB read
    // per invocation on the edge's event loop for nothing.
    if (key !== undefined && stream.listening) {
      // A malformed key (a hand-made event) makes the lookup fail like a missing row: nothing to show.
      void Promise.resolve()
        .then(() => images.get(decodeS3Key(key)))
        .then(
          (row) => row && stream.emit('row', row),
          () => undefined,
        );
    }
  };
  for (const name of FUNCTION_NAMES) {
    const spec = pipeline.functions[name];
    envs[name] = {};
    if (!existsSync(opts.bundles[name]))
      log(`warning: ${name} bundle not found at ${opts.bundles[name]} (build it: npx nx build ${name})`);
    runtimes[name] = new FunctionRuntime({
      name,
      bundle: opts.bundles[name],
      runner,
      env: envs[name],
      memoryMb: spec.memoryMb,
      concurrency: Math.min(spec.reservedConcurrency, opts.concurrency),
      timeoutMs: spec.timeoutSeconds * 1000,
      maximumRetryAttempts: spec.maximumRetryAttempts,
      maximumEventAgeMs: spec.maximumEventAgeSeconds * 1000,
      retryDelayMs: (attempt) => attempt * 60_000 * opts.retryDelayScale,
      queueDir: join(dataDir, 'queue', name),
      dlq: dlqDir,
      idleMs: opts.idleWorkerMs,
      onInvocation,
      onDlq: (entry) => {
        stream.emit('dlq', entry);
        log(
          `dlq: ${entry.function} gave up on an event after ${entry.attempts} attempt(s): ${entry.error.type}: ${entry.error.message}`,
        );
      },
      onLog: (line) => functionLogs[name].write(`${line}\n`),
    });
  }
  const http = createHttpFunctions({
    pipeline,
    dataDir,
    runner,
    bundles: opts.httpBundles,
    concurrency: opts.concurrency,
    idleWorkerMs: opts.idleWorkerMs,
    corsOrigins: opts.apiCorsOrigins,
  });
  const router = new EventRouter(pipeline.rules, (fn, event) => runtimes[fn].enqueue(event));
  const scheduler = new Scheduler(pipeline.schedules, (fn, event) => runtimes[fn].enqueue(event));

  // Requests signed with a function's key id get that function's policy; any other key is the administrator.
  const iam = new IamEnforcer({
    pipeline,
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT,
    ...(opts.onIamDecision ? { onDecision: opts.onIamDecision } : {}),
  });
  const handleS3 = createS3Edge({
    store: emulators.s3,
    faultRate: () => opts.faultRate,
    log,
    // Browser POST policies signed with a function's key (as the API signs uploads) are verified.
    secretFor: (id) => (iam.functionOf(id) === undefined ? undefined : FUNCTION_SECRET),
    handlers: [hiddenMissingKeys(iam), ...(opts.extensions.s3Handlers ?? [])],
    onChange: (changes) => {
      http.onChange(changes);
      for (const change of changes) router.publish(s3Event({ ...change, sequencer: sequencer.next() }));
    },
  });
  const handleDynamoDb = createDynamoDbProxy({ target: emulators.dynamodb, faultRate: () => opts.faultRate });
  let resources: LocalResources = { buckets: [], tables: [] };

  const dlq = (): DlqEntry[] => dlqDir.list().sort((a, b) => a.failedAt.localeCompare(b.failedAt));
  const redrive = (ids?: readonly string[]): number => {
    const chosen = dlq().filter((entry) => !ids || ids.includes(entry.id));
    for (const entry of chosen) {
      runtimes[entry.function].redrive(entry);
      dlqDir.remove(entry.id);
    }
    return chosen.length;
  };
  const metrics = (): MetricsDocument => ({
    // Event functions first, then the HTTP ones (`api`, `render`), which run synchronously.
    functions: Object.fromEntries([
      ...FUNCTION_NAMES.map((n) => [n, runtimes[n].metrics.snapshot(runtimes[n].depth)] as const),
      ...HTTP_FUNCTION_NAMES.map((n) => [n, http.pool(n).snapshot()] as const),
    ]) as Record<AnyFunctionName, FunctionMetricsSnapshot>,
    dlqDepth: dlqDir.count(),
    schedules: scheduler.list(),
  });
  const invoke = (fn: FunctionName, event: unknown): Promise<InvocationOutcome> =>
    runtimes[fn].invokeSync(event);

  const handleApi = createApi({
    health: () => ({
      ready,
      body: {
        status: ready ? 'ready' : stopping ? 'stopping' : 'starting',
        endpoint: `http://${opts.host}:${port}`,
        buckets: resources.buckets,
        tables: resources.tables.map((t) => t.name),
        functions: [
          ...FUNCTION_NAMES.map((n) => ({ name: n, kind: 'event' as const, bundle: opts.bundles[n] })),
          ...HTTP_FUNCTION_NAMES.map((n) => ({
            name: n,
            kind: 'http' as const,
            bundle: opts.httpBundles[n],
          })),
        ].map((fn) => ({ ...fn, built: existsSync(fn.bundle) })),
        schedules: scheduler.list(),
      },
    }),
    images,
    metrics,
    dlq,
    redrive,
    reconcile: async () => {
      const outcome = await invoke('reconcile', scheduledEvent({ rule: 'imgpipe-reconcile-now' }));
      return outcome.ok ? { ok: true, value: outcome.value } : { ok: false, error: outcome.error };
    },
    stream,
    consoleDir: opts.consoleDir,
  });

  const server = createEdgeServer({
    guards: [createOriginGuard({ port: () => port, host: opts.host, allowedOrigins: opts.allowedOrigins })],
    // The HTTP functions' routes (issuer, /_api, /_cdn) go first: `/_imgpipe/oidc` is inside `/_imgpipe`.
    routes: [...http.routes, { prefix: '/_imgpipe', handle: handleApi }],
    s3: handleS3,
    dynamodb: handleDynamoDb,
    // IAM comes first: a function's request that its policy denies reaches no other check or handler.
    extensions: { ...opts.extensions, checks: [iamCheck(iam), ...(opts.extensions.checks ?? [])] },
    log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  }).catch(async (error: unknown) => {
    await emulators.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${opts.host}:${port}`;
  for (const name of FUNCTION_NAMES)
    Object.assign(
      envs[name],
      workerEnvironment(pipeline, pipeline.functions[name], opts.bundles[name], endpoint),
    );

  const edgeS3 = s3Client(endpoint);
  await http.start(endpoint, edgeS3);
  resources = await createResources(pipeline, edgeS3, dynamo.raw);
  for (const name of FUNCTION_NAMES) runtimes[name].start();
  scheduler.start();
  ready = true;
  log(
    `imgpipe local stack ready at ${endpoint} (data in ${dataDir}, function logs in ${join(dataDir, 'logs')})`,
  );

  const samplesDone = opts.samples
    ? uploadSamples({
        s3: edgeS3,
        bucket: pipeline.names.sourceBucket,
        samplesDir: opts.samplesDir,
        images,
        log,
        cancelled: () => stopping,
      }).catch((error: unknown) => log(`samples: ${error instanceof Error ? error.message : String(error)}`))
    : Promise.resolve();

  const versions = new Map<FunctionName, number>();
  const summary =
    opts.summaryIntervalMs > 0
      ? setInterval(() => {
          const changed = FUNCTION_NAMES.some((n) => versions.get(n) !== runtimes[n].metrics.version);
          if (!changed) return;
          for (const n of FUNCTION_NAMES) versions.set(n, runtimes[n].metrics.version);
          const doc = metrics();
          for (const line of summaryLines(doc.functions, doc.dlqDepth)) log(line);
        }, opts.summaryIntervalMs)
      : undefined;
  summary?.unref();

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      ready = false;
      stopping = true;
      if (summary) clearInterval(summary);
      scheduler.stop();
      // Functions still need the edge while they finish, so it closes after them.
      await Promise.all([...FUNCTION_NAMES.map((n) => runtimes[n].stop(opts.stopGraceMs)), http.stop()]);
      await samplesDone;
      stream.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      edgeS3.destroy();
      dynamo.doc.destroy();
      await emulators.close();
      for (const stream of Object.values(functionLogs)) stream.end();
      log('imgpipe local stack stopped');
    })();
    return stopped;
  };

  return {
    endpoint,
    host: opts.host,
    port,
    dataDir,
    pipeline,
    resources,
    runtime: (fn) => runtimes[fn],
    environment: (fn) => ({ ...envs[fn] }),
    http,
    metrics,
    dlq,
    redrive,
    invoke,
    samplesDone,
    stop,
  };
}
