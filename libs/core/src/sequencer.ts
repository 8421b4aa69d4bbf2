import { InvalidEventError } from './errors';

/** Width of a normalised sequencer: S3 sequencers are at most this many hex digits in practice. */
export const SEQ_KEY_WIDTH = 32;

const HEX = /^[0-9a-fA-F]+$/;

/**
 * Normalises an S3 sequencer for comparison and for DynamoDB conditions: upper-case hex,
 * right-padded with `0` to {@link SEQ_KEY_WIDTH} characters, so plain string order is S3 order.
 * S3 documents the rule: pad the shorter value with zeros on the right, compare as hex text.
 * @example seqKey('0055AED6DCD90281E5') // '0055AED6DCD90281E500000000000000'
 */
export function seqKey(sequencer: string): string {
  if (!HEX.test(sequencer)) {
    throw new InvalidEventError(`Expected a hexadecimal S3 sequencer but received "${sequencer}"`);
  }
  const upper = sequencer.toUpperCase();
  return upper.length >= SEQ_KEY_WIDTH ? upper : upper.padEnd(SEQ_KEY_WIDTH, '0');
}

/**
 * Compares two sequencers of events on the same key: negative when `a` is older, 0 when equal,
 * positive when `a` is newer.
 * @example compareSequencers('0055AED6DCD90281E5', '0055AED6DCD90281E6') < 0 // true
 */
export function compareSequencers(a: string, b: string): number {
  const ka = seqKey(a);
  const kb = seqKey(b);
  const width = Math.max(ka.length, kb.length);
  const pa = ka.padEnd(width, '0');
  const pb = kb.padEnd(width, '0');
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/**
 * The sequencer reconcile uses for an object that has no row: all zeros, which every real event
 * beats (a real sequencer is never zero), so a late event always overwrites reconcile's repair.
 */
export const RECONCILE_BASE_SEQUENCER = '0';

/**
 * A sequencer just after `sequencer`, for repairs reconcile makes on top of a row it finds
 * (a lost event left the row describing an older version, or a tombstone must be laid).
 * Appending digits keeps the shared prefix, so any real later event (greater at an earlier digit)
 * still beats it.
 * @example sequencerAfter('0055AED6DCD90281E5') // '0055AED6DCD90281E501'
 */
export function sequencerAfter(sequencer: string): string {
  const trimmed = seqKey(sequencer).replace(/0+$/, '');
  return `${trimmed.length === 0 ? '0' : trimmed}01`;
}
