import { startPipelineServers, invokeBundle } from '@imgpipe/local-aws/testing';
import { readCorpusFile } from '@imgpipe/testing';
import { readFileSync, writeFileSync } from 'node:fs';
async function main() {
  const servers = await startPipelineServers({ names: { sourceBucket: 'imgpipe-test-source', derivedBucket: 'imgpipe-test-derived' } });
  try {
    for (const fn of ['resize', 'metadata-sync'] as const) {
      const key = `trace/${fn}.jpg`;
      const v = await servers.upload(key, readCorpusFile('sharp-fixtures/320x240.jpg'));
      const log = `/tmp/cold14-trace-${fn}.log`;
      writeFileSync(log, '');
      const run = await invokeBundle(`${process.cwd()}/apps/${fn}/dist/${fn}.mjs`, servers.created(key, v), { ...servers.env(fn), NODE_OPTIONS: '--import=/tmp/cold14-hook.mjs', COLD14_LOG: log });
      const files = JSON.parse(readFileSync(`apps/${fn}/dist/${fn}.files.json`, 'utf8'));
      const loaded = readFileSync(log, 'utf8').trim().split('\n');
      console.log(fn, run.ok, 'loaded', loaded.length, 'onDemand loaded:', loaded.filter((f) => files.onDemand.includes(`chunks/${f}`)));
    }
  } finally { await servers.stop(); }
}
main();
