import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const WIDTH = 18;
/** One millisecond of the clock in sequencer units. */
const MS = 1n << 20n;
/**
 * How far ahead of the last issued value the persisted ceiling is set: a minute of clock. The file is
 * then written about once a minute under steady load instead of once per event (a write and a rename
 * on the edge's event loop for every upload, which the end-to-end profile showed).
 */
const RESERVE = 60_000n * MS;

/**
 * Issues S3-style sequencers (18 upper-case hex digits) that strictly increase, also across restarts:
 * the value is the larger of "last issued + 1" and the clock in microseconds-ish units. A ceiling above
 * every value handed out is persisted before any value reaches it, and a restart starts from the stored
 * ceiling, so no value is ever issued twice or out of order (a block is reserved, not each value).
 */
export class Sequencer {
  private last: bigint;
  private ceiling: bigint;

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
    // Whatever was issued before is below the stored ceiling: continue above it.
    this.last = stored;
    this.ceiling = stored;
  }

  /** The next sequencer; the reserved ceiling above it is on disk before it is returned. */
  next(): string {
    const clock = BigInt(this.now()) * MS;
    this.last = clock > this.last ? clock : this.last + 1n;
    if (this.last >= this.ceiling) this.reserve(this.last + RESERVE);
    return this.last.toString(16).toUpperCase().padStart(WIDTH, '0');
  }

  private reserve(ceiling: bigint): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, ceiling.toString(16).toUpperCase().padStart(WIDTH, '0'));
    renameSync(tmp, this.file);
    this.ceiling = ceiling;
  }
}
