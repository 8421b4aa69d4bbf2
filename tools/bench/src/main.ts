/**
 * `npm run bench -- [--json] [--quick] ...`: progress on stderr, the report on stdout; with `--json`
 * the last stdout line is the JSON report.
 */
import { writeFileSync } from 'node:fs';
import { BenchUsageError, parseArgs } from './args';
import { runBench } from './bench';
import { formatReport } from './report';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseArgs(argv);
  const command = ['npm run bench --', ...argv].join(' ').replace(/ --$/, '');
  const report = await runBench(options, command, (line) => process.stderr.write(`${line}\n`));
  const json = JSON.stringify(report);
  if (options.out) writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  if (options.json) process.stdout.write(`${json}\n`);
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
