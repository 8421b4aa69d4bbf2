/**
 * V8 hands a function to its optimising compiler (TurboFan, on V8's platform threads) once it has run
 * for an interrupt budget of bytecode (66 KiB by default). This process is I/O glue (HTTP, the S3
 * store, the runtime) plus dynalite, whose PEG expression parser is made of huge functions that
 * TurboFan compiled again and again: in the end-to-end profile those compiles cost ~4 ms CPU per upload
 * of a 150-upload burst, more than the optimised code saved (docs/benchmarks.md, "Fourth pass").
 * Sixteen times the budget leaves only long-running code (listing loops, scans) to be optimised.
 * Process-wide (dynalite's thread included); the function workers are other processes, unaffected.
 */
const INTERRUPT_BUDGET = 16 * 67_584;

/**
 * The flag for the V8 that runs us, or undefined where it does not exist. `--interrupt-budget` is V8
 * 11's (Node 20, where it was measured). V8 12 (Node 22) counts tier-up in invocations instead and
 * rejects the flag, printing `Error: unrecognized flag` on every start, so it keeps its defaults there.
 * @example turbofanBudgetFlag(process.versions.v8) // '--interrupt-budget=1081344' on Node 20
 */
export function turbofanBudgetFlag(v8Version: string): string | undefined {
  const major = Number(v8Version.split('.')[0]);
  return major === 11 ? `--interrupt-budget=${INTERRUPT_BUDGET}` : undefined;
}
