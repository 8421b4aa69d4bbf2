/**
 * The program each worker process runs: it imports a function bundle once (the cold start), then
 * answers invocations over IPC, giving the handler a Lambda-like context. It is kept as text and
 * written next to the data so it can be forked the same way from source, tests and the bundle.
 */
export const RUNNER_SOURCE = String.raw`
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';

const bundle = process.argv[2];
const started = performance.now();
let handler;
try {
  const mod = await import(pathToFileURL(bundle).href);
  handler = mod.handler ?? mod.default?.handler;
  if (typeof handler !== 'function') throw new Error('The bundle ' + bundle + ' exports no handler(event, context)');
  process.send({ type: 'ready', initMs: performance.now() - started });
} catch (error) {
  process.send({ type: 'init-error', error: { type: 'Runtime.ImportModuleError', message: String(error && error.stack || error) } }, () => process.exit(1));
}

function toError(error) {
  if (error instanceof Error) return { type: error.name || 'Error', message: error.message };
  return { type: 'Error', message: String(error) };
}

process.on('message', async (message) => {
  if (!message || message.type !== 'invoke') return;
  const deadline = message.deadline;
  const context = {
    functionName: message.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:' + message.functionName,
    memoryLimitInMB: String(message.memoryMb),
    awsRequestId: message.id || randomUUID(),
    logGroupName: '/aws/lambda/' + message.functionName,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const value = await handler(message.event, context);
    process.send({ type: 'result', id: message.id, ok: true, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) });
  } catch (error) {
    process.send({ type: 'result', id: message.id, ok: false, error: toError(error) });
  }
});
`;
