import { ROW_STATUSES, RowStatusSchema, type Row } from '@imgpipe/contracts';
import type { Command } from 'commander';
import { defineCommand } from '../command';
import { positiveInt, usageExits } from '../stack/command-kit';
import { UsageError } from '../stack/errors';
import { rowsTable } from '../stack/format';
import { runStackCommand } from '../stack/session';
import { type TargetFlags, withTargetOptions } from '../stack/target';

interface LsFlags extends TargetFlags {
  readonly status?: string;
  readonly prefix?: string;
  readonly limit?: number;
  readonly json?: boolean;
}

async function run(flags: LsFlags): Promise<void> {
  await runStackCommand(flags, async ({ rows }) => {
    const status = flags.status === undefined ? undefined : RowStatusSchema.safeParse(flags.status);
    if (status && !status.success) {
      throw new UsageError(
        `Expected --status to be one of ${ROW_STATUSES.join(', ')} but received "${flags.status}"`,
      );
    }
    const shown: Row[] = [];
    for await (const row of rows.list({
      ...(status?.data ? { status: status.data } : {}),
      ...(flags.prefix ? { prefix: flags.prefix } : {}),
    })) {
      if (flags.limit !== undefined && shown.length >= flags.limit) break;
      // JSON lines stream as pages arrive; the table needs every row to size its columns.
      if (flags.json) process.stdout.write(`${JSON.stringify(row)}\n`);
      else shown.push(row);
    }
    if (!flags.json) process.stdout.write(shown.length === 0 ? 'No images.\n' : `${rowsTable(shown)}\n`);
  });
}

export default defineCommand({
  register(program: Command): void {
    const command = program
      .command('ls')
      .description('List the images table, in key order (local stack, or a deployed stack with --aws)')
      .option('--status <status>', `only rows with this status (${ROW_STATUSES.join(', ')})`)
      .option('--prefix <prefix>', 'only keys that start with this')
      .option('--limit <n>', 'show at most n rows', positiveInt('--limit'))
      .option('--json', 'print one JSON line per row (the row as stored)');
    usageExits(withTargetOptions(command)).action(run);
  },
});
