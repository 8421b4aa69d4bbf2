import type { Command } from 'commander';
import { defineCommand } from '../command';
import { usageExits } from '../stack/command-kit';
import { NotFoundError } from '../stack/errors';
import { rowDetail } from '../stack/format';
import { runStackCommand } from '../stack/session';
import { type TargetFlags, withTargetOptions } from '../stack/target';

interface ShowFlags extends TargetFlags {
  readonly json?: boolean;
}

/** Path-style URL of a variant on the local edge (the console fetches them the same way). */
function localVariantUrl(endpoint: string, bucket: string): (key: string) => string {
  return (key) => `${endpoint}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

async function run(key: string, flags: ShowFlags): Promise<void> {
  await runStackCommand(flags, async ({ rows, target }) => {
    const row = await rows.get(key);
    if (!row)
      throw new NotFoundError(
        `no row for key "${key}" (is it uploaded to the source bucket? try: imgpipe ls --prefix ...)`,
      );
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(row)}\n`);
      return;
    }
    const url =
      target.kind === 'local' ? localVariantUrl(target.endpoint, target.names.derivedBucket) : undefined;
    process.stdout.write(`${rowDetail(row, url)}\n`);
  });
}

export default defineCommand({
  register(program: Command): void {
    const command = program
      .command('show')
      .description("Show one image's row and its variants")
      .argument('<key>', 'the source key, e.g. photos/cat.jpg')
      .option('--json', 'print the row as stored, as one JSON object');
    usageExits(withTargetOptions(command)).action(run);
  },
});
