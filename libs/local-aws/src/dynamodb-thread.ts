import { Worker } from 'node:worker_threads';

/** dynalite serving on 127.0.0.1 from its own thread. */
export interface DynamoDbThread {
  readonly host: string;
  readonly port: number;
  /** Closes its server and database (connections dropped); `listen` opens them again on the same port. */
  pause(): Promise<void>;
  listen(): Promise<void>;
  /** Closes the server and the database, then ends the thread. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

type Reply = { readonly port: number } | { readonly error: string } | { readonly closed: true };
type Command = { readonly type: 'listen' } | { readonly type: 'close' };

/**
 * The thread's program. It is CommonJS run with `eval` (so it needs no file of its own next to a bundle)
 * and gets dynalite's resolved path from the stack, which resolves it as it would import it.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.module);
const server = dynalite(workerData.options);
let port = 0;
const listen = () => server.listen(port, workerData.host, () => {
  port = server.address().port;
  parentPort.postMessage({ port });
});
server.on('error', (error) => parentPort.postMessage({ error: String(error && error.message || error) }));
parentPort.on('message', (command) => {
  if (command.type === 'listen') listen();
  else if (command.type === 'close') {
    server.close((error) => parentPort.postMessage(error ? { error: String(error.message) } : { closed: true }));
    server.closeAllConnections();
  }
});
listen();
`;

/**
 * Starts dynalite (LevelDB under `dir`) in a worker thread. On the edge's event loop it cost about a
 * third of the loop's time under a burst (HTTP parsing twice, validation, LevelDB calls); in its own
 * thread it runs beside the edge on another core. The edge still reaches it over loopback HTTP, as any
 * DynamoDB client would.
 */
export async function startDynamoDbThread(dir: string): Promise<DynamoDbThread> {
  const worker = new Worker(PROGRAM, {
    eval: true,
    workerData: {
      module: require.resolve('dynalite'),
      host: HOST,
      options: { path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 },
    },
  });
  // An uncaught error ends the thread ('exit' rejects whoever waits); without a listener it would end the stack.
  worker.on('error', () => undefined);
  const next = (command?: Command): Promise<Reply> =>
    new Promise<Reply>((resolve, reject) => {
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
  let closed = false;
  return {
    host: HOST,
    port,
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
