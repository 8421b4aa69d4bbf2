import type { Command } from 'commander';

/**
 * One sub-command of `imgpipe`. Each file in `src/commands/` default-exports one; the build
 * collects them all, so a new command is a new file and nothing else.
 */
export interface CliCommand {
  /** Adds the sub-command (its options, help and action) to the program. */
  register(program: Command): void;
}

/** Identity helper that gives a command file its type. */
export function defineCommand(command: CliCommand): CliCommand {
  return command;
}
