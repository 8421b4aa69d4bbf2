import { scheduledEvent } from '@imgpipe/core';
import type { Command } from 'commander';
import { defineCommand } from '../command';
import { invokeSync } from '../stack/aws-lambda';
import { usageExits } from '../stack/command-kit';
import { StackRequestError } from '../stack/errors';
import { reconcileLine } from '../stack/format';
import { type ReconcileReport, ReconcileReportSchema } from '@imgpipe/contracts';
import { runStackCommand } from '../stack/session';
import { requireName, type TargetFlags, withTargetOptions } from '../stack/target';

interface ReconcileFlags extends TargetFlags {
  readonly json?: boolean;
}

async function run(flags: ReconcileFlags): Promise<void> {
  await runStackCommand(flags, async (session) => {
    let report: ReconcileReport;
    if (session.api) {
      report = await session.api.reconcile();
    } else {
      const fn = requireName(session.target, 'reconcileFunction');
      const answer = await invokeSync(
        session.clients.lambda,
        fn,
        // What EventBridge sends reconcile on its schedule: "reconcile now" sends the same.
        scheduledEvent({ region: session.target.region ?? 'us-east-1' }),
      );
      const parsed = ReconcileReportSchema.safeParse(answer);
      if (!parsed.success)
        throw new StackRequestError(
          'API_MISMATCH',
          `${fn} answered something that is not a reconcile report: ${JSON.stringify(answer).slice(0, 200)}`,
        );
      report = parsed.data;
    }
    process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${reconcileLine(report)}\n`);
  });
}

export default defineCommand({
  register(program: Command): void {
    const command = program
      .command('reconcile')
      .description(
        'Run reconcile now (repairs drift between bucket, table and variants) and print its report',
      )
      .option('--json', 'print the report as one JSON object');
    usageExits(withTargetOptions(command)).action(run);
  },
});
