import { execFile } from 'node:child_process';

const MARKER = '@@lambda-image-result@@';

// What the Lambda runtime does with image_config.command "<module>.<export>": import
// $LAMBDA_TASK_ROOT/<module>.mjs and call the export with the event and a context.
const RUNNER = `
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const [command, eventJson] = process.argv.slice(1);
const root = process.env.LAMBDA_TASK_ROOT;
const dot = command.lastIndexOf('.');
const file = join(root, command.slice(0, dot) + '.mjs');
const mod = await import(pathToFileURL(file).href);
const sharpResolved = createRequire(file).resolve('sharp');
const deadline = Date.now() + 120000;
const context = { awsRequestId: 'task-root-' + process.pid, functionName: command, getRemainingTimeInMillis: () => deadline - Date.now() };
try {
  const result = await mod[command.slice(dot + 1)](JSON.parse(eventJson), context);
  console.log('${MARKER}' + JSON.stringify({ ok: true, result, sharpResolved, cwd: process.cwd() }));
} catch (err) {
  console.log('${MARKER}' + JSON.stringify({ ok: false, error: { name: err.name, message: err.message }, sharpResolved }));
}
`;

export interface TaskRootRun {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string };
  /** Where `sharp` resolved from, seen from the bundle. */
  readonly sharpResolved: string;
  readonly cwd?: string;
}

/**
 * Runs one handler of an image task root in a clean `node`: cwd is the task root, the environment
 * holds only PATH, LAMBDA_TASK_ROOT and what is passed (no NODE_PATH, nothing of the workspace).
 */
export function runFromTaskRoot(
  taskRoot: string,
  command: string,
  event: unknown,
  env: Readonly<Record<string, string>>,
): Promise<TaskRootRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', RUNNER, command, JSON.stringify(event)],
      {
        cwd: taskRoot,
        env: { PATH: process.env['PATH'] ?? '', LAMBDA_TASK_ROOT: taskRoot, ...env },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
        if (!line) {
          reject(
            new Error(
              `${command} printed no result (exit ${String(error?.code ?? 0)}): ${stderr.slice(-2000)}`,
            ),
          );
          return;
        }
        resolve(JSON.parse(line.slice(MARKER.length)) as TaskRootRun);
      },
    );
  });
}
