import { type Command, InvalidArgumentError } from 'commander';

/** Exit status of a command line that cannot be run as written. */
export const USAGE_EXIT = 2;

/**
 * Makes commander's own usage errors (unknown option, missing argument) exit 2, like ours; help
 * and version still exit 0.
 */
export function usageExits(command: Command): Command {
  return command.exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : USAGE_EXIT);
  });
}

/** Collects a repeatable option into a list (`--id a --id b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parses a positive integer option, or throws commander's usage error. */
export function positiveInt(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new InvalidArgumentError(`Expected a positive integer for ${what} but received "${value}"`);
    return n;
  };
}
