import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const WIDTH = 18;

/**
 * Issues S3-style sequencers (18 upper-case hex digits) that strictly increase, also across restarts:
 * the value is the larger of "last issued + 1" and the clock in microseconds-ish units, and the last
 * value is persisted before it is handed out.
 */
export class Sequencer {
  private last: bigint;

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    let stored = 0n;
    try {
      stored = BigInt(`0x${readFileSync(file, 'utf8').trim()}`);
    } catch {
      stored = 0n;
    }
    this.last = stored;
  }

  /** The next sequencer, persisted before it is returned. */
  next(): string {
    const clock = BigInt(this.now()) << 20n;
    this.last = clock > this.last ? clock : this.last + 1n;
    const value = this.last.toString(16).toUpperCase().padStart(WIDTH, '0');
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, value);
    renameSync(tmp, this.file);
    return value;
  }
}
