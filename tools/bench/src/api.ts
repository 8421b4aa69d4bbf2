/**
 * The image API on the local stack: the `api` bundle's import time in a fresh process, and warm
 * `GET /v1/images/{id}` latency through the whole local path (edge → API Gateway emulation → JWT
 * authorizer → a warm `api` worker → DynamoDB), sequential requests after a warm-up, paced below the
 * stage's throttle read from the pipeline definition the stack runs (API Gateway refuses requests beyond
 * it with 429, locally as on AWS: measuring past it would measure the throttle, not the API). A 429 that
 * still happens is counted and retried after one refill interval, never reported as the API failing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corpusFile } from '@imgpipe/testing';
import { startStack } from './stack-host';
import { definePipeline } from '@imgpipe/pipeline';
import { pacer, throttleGapMs } from './load';
import { percentile, round } from './stats';
import type { ApiBenchResult } from './types';
import { workspaceRoot } from './paths';

function importMs(bundle: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle).href)}); console.log(performance.now() - t);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env['PATH'] ?? '', AWS_REGION: 'us-east-1' },
    encoding: 'utf8',
  });
  return Number(out.trim().split('\n').pop());
}

async function json(res: Response, what: string): Promise<Record<string, unknown>> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Runs the API bench; `requests` warm GETs after 20 warm-up requests. */
export async function runApiBench(requests: number, log: (line: string) => void): Promise<ApiBenchResult> {
  const bundle = join(workspaceRoot(), 'apps', 'api', 'dist', 'api.mjs');
  if (!existsSync(bundle)) throw new Error(`${bundle} not built (npx nx build api)`);
  const imports = [importMs(bundle), importMs(bundle), importMs(bundle)].sort((a, b) => a - b);
  const dataDir = mkdtempSync(join(tmpdir(), 'imgpipe-bench-api-'));
  const stack = await startStack(dataDir, 2);
  try {
    const endpoint = stack.info.endpoint;
    const { token } = (await json(
      await fetch(`${endpoint}/_imgpipe/api/tokens`, { method: 'POST', body: '{}' }),
      'token',
    )) as { token: string };
    const api = `${endpoint}/_api`;
    const auth = { authorization: `Bearer ${token}` };
    const bytes = readFileSync(corpusFile('sharp-fixtures/320x240.jpg'));
    const created = (await json(
      await fetch(`${api}/v1/uploads`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ filename: 'bench.jpg', contentType: 'image/jpeg', bytes: bytes.length }),
      }),
      'POST /v1/uploads',
    )) as { id: string; upload: { url: string; fields: Record<string, string> } };
    const form = new FormData();
    for (const [k, v] of Object.entries(created.upload.fields)) form.append(k, v);
    form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'bench.jpg');
    const posted = await fetch(created.upload.url, { method: 'POST', body: form });
    if (posted.status >= 300) throw new Error(`upload: HTTP ${posted.status}`);
    const url = `${api}/v1/images/${created.id}`;
    // The stack runs the default definition (stack-host passes no pipeline options), so its limits are these.
    const gap = throttleGapMs(definePipeline().api.throttle);
    const pace = pacer(gap);
    let throttled = 0;
    /** One paced GET; its latency, or null for a 429 (counted; the next try waits a refill interval). */
    const get = async (): Promise<number | null> => {
      await pace();
      const started = performance.now();
      const res = await fetch(url, { headers: auth });
      await res.arrayBuffer();
      const ms = performance.now() - started;
      if (res.status === 429) {
        throttled += 1;
        return null;
      }
      if (res.status !== 200) throw new Error(`GET /v1/images/{id}: HTTP ${res.status}`);
      return ms;
    };
    for (let i = 0; i < 20; i += 1) await get();
    const times: number[] = [];
    while (times.length < requests) {
      const ms = await get();
      if (ms !== null) times.push(ms);
      else if (throttled > requests) throw new Error(`GET /v1/images/{id}: throttled ${throttled} times`);
    }
    const result = {
      importMs: round(imports[1] ?? 0),
      requests,
      p50Ms: round(percentile(times, 50)),
      p99Ms: round(percentile(times, 99)),
      pacedPerSecond: round(1000 / gap),
      throttled,
    };
    log(
      `api: import ${result.importMs} ms; warm GET /v1/images/{id} p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms ` +
        `(paced at ${result.pacedPerSecond}/s, throttled ${throttled})`,
    );
    return result;
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
