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
 * A sequencer just after `sequencer`, for repairs reconcile (and backfill) make on top of a row they
 * find (a lost event left the row describing an older version, or a tombstone must be laid).
 *
 * It keeps every digit of `sequencer`, zeros included, pads to the last place of the normalised
 * width and puts a 1 there: greater than `sequencer`, yet smaller than any real later sequencer,
 * which differs from it within the first digits (S3's are about 18 hex digits long). Cutting the
 * trailing zeros instead would beat a real `…100001` after a row at `…100000`.
 * @example sequencerAfter('0055AED6DCD90281E5') // '0055AED6DCD90281E50000000000001' (32 digits)
 */
export function sequencerAfter(sequencer: string): string {
  seqKey(sequencer); // validates: hexadecimal only
  const upper = sequencer.toUpperCase();
  return upper.length < SEQ_KEY_WIDTH ? `${upper.padEnd(SEQ_KEY_WIDTH - 1, '0')}1` : `${upper}1`;
}
