import { STREAM_EVENT_NAMES, STREAM_EVENT_SCHEMAS, type StreamEventName } from '@imgpipe/contracts';

/**
 * Live updates: server-sent events from `/_imgpipe/api/stream` (`row`, `invocation`, `dlq`), falling back to
 * polling when the stream is unavailable, and retrying the stream later.
 */
export type LiveEventType = StreamEventName;
export type LiveMode = 'connecting' | 'live' | 'polling';

export interface LiveEvent {
  readonly type: LiveEventType;
  /** The payload parsed with its schema (`STREAM_EVENT_SCHEMAS`), or `undefined` when it carried none or does not parse. */
  readonly data: unknown;
}

export interface LiveOptions {
  readonly url: string;
  readonly onEvent: (event: LiveEvent) => void;
  /** Called on every polling interval while the stream is down. */
  readonly onPoll: () => void;
  readonly onMode?: (mode: LiveMode) => void;
  readonly pollIntervalMs?: number;
  readonly retryStreamMs?: number;
  /** Injected for tests; the browser's `EventSource` by default (absent means polling only). */
  readonly EventSourceImpl?: typeof EventSource | undefined;
}

const EVENT_TYPES: readonly LiveEventType[] = STREAM_EVENT_NAMES;

/** Parses an SSE `data:` field; non-JSON payloads are kept as `undefined`. */
export function parseEventData(data: unknown): unknown {
  if (typeof data !== 'string' || data === '') return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * An SSE `data:` field of event `type` parsed with the contract's schema of that event; `undefined` when it
 * is not JSON or not that shape (the console then refreshes as if it had polled).
 */
export function parseStreamData(type: LiveEventType, data: unknown): unknown {
  const parsed = STREAM_EVENT_SCHEMAS[type].safeParse(parseEventData(data));
  return parsed.success ? parsed.data : undefined;
}

/** Starts the feed; returns a function that stops it. */
export function startLive(options: LiveOptions): () => void {
  const pollMs = options.pollIntervalMs ?? 3000;
  const retryMs = options.retryStreamMs ?? 15_000;
  const Impl =
    options.EventSourceImpl === undefined && 'EventSource' in globalThis
      ? globalThis.EventSource
      : options.EventSourceImpl;
  let source: EventSource | undefined;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const setMode = (mode: LiveMode): void => options.onMode?.(mode);

  const startPolling = (): void => {
    if (stopped) return;
    // Said again even when the timer already runs: a retried stream set the mode to 'connecting' meanwhile.
    setMode('polling');
    pollTimer ??= setInterval(options.onPoll, pollMs);
  };
  const stopPolling = (): void => {
    if (pollTimer !== undefined) clearInterval(pollTimer);
    pollTimer = undefined;
  };

  const connect = (): void => {
    if (stopped) return;
    if (!Impl) {
      startPolling();
      return;
    }
    setMode('connecting');
    const es = new Impl(options.url);
    source = es;
    es.onopen = () => {
      stopPolling();
      setMode('live');
      // Catch up on whatever happened while the stream was down.
      options.onPoll();
    };
    es.onerror = () => {
      // EventSource reconnects by itself unless the server refused the stream outright (CLOSED).
      if (es.readyState === 2 /* CLOSED */) {
        es.close();
        source = undefined;
        startPolling();
        retryTimer = setTimeout(connect, retryMs);
      } else {
        startPolling();
      }
    };
    for (const type of EVENT_TYPES) {
      es.addEventListener(type, (event) => {
        options.onEvent({ type, data: parseStreamData(type, (event as MessageEvent).data) });
      });
    }
  };

  connect();
  return () => {
    stopped = true;
    stopPolling();
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    source?.close();
  };
}
