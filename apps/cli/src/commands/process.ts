import { definePipeline } from '@imgpipe/pipeline';
import { parsePresets } from '@imgpipe/image';
import type { Command } from 'commander';
import { defineCommand } from '../command';
import { jsonLine, table } from '../process/format';
import { type FileOutcome, folderNames, processFile } from '../process/run';

interface ProcessFlags {
  readonly out: string;
  readonly json?: boolean;
  readonly gps?: boolean;
  readonly allowSvg?: boolean;
}

async function run(files: string[], flags: ProcessFlags): Promise<void> {
  const pipeline = definePipeline();
  const options = {
    out: flags.out,
    presets: parsePresets(pipeline.presets),
    limits: { ...pipeline.limits, allowSvg: flags.allowSvg ?? pipeline.limits.allowSvg },
    gps: flags.gps ?? false,
  };
  const folders = folderNames(files);
  const outcomes: FileOutcome[] = [];
  // One file at a time: bounded memory, and one bad file never stops the others.
  for (const [i, file] of files.entries()) {
    const outcome = await processFile(file, folders[i] ?? file, options);
    outcomes.push(outcome);
    if (flags.json) process.stdout.write(`${jsonLine(outcome)}\n`);
  }
  if (!flags.json) process.stdout.write(`${table(outcomes)}\n`);
  // Image errors are answers; a file we could not read or write is the caller's mistake.
  if (outcomes.some((o) => !o.ok && !o.classified)) process.exitCode = 1;
}

export default defineCommand({
  register(program: Command): void {
    program
      .command('process')
      .description('Run the image library on local files (no AWS, no local stack) and write the variants')
      .argument('<file...>', 'image files to process')
      .requiredOption(
        '-o, --out <dir>',
        'folder to write variants to, as <dir>/<input base name>/<variant>.<ext>',
      )
      .option('--json', 'print one JSON line per input instead of a table')
      .option('--gps', 'include the GPS position in the metadata (never in variants)')
      .option('--allow-svg', 'decode SVG input (off by default)')
      .addHelpText(
        'after',
        '\nVariants are the pipeline presets (thumb, small, large). Two inputs with the same base name get\n' +
          'folders <name> and <name>-2. Exit status is 0 when every input was processed or classified\n' +
          '(an image error such as CORRUPT_IMAGE is an answer, not a failure); 1 for usage errors and\n' +
          'files that cannot be read.',
      )
      .action(run);
  },
});
