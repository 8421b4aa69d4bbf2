// The composition root of the local stack: named phases, started in order and stopped in reverse.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Metrics } from '@imgpipe/contracts';
import {
  type AnyFunctionName,
  type FunctionName,
  HTTP_FUNCTION_NAMES,
  type PipelineDefinition,
} from '@imgpipe/pipeline';
import { documentClient, s3Client } from './clients';
import { functionLogsDir, lockDataDir, prepareDataDir } from './data-dir';
import { ImageReader } from './edge/console-api/images';
import { EventStream } from './edge/console-api/stream';
import { startEmulators } from './emulators/emulators';
import { EventRouter } from './events/router';
import { s3Event } from './events/s3-event';
import { Sequencer } from './events/sequencer';
import { createHttpFunctions, type HttpFunctions } from './http/http-stack';
import type { FunctionMetricsSnapshot } from './metrics';
import { type LocalStackOptions, resolveOptions } from './options';
import { createResources, type LocalResources } from './resources';
import { DurableDir } from './runtime/durable-dir';
import type { FunctionRuntime } from './runtime/function-runtime';
import { buildRunner } from './runtime/runner-build';
import type { DlqEntry, InvocationOutcome } from './runtime/types';
import { uploadSamples } from './samples';
import { Scheduler } from './scheduler/scheduler';
import { consoleRoute, type StackState } from './stack/console';
import { listenEdge } from './stack/edge';
import { createEventFunctions } from './stack/functions';
import { PhaseRunner } from './stack/phases';
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
 * The composition root: starts the whole pipeline on this machine in named phases and stops them in
 * reverse. Start order: data dir → emulators → functions (built, not running) → edge (listening; health
 * says `starting`) → resources (through the edge) → runtimes → scheduler → HTTP functions → ready →
 * samples. A phase that fails stops the ones before it and throws a `StackPhaseError` naming it.
 * @example const stack = await startLocalStack({ port: 0, dataDir: tmp, samples: false });
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const opts = resolveOptions(options);
  const { pipeline, dataDir, log } = opts;
  const phases = new PhaseRunner();
  const state: StackState = {
    ready: false,
    stopping: false,
    endpoint: `http://${opts.host}:${opts.port}`,
    resources: { buckets: [], tables: [] },
  };
  const stream = new EventStream();

  const data = await phases.run('data-dir', () => {
    const lock = lockDataDir(dataDir);
    try {
      prepareDataDir(dataDir, opts.fresh);
      return {
        value: {
          runner: buildRunner(opts.repoRoot, join(dataDir, 'runtime', 'runner.mjs')),
          sequencer: new Sequencer(join(dataDir, 'sequencer')),
          dlq: new DurableDir<DlqEntry>(join(dataDir, 'dlq')),
        },
        stop: () => lock.release(),
      };
    } catch (error: unknown) {
      lock.release();
      throw error;
    }
  });

  const emulators = await phases.run('emulators', async () => {
    const started = await startEmulators(dataDir);
    if (started.importedObjects > 0)
      log(
        `s3: copied ${started.importedObjects} object(s) from s3rver's data (${join(dataDir, 's3')}) into the local S3`,
      );
    const dynamo = documentClient(`http://${started.dynamodb.host}:${started.dynamodb.port}`);
    const value = { ...started, dynamo, images: new ImageReader(dynamo.doc, pipeline.names.table) };
    return { value, stop: () => (dynamo.doc.destroy(), started.close()) };
  });

  const { functions, http, bus, scheduler } = await phases.run('functions', () => {
    // A function without its bundle starts anyway (the others work) but fails every invocation, as
    // Lambda does with a broken image: say so once, with the command that builds it.
    const missing = Object.entries({ ...opts.bundles, ...opts.httpBundles }).filter(
      ([, path]) => !existsSync(path),
    );
    if (missing.length > 0)
      log(
        `warning: not built, so every invocation fails: ${missing.map(([n, path]) => `${n} (${path})`).join(', ')}; ` +
          `build them: npx nx run-many -t build -p ${missing.map(([n]) => n).join(' ')}`,
      );
    const functions = createEventFunctions(opts, { ...data, stream, images: emulators.images });
    const http = createHttpFunctions({
      pipeline,
      dataDir,
      runner: data.runner,
      bundles: opts.httpBundles,
      concurrency: opts.concurrency,
      idleWorkerMs: opts.idleWorkerMs,
      corsOrigins: opts.apiCorsOrigins,
    });
    const bus = new EventRouter(pipeline.rules, functions.enqueue);
    const scheduler = new Scheduler(pipeline.schedules, functions.enqueue);
    // The runtimes and HTTP functions stop in their own phases; this ends what a failed start left
    // (workers, timers) and closes the function logs.
    const stop = async () => void (await Promise.all([functions.close(), http.stop()]));
    return { value: { functions, http, bus, scheduler }, stop };
  });
  const metrics = (): MetricsDocument => ({
    // Event functions first, then the HTTP ones (`api`, `render`), which run synchronously.
    functions: {
      ...functions.snapshots(),
      ...(Object.fromEntries(HTTP_FUNCTION_NAMES.map((n) => [n, http.pool(n).snapshot()])) as Record<
        (typeof HTTP_FUNCTION_NAMES)[number],
        FunctionMetricsSnapshot
      >),
    },
    dlqDepth: data.dlq.count(),
    schedules: scheduler.list(),
  });

  const edge = await phases.run('edge', async () => {
    const listening = await listenEdge(opts, {
      store: emulators.s3,
      dynamodb: emulators.dynamodb,
      // The HTTP functions' routes (issuer, /_api, /_cdn) go first: `/_imgpipe/oidc` is inside `/_imgpipe`.
      routes: [
        ...http.routes,
        consoleRoute(opts, { state, functions, scheduler, images: emulators.images, stream, metrics }),
      ],
      onChange: (changes) => {
        http.onChange(changes);
        for (const change of changes) bus.publish(s3Event({ ...change, sequencer: data.sequencer.next() }));
      },
    });
    state.endpoint = listening.endpoint;
    functions.pointAt(listening.endpoint);
    const s3 = s3Client(listening.endpoint);
    const stop = async (): Promise<void> => {
      stream.close();
      await listening.close();
      s3.destroy();
    };
    return { value: { ...listening, s3 }, stop };
  });

  state.resources = await phases.run('resources', async () => ({
    value: await createResources(pipeline, edge.s3, emulators.dynamo.raw),
  }));

  await phases.run('runtimes', () => {
    functions.start();
    // Functions still need the edge while they finish, so their phase stops before the edge's.
    return { value: undefined, stop: () => functions.stop(opts.stopGraceMs) };
  });

  await phases.run('scheduler', () => {
    scheduler.start();
    return { value: undefined, stop: () => scheduler.stop() };
  });

  await phases.run('http-functions', async () => {
    await http.start(edge.endpoint, edge.s3);
    return { value: undefined, stop: () => http.stop() };
  });

  await phases.run('ready', () => {
    state.ready = true;
    log(
      `imgpipe local stack ready at ${edge.endpoint} (data in ${dataDir}, function logs in ${functionLogsDir(dataDir)})`,
    );
    let printed = functions.metricsVersion();
    const summary =
      opts.summaryIntervalMs > 0
        ? setInterval(() => {
            if (functions.metricsVersion() === printed) return;
            printed = functions.metricsVersion();
            const doc = metrics();
            for (const line of summaryLines(doc.functions, doc.dlqDepth)) log(line);
          }, opts.summaryIntervalMs)
        : undefined;
    summary?.unref();
    const stop = (): void => {
      clearInterval(summary);
      state.ready = false;
    };
    return { value: undefined, stop };
  });

  // Wrapped: the upload goes on in the background, and awaiting a bare promise would wait for it.
  const { samplesDone } = await phases.run('samples', () => {
    const done = opts.samples
      ? uploadSamples({
          s3: edge.s3,
          bucket: pipeline.names.sourceBucket,
          samplesDir: opts.samplesDir,
          images: emulators.images,
          log,
          cancelled: () => state.stopping,
        }).catch((error: unknown) =>
          log(`samples: ${error instanceof Error ? error.message : String(error)}`),
        )
      : Promise.resolve();
    return { value: { samplesDone: done }, stop: () => done };
  });

  return {
    endpoint: edge.endpoint,
    host: opts.host,
    port: edge.port,
    dataDir,
    pipeline,
    resources: state.resources,
    runtime: (fn) => functions.runtime(fn),
    environment: (fn) => functions.environment(fn),
    http,
    metrics,
    dlq: () => functions.dlq(),
    redrive: (ids) => functions.redrive(ids),
    invoke: (fn, event) => functions.invoke(fn, event),
    samplesDone,
    stop: async () => {
      state.stopping = true;
      state.ready = false;
      await phases.stop();
      log('imgpipe local stack stopped');
    },
  };
}
