import type { Command } from 'commander';
import { defineCommand } from '../command';
import { listAwsDlq, redriveAwsDlq } from '../stack/aws-dlq';
import { collect, usageExits } from '../stack/command-kit';
import { dlqTable } from '../stack/format';
import type { DlqItem } from '@imgpipe/contracts';
import { runStackCommand } from '../stack/session';
import { requireName, type TargetFlags, withTargetOptions } from '../stack/target';

interface DlqFlags extends TargetFlags {
  readonly json?: boolean;
}

interface RedriveFlags extends DlqFlags {
  readonly id?: string[];
}

async function list(flags: DlqFlags): Promise<void> {
  await runStackCommand(flags, async (session) => {
    const items: DlqItem[] = session.api
      ? await session.api.dlq()
      : await listAwsDlq(session.clients.sqs, requireName(session.target, 'dlqUrl'));
    if (flags.json) for (const item of items) process.stdout.write(`${JSON.stringify(item)}\n`);
    else process.stdout.write(`${dlqTable(items)}\n`);
  });
}

async function redrive(flags: RedriveFlags): Promise<void> {
  await runStackCommand(flags, async (session) => {
    const ids = flags.id && flags.id.length > 0 ? flags.id : undefined;
    const result = session.api
      ? { redriven: await session.api.redrive(ids), failed: [] }
      : await redriveAwsDlq(
          session.clients.sqs,
          session.clients.lambda,
          requireName(session.target, 'dlqUrl'),
          ids,
        );
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify(result.failed.length > 0 ? result : { redriven: result.redriven })}\n`,
      );
    } else {
      process.stdout.write(
        `redriven ${result.redriven} event(s)${ids && result.redriven < ids.length && session.api ? ` (${ids.length - result.redriven} id(s) not in the queue)` : ''}\n`,
      );
      for (const f of result.failed)
        process.stderr.write(`imgpipe: could not redrive ${f.id}: ${f.message} [${f.code}]\n`);
    }
    if (result.failed.length > 0) process.exitCode = 1;
  });
}

export default defineCommand({
  register(program: Command): void {
    const dlq = program.command('dlq').description('The dead-letter queue: events the functions gave up on');
    usageExits(dlq);
    const listCommand = dlq
      .command('list')
      .description('List parked events (nothing is removed)')
      .option(
        '--json',
        'print one JSON line per event: {id, function, event, error: {type, message}, attempts, failedAt}',
      );
    usageExits(withTargetOptions(listCommand)).action(list);
    const redriveCommand = dlq
      .command('redrive')
      .description('Send parked events to their function again (asynchronously, with the original event)')
      .option('--id <id>', 'only this event (repeatable); default: all', collect)
      .option('--json', 'print {"redriven": n} (and "failed" when some could not be sent)');
    usageExits(withTargetOptions(redriveCommand)).action(redrive);
  },
});
