import { spawn } from 'node:child_process';
import type { WorkerJob, WorkerOutput } from './worker-protocol';

/** What a child printed, and how long it ran (spawn to exit, in ms). */
export interface ChildRun {
  readonly stdout: string;
  readonly processMs: number;
}

/**
 * Runs a child to its end. Rejects with `<label> exited <code or signal>: <last three stderr lines>`
 * when it fails, so a broken child is reported, never estimated; killed after `timeoutMs` when given.
 */
export function runChild(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  label: string,
  timeoutMs?: number,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const processMs = performance.now() - t0;
      if (code === 0) resolve({ stdout, processMs });
      else
        reject(
          new Error(
            `${label} exited ${signal ?? String(code)}: ${stderr.trim().split('\n').slice(-3).join(' ')}`,
          ),
        );
    });
  });
}

/** The child's result: its last stdout line, as JSON; rejects with `<label> printed no result` otherwise. */
export function lastJsonLine<T>(stdout: string, label: string): T {
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${label} printed no result: ${last.slice(0, 200)}`);
  }
}

/**
 * Runs one measuring child and parses its last stdout line. Rejects with the child's stderr
 * when it fails, so a broken comparator is reported, never estimated.
 */
export async function runWorker(
  command: string,
  args: readonly string[],
  job: WorkerJob,
  env: NodeJS.ProcessEnv,
  timeoutMs = 10 * 60_000,
): Promise<WorkerOutput> {
  const { stdout } = await runChild(command, [...args, JSON.stringify(job)], env, job.tool, timeoutMs);
  return lastJsonLine<WorkerOutput>(stdout, job.tool);
}
