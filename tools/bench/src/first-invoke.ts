/**
 * First invocation of each handler in a fresh Node process against the running local stack, with
 * the environment the stack gives its workers. resize and metadata-sync get an "Object Created"
 * event for an uploaded object with a newer sequencer than its row's (so the work is really done,
 * not skipped as a duplicate); reconcile gets a scheduled event.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { objectCreatedEvent, scheduledEvent, sequencerAfter } from '@imgpipe/core';
import { FUNCTION_NAMES, type FunctionName } from '@imgpipe/pipeline';
import { bundlePath } from './coldstart';
import type { StackInfo } from './stack-host';

export interface FirstInvoke {
  readonly handler: string;
  readonly ms: number | null;
  readonly note: string;
}

interface SourceRow {
  readonly sequencer: string;
  readonly etag?: string;
  readonly bytes?: number;
}

async function sourceRow(info: StackInfo, key: string): Promise<SourceRow | null> {
  const ddb = new DynamoDBClient({
    endpoint: info.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { Item } = await ddb.send(
      new GetItemCommand({ TableName: info.table, Key: { objectKey: { S: key } } }),
    );
    const sequencer = Item?.['sequencer']?.S;
    if (!sequencer) return null;
    return { sequencer, etag: Item?.['etag']?.S, bytes: Number(Item?.['bytes']?.N ?? 0) || undefined };
  } finally {
    ddb.destroy();
  }
}

function eventFor(fn: FunctionName, info: StackInfo, key: string, row: SourceRow): unknown {
  if (fn === 'reconcile') return scheduledEvent();
  return objectCreatedEvent({
    bucket: info.sourceBucket,
    key,
    size: row.bytes ?? 0,
    etag: row.etag ?? '',
    // Newer than the row's version: the handler does the full work instead of skipping a duplicate.
    sequencer: sequencerAfter(row.sequencer),
  });
}

function script(bundle: string, event: unknown): string {
  return String.raw`
const t0 = performance.now();
const mod = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const loadMs = performance.now() - t0;
const handler = mod.handler ?? mod.default?.handler;
const deadline = Date.now() + 60000;
const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => deadline - Date.now(), callbackWaitsForEmptyEventLoop: true };
const t1 = performance.now();
let error = null;
try { await handler(${JSON.stringify(event)}, context); } catch (e) { error = String(e && e.message || e); }
console.log(JSON.stringify({ loadMs, invokeMs: performance.now() - t1, error }));
process.exit(0);
`;
}

function run(
  bundle: string,
  event: unknown,
  env: Readonly<Record<string, string>>,
): Promise<{ invokeMs: number; error: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script(bundle, event)], {
      env: { ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', () => {
      clearTimeout(timer);
      const line = stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .pop();
      if (!line) reject(new Error(stderr.trim().split('\n').slice(-2).join(' ') || 'no output'));
      else resolve(JSON.parse(line) as { invokeMs: number; error: string | null });
    });
  });
}

/** One fresh-process first invocation per built handler. */
export async function firstInvocations(
  info: StackInfo,
  key: string,
  log: (line: string) => void,
): Promise<FirstInvoke[]> {
  const row = key ? await sourceRow(info, key) : null;
  const out: FirstInvoke[] = [];
  for (const fn of FUNCTION_NAMES) {
    const bundle = bundlePath(fn);
    const env = info.env[fn];
    if (!existsSync(bundle) || !env) continue;
    if (!row && fn !== 'reconcile') {
      out.push({ handler: fn, ms: null, note: 'no ready row to build an event from' });
      continue;
    }
    try {
      const result = await run(bundle, eventFor(fn, info, key, row ?? { sequencer: '0' }), env);
      const note = result.error
        ? `handler threw: ${result.error}`
        : `fresh process against the local stack (${fn === 'reconcile' ? 'scheduled event' : 'newer version of an uploaded image'})`;
      out.push({ handler: fn, ms: result.error ? null : result.invokeMs, note });
      log(
        `first invoke ${fn}: ${result.invokeMs.toFixed(0)} ms${result.error ? ` (threw: ${result.error})` : ''}`,
      );
    } catch (error) {
      out.push({
        handler: fn,
        ms: null,
        note: `could not run: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return out;
}
