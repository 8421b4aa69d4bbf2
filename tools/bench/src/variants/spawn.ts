import { spawn } from 'node:child_process';
import type { WorkerJob, WorkerOutput } from './worker-protocol';

/**
 * Runs one measuring child and parses its last stdout line. Rejects with the child's stderr
 * when it fails, so a broken comparator is reported, never estimated.
 */
export function runWorker(
  command: string,
  args: readonly string[],
  job: WorkerJob,
  env: NodeJS.ProcessEnv,
  timeoutMs = 10 * 60_000,
): Promise<WorkerOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, JSON.stringify(job)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(
          new Error(
            `${job.tool} exited ${signal ?? String(code)}: ${stderr.trim().split('\n').slice(-3).join(' ')}`,
          ),
        );
        return;
      }
      try {
        resolve(JSON.parse(last) as WorkerOutput);
      } catch {
        reject(new Error(`${job.tool} printed no result: ${last.slice(0, 200)}`));
      }
    });
  });
}
