import type { Command } from 'commander';
import { defineCommand } from '../command';
import { backfill } from '../stack/backfill';
import { usageExits } from '../stack/command-kit';
import { createProgress } from '../stack/progress';
import { runStackCommand } from '../stack/session';
import { type TargetFlags, withTargetOptions } from '../stack/target';

interface BackfillFlags extends TargetFlags {
  readonly prefix?: string;
  readonly json?: boolean;
}

async function run(flags: BackfillFlags): Promise<void> {
  await runStackCommand(flags, async (session) => {
    const report = await backfill(
      session,
      createProgress('backfill'),
      flags.prefix ? { prefix: flags.prefix } : {},
    );
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    process.stdout.write(
      report.mode === 'local'
        ? `backfill: ${report.objects} object(s): ${report.rendered} rendered, ${report.failed} failed (recorded on their rows), ${report.stale} overtaken by newer uploads\n`
        : `backfill: ${report.objects} object(s): resize and metadata-sync queued for ${report.rendered} (watch progress with: imgpipe ls --aws --status pending)\n`,
    );
  });
}

export default defineCommand({
  register(program: Command): void {
    const command = program
      .command('backfill')
      .description('Re-render every source object (after changing presets, or to rebuild variants)')
      .option('--prefix <prefix>', 'only source keys that start with this')
      .option('--json', 'print the report as one JSON object: {objects, rendered, failed, stale, mode}')
      .addHelpText(
        'after',
        '\nLocally the variants are rendered in this process through the pipeline core (a progress bar shows\n' +
          'on a terminal). With --aws, resize and metadata-sync are invoked asynchronously for every object.\n' +
          'Either way an upload that lands meanwhile wins over the backfill (sequencer order).',
      );
    usageExits(withTargetOptions(command)).action(run);
  },
});
