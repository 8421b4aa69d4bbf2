/**
 * `npm run bench -- [--json] [--quick] ...`: progress on stderr, the report on stdout; with `--json`
 * the last stdout line is the JSON report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BenchUsageError, parseArgs } from './args';
import { runBench } from './bench';
import { workspaceRoot } from './paths';
import { formatReport } from './report';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseArgs(argv);
  const command = ['npm run bench --', ...argv].join(' ').replace(/ --$/, '');
  const report = await runBench(options, command, (line) => process.stderr.write(`${line}\n`));
  if (options.out) {
    // Nx runs the script inside tools/bench; a relative --out is taken from the workspace root.
    const out = resolve(workspaceRoot(), options.out);
    try {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
      process.stderr.write(`report written to ${out}\n`);
    } catch (error) {
      process.stderr.write(`could not write ${out}: ${String(error)}\n`);
      process.exitCode = 1;
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`${formatReport(report)}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
