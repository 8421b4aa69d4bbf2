/**
 * The program each worker process runs (built by esbuild into one .mjs, see runner-build.ts): it imports
 * a function bundle once (the cold start), then answers invocations over IPC with a Lambda context.
 */
import { pathToFileURL } from 'node:url';
import { createLambdaContext } from './lambda-context';
import type { InvokeMessage, WorkerMessage } from './protocol';
import type { InvocationError } from './types';

type Handler = (event: unknown, context: unknown) => unknown;

function send(message: WorkerMessage, then?: () => void): void {
  process.send?.(message, undefined, undefined, () => then?.());
}

function toError(error: unknown): InvocationError {
  if (error instanceof Error) return { type: error.name || 'Error', message: error.message };
  return { type: 'Error', message: String(error) };
}

async function load(bundle: string): Promise<Handler | undefined> {
  const started = performance.now();
  try {
    const mod = (await import(pathToFileURL(bundle).href)) as {
      handler?: Handler;
      default?: { handler?: Handler };
    };
    const handler = mod.handler ?? mod.default?.handler;
    if (typeof handler !== 'function')
      throw new Error(`The bundle ${bundle} exports no handler(event, context)`);
    send({ type: 'ready', initMs: performance.now() - started, exports: Object.keys(mod) });
    return handler;
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    // What Lambda's Node runtime writes to the function's log when its init fails.
    const record = {
      errorType: 'Runtime.ImportModuleError',
      errorMessage: message.split('\n')[0],
      stack: message.split('\n'),
    };
    process.stderr.write(
      `${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(record)}\n`,
    );
    send({ type: 'init-error', error: { type: 'Runtime.ImportModuleError', message } }, () =>
      process.exit(1),
    );
    return undefined;
  }
}

// A worker never outlives the stack: its IPC channel closes when the stack exits, however it exits.
process.on('disconnect', () => process.exit(0));

const handler = await load(process.argv[2] ?? '');
if (handler) {
  process.on('message', async (raw: InvokeMessage) => {
    if (raw?.type !== 'invoke') return;
    const context = createLambdaContext({
      functionName: raw.functionName,
      memoryMb: raw.memoryMb,
      requestId: raw.id,
      deadline: raw.deadline,
    });
    try {
      const value = await handler(raw.event, context);
      // Lambda returns JSON: whatever does not survive JSON does not reach the caller.
      send({
        type: 'result',
        id: raw.id,
        ok: true,
        value: value === undefined ? null : JSON.parse(JSON.stringify(value)),
      });
    } catch (error) {
      send({ type: 'result', id: raw.id, ok: false, error: toError(error) });
    }
  });
}
