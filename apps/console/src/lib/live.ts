/**
 * Live updates: server-sent events from `/_imgpipe/api/stream` (`row`, `invocation`, `dlq`), falling back to
 * polling when the stream is unavailable, and retrying the stream later.
 */
export type LiveEventType = 'row' | 'invocation' | 'dlq';
export type LiveMode = 'connecting' | 'live' | 'polling';

export interface LiveEvent {
  readonly type: LiveEventType;
  /** The parsed JSON payload, or `undefined` when the event carried none or not JSON. */
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

const EVENT_TYPES: readonly LiveEventType[] = ['row', 'invocation', 'dlq'];

/** Parses an SSE `data:` field; non-JSON payloads are kept as `undefined`. */
export function parseEventData(data: unknown): unknown {
  if (typeof data !== 'string' || data === '') return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
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
    if (pollTimer !== undefined || stopped) return;
    setMode('polling');
    pollTimer = setInterval(options.onPoll, pollMs);
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
        options.onEvent({ type, data: parseEventData((event as MessageEvent).data) });
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
