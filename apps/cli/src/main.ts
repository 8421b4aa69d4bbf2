import { Command } from 'commander';
import commands from 'imgpipe:commands';

/** The `imgpipe` program with every command of `src/commands/`. */
export function createProgram(): Command {
  const program = new Command('imgpipe')
    .description('imgpipe: try the image pipeline on local files, or drive the local stack / AWS')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  for (const command of commands) command.register(program);
  return program;
}

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`imgpipe: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
