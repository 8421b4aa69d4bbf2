import { dirname } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import {
  installDynaliteParseCache,
  PARSE_CACHE_MAX_ENTRIES,
  PARSE_CACHE_PROVEN_ON,
} from './dynalite-parse-cache';

/**
 * A DynamoDB JSON-API request the edge has already read: headers as Node parsed them, the body decoded as
 * UTF-8 (as dynalite decodes it; a string crosses the port in one copy, where a pooled Buffer would carry
 * its whole pool).
 */
export interface DynamoDbRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: string;
}

/** dynalite's answer, as it would have written it to an HTTP response. */
export interface DynamoDbAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** dynalite in its own thread: the edge's requests over a MessagePort, the stack's own clients over loopback HTTP. */
export interface DynamoDbThread {
  readonly host: string;
  readonly port: number;
  /** Whether dynalite's expression parses are cached (`dynalite-parse-cache.ts`), and its version. */
  readonly parseCache: { readonly installed: boolean; readonly version: string };
  /**
   * Hands a request to dynalite's own request handler in the thread. Rejects while the thread is paused
   * or gone (the edge answers that as the outage it is).
   */
  send(request: DynamoDbRequest): Promise<DynamoDbAnswer>;
  /** Closes its server and database (connections dropped, requests refused); `listen` opens them again on the same port. */
  pause(): Promise<void>;
  listen(): Promise<void>;
  /** Closes the server and the database, then ends the thread. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

type Reply =
  | { readonly port: number; readonly parseCache: DynamoDbThread['parseCache'] }
  | { readonly error: string }
  | { readonly closed: true };
type Command = { readonly type: 'listen' } | { readonly type: 'close' };
/** Over the requests' port: a request with its id, and the answer (or the refusal) with the same id. */
type PortRequest = DynamoDbRequest & { readonly id: number };
type PortAnswer = { readonly id: number } & (DynamoDbAnswer | { readonly unavailable: true });

/**
 * The thread's program. It is CommonJS run with `eval` (so it needs no file of its own next to a bundle)
 * and gets dynalite's resolved path from the stack, which resolves it as it would import it.
 *
 * Requests from the edge skip HTTP: dynalite's handler (the server's 'request' listener, all of its
 * validation and error shapes) gets a request that emits the body the edge read (one string chunk, which
 * dynalite takes as it takes a Buffer: it keeps a single chunk and calls toString()), and a response that
 * posts what dynalite writes back over the port. dynalite reads `method`, `url`, `headers` and the
 * 'data'/'end' events of the request, and `statusCode`, `setHeader` and `end` of the response (4.0.0).
 */
const PROGRAM = `
const { EventEmitter } = require('node:events');
const { parentPort, workerData } = require('node:worker_threads');
// The parse cache's installer is compiled TypeScript; tsx's esbuild (keepNames) wraps its inner functions in __name().
const __name = (target) => target;
// Before dynalite handles a request: its validations look up each parser's parse on every call. With the
// cache off (the differential test's reference) no version matches '', so dynalite stays as it is.
const parseCache = (${installDynaliteParseCache.toString()})(
  require, workerData.dynaliteDir, workerData.parseCache ? '${PARSE_CACHE_PROVEN_ON}' : '', ${PARSE_CACHE_MAX_ENTRIES});
const dynalite = require(workerData.module);
const server = dynalite(workerData.options);
const handle = server.listeners('request')[0];
const requests = workerData.requests;
let port = 0;
let open = false;
// Requests handed to dynalite and not answered yet, by id: a pause answers whatever its close cut off.
const inFlight = new Set();
const answer = (message) => {
  if (!inFlight.delete(message.id)) return;
  requests.postMessage(message);
};
// dynalite 4.0.0 throws 'Database is closed' from the callback of a read the close cut off, which would
// end this thread (and every later pause or stop would wait for it): that request is the outage's, and
// the close answers it below.
process.on('uncaughtException', (error) => {
  if (/^Database is closed$/.test(String(error && error.message))) return;
  throw error;
});
const listen = () => server.listen(port, workerData.host, () => {
  port = server.address().port;
  open = true;
  parentPort.postMessage({ port, parseCache: { installed: parseCache.installed, version: parseCache.version } });
});
server.on('error', (error) => parentPort.postMessage({ error: String(error && error.message || error) }));
parentPort.on('message', (command) => {
  if (command.type === 'listen') listen();
  else if (command.type === 'close') {
    open = false;
    server.close((error) => {
      for (const id of [...inFlight]) answer({ id, unavailable: true });
      parentPort.postMessage(error ? { error: String(error.message) } : { closed: true });
    });
    server.closeAllConnections();
  }
});
requests.on('message', (message) => {
  const { id, method, url, headers, body } = message;
  if (!open) return requests.postMessage({ id, unavailable: true });
  inFlight.add(id);
  const req = new EventEmitter();
  req.method = method;
  req.url = url;
  req.headers = headers;
  const answerHeaders = {};
  const res = {
    statusCode: 200,
    setHeader: (name, value) => { answerHeaders[name.toLowerCase()] = String(value); },
    end: (text) => answer({ id, status: res.statusCode, headers: answerHeaders, body: text === undefined ? '' : String(text) }),
  };
  handle(req, res);
  if (body.length > 0) req.emit('data', body);
  req.emit('end');
});
listen();
`;

/**
 * Starts dynalite (LevelDB under `dir`) in a worker thread, off the edge's event loop. The edge hands it
 * the requests it already read over a MessagePort (`send`): over loopback HTTP each call was serialised
 * by the edge and parsed again by dynalite's server, a third of the thread's CPU per call. dynalite still
 * listens on 127.0.0.1 for the stack's own clients (the console's row reader), as any DynamoDB client would.
 * Its expression parses are cached (`dynalite-parse-cache.ts`) unless `parseCache: false` (the differential
 * test's reference) or dynalite is not the version the cache was proven on.
 */
export async function startDynamoDbThread(
  dir: string,
  options: { readonly parseCache?: boolean } = {},
): Promise<DynamoDbThread> {
  const channel = new MessageChannel();
  const worker = new Worker(PROGRAM, {
    eval: true,
    workerData: {
      module: require.resolve('dynalite'),
      // dynalite's main is its package's root index.js (4.0.0); another layout leaves the cache off.
      dynaliteDir: dirname(require.resolve('dynalite')),
      parseCache: options.parseCache ?? true,
      host: HOST,
      options: { path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 },
      requests: channel.port2,
    },
    transferList: [channel.port2],
  });
  const requests = channel.port1;
  const pending = new Map<number, { resolve: (a: DynamoDbAnswer) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let gone: Error | undefined;
  requests.on('message', (answer: PortAnswer) => {
    const waiting = pending.get(answer.id);
    if (!waiting) return;
    pending.delete(answer.id);
    if ('unavailable' in answer) waiting.reject(new Error('the DynamoDB emulator is paused'));
    else waiting.resolve(answer);
  });
  // An uncaught error ends the thread ('exit' rejects whoever waits); without a listener it would end the stack.
  worker.on('error', () => undefined);
  worker.once('exit', (code) => {
    gone = new Error(`the DynamoDB thread exited (${code})`);
    for (const waiting of pending.values()) waiting.reject(gone);
    pending.clear();
    requests.close();
  });
  const next = (command?: Command): Promise<Reply> =>
    new Promise<Reply>((resolve, reject) => {
      // A thread that has already exited sends neither a reply nor another 'exit': waiting would never end.
      if (gone) return reject(gone);
      const onExit = (code: number): void => reject(new Error(`the DynamoDB thread exited (${code})`));
      worker.once('message', (reply: Reply) => {
        worker.off('exit', onExit);
        resolve(reply);
      });
      worker.once('exit', onExit);
      if (command) worker.postMessage(command);
    });
  const expect = async (command?: Command): Promise<Reply> => {
    const reply = await next(command);
    if ('error' in reply) throw new Error(reply.error);
    return reply;
  };
  const first = await expect().catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  const port = 'port' in first ? first.port : 0;
  const parseCache = 'parseCache' in first ? first.parseCache : { installed: false, version: 'unknown' };
  let closed = false;
  return {
    host: HOST,
    port,
    parseCache,
    send: (request) =>
      new Promise<DynamoDbAnswer>((resolve, reject) => {
        if (gone) return reject(gone);
        const id = nextId++;
        pending.set(id, { resolve, reject });
        const message: PortRequest = { ...request, id };
        requests.postMessage(message);
      }),
    pause: async () => {
      await expect({ type: 'close' });
    },
    listen: async () => {
      await expect({ type: 'listen' });
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await expect({ type: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
