import { existsSync } from 'node:fs';
import type { Metrics } from '@imgpipe/contracts';
import { scheduledEvent } from '@imgpipe/core';
import { FUNCTION_NAMES, HTTP_FUNCTION_NAMES } from '@imgpipe/pipeline';
import type { EdgeRoute } from '../edge/extensions';
import type { ImageReader } from '../edge/console-api/images';
import { createApi } from '../edge/console-api/routes';
import type { EventStream } from '../edge/console-api/stream';
import type { ResolvedOptions } from '../options';
import type { LocalResources } from '../resources';
import type { Scheduler } from '../scheduler/scheduler';
import type { EventFunctions } from './functions';

/** Where the stack stands, as its health tells it; the phases move it forward and back. */
export interface StackState {
  ready: boolean;
  stopping: boolean;
  endpoint: string;
  resources: LocalResources;
}

export interface ConsoleParts {
  readonly state: StackState;
  readonly functions: EventFunctions;
  readonly scheduler: Scheduler;
  readonly images: ImageReader;
  readonly stream: EventStream;
  readonly metrics: () => Metrics;
}

/** `/_imgpipe`: health, the console's JSON API and event stream, and the console's files. */
export function consoleRoute(opts: ResolvedOptions, parts: ConsoleParts): EdgeRoute {
  const { state, functions, scheduler } = parts;
  const handle = createApi({
    health: () => ({
      ready: state.ready,
      body: {
        status: state.ready ? 'ready' : state.stopping ? 'stopping' : 'starting',
        endpoint: state.endpoint,
        buckets: state.resources.buckets,
        tables: state.resources.tables.map((t) => t.name),
        // Every function, event ones then HTTP ones, as the metrics list them.
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
    images: parts.images,
    metrics: parts.metrics,
    dlq: () => functions.dlq(),
    redrive: (ids) => functions.redrive(ids),
    reconcile: async () => {
      const outcome = await functions.invoke('reconcile', scheduledEvent({ rule: 'imgpipe-reconcile-now' }));
      return outcome.ok ? { ok: true, value: outcome.value } : { ok: false, error: outcome.error };
    },
    stream: parts.stream,
    consoleDir: opts.consoleDir,
  });
  return { prefix: '/_imgpipe', handle };
}
