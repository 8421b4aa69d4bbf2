import { LOCAL_TOKEN_DEFAULTS } from '@imgpipe/contracts';
import type { Command } from 'commander';
import { defineCommand } from '../command';
import { usageExits } from '../stack/command-kit';
import { UsageError } from '../stack/errors';
import { runStackCommand } from '../stack/session';
import { type TargetFlags, withTargetOptions } from '../stack/target';

interface TokenFlags extends TargetFlags {
  readonly sub: string;
  readonly scope: string;
  readonly json?: boolean;
}

async function run(flags: TokenFlags): Promise<void> {
  await runStackCommand(flags, async (session) => {
    // A deployment's tokens come from its OpenID provider (Cognito), not from this tool.
    if (!session.api)
      throw new UsageError(
        'token mints local tokens only; a deployed API takes its OpenID provider’s tokens',
      );
    const minted = await session.api.token({ sub: flags.sub, scope: flags.scope });
    process.stdout.write(flags.json ? `${JSON.stringify(minted)}\n` : `${minted.token}\n`);
  });
}

export default defineCommand({
  register(program: Command): void {
    const command = program
      .command('token')
      .description('Print a JWT the local stack’s image API (/_api) accepts, signed by its local issuer')
      .option('--sub <id>', 'the token’s subject (its images live under u/<sub>/)', LOCAL_TOKEN_DEFAULTS.sub)
      .option('--scope <scopes>', 'space-separated scopes', LOCAL_TOKEN_DEFAULTS.scope)
      .option('--json', 'print {token, tokenType, expiresAt, sub, scope} as one JSON object');
    usageExits(withTargetOptions(command)).action(run);
  },
});
