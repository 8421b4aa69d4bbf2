import { Presets, SingleBar } from 'cli-progress';

/** Progress of long work: a bar on a terminal, a plain line every few steps otherwise (logs, CI). */
export interface Progress {
  start(total: number): void;
  increment(detail?: string): void;
  stop(): void;
}

/**
 * A progress reporter on stderr (stdout stays for results and `--json`). `tty` decides between the
 * `cli-progress` bar and plain lines; plain lines come every `every` steps and at the end.
 */
export function createProgress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  tty = Boolean(stream.isTTY),
  every = 25,
): Progress {
  if (tty) {
    const bar = new SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} {percentage}% | eta {eta_formatted} | {detail}`,
        hideCursor: true,
        stream,
        clearOnComplete: false,
      },
      Presets.shades_classic,
    );
    return {
      start: (total) => bar.start(total, 0, { detail: '' }),
      increment: (detail) => bar.increment(1, { detail: detail ?? '' }),
      stop: () => bar.stop(),
    };
  }
  let done = 0;
  let total = 0;
  return {
    start: (n) => {
      total = n;
      stream.write(`${label}: ${n} to do\n`);
    },
    increment: () => {
      done += 1;
      if (done % every === 0 || done === total) stream.write(`${label}: ${done}/${total}\n`);
    },
    stop: () => undefined,
  };
}
