import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { LocalStackError, startLocalStack } from '@imgpipe/local-aws';
import { parseStartArgs, USAGE } from './cli-args';
import { turbofanBudgetFlag } from './v8-tuning';

/** `npm start`: runs the local stack in the foreground until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const budget = turbofanBudgetFlag(process.versions.v8);
  if (budget) setFlagsFromString(budget);
  // The SDK warns that Node < 22 will lose support; the local stack supports Node >= 20.19 on purpose.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const request = parseStartArgs(process.argv.slice(2), process.env);
  if (request.help) {
    console.log(USAGE);
    return;
  }
  // dist/main.mjs sits in apps/local-stack/dist: the repository root is three levels up.
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const log = (line: string): void => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);
  const stack = await startLocalStack({ repoRoot, ...request.options, log });
  log(
    `S3 + DynamoDB endpoint: ${stack.endpoint}   console: ${stack.endpoint}/_imgpipe/   API: ${stack.endpoint}/_imgpipe/api/metrics`,
  );
  log(
    `try: aws --endpoint-url ${stack.endpoint} s3 cp photo.jpg s3://${stack.pipeline.names.sourceBucket}/photos/photo.jpg`,
  );
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping (in-flight work gets a few seconds; queued work resumes on the next start)`);
    // Everything must be gone within 10 s of the signal, workers included (they exit with our IPC channel).
    const force = setTimeout(() => {
      log('stop took too long; exiting');
      process.exit(1);
    }, 8_500);
    force.unref();
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  watchParent(() => shutdown('parent exited'));
}

/**
 * The stack never outlives its parent: `npm start` runs us over an IPC channel, which closes when the
 * parent dies however it dies; without one (a direct `node dist/main.mjs`), a changed ppid means we were
 * reparented because the parent died.
 */
function watchParent(onGone: () => void): void {
  if (process.connected) process.once('disconnect', onGone);
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onGone();
  }, 250).unref();
}

main().catch((error: unknown) => {
  if (error instanceof LocalStackError) console.error(`imgpipe: ${error.code}: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
