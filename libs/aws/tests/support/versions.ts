import { seqKey, type SourceVersion } from '@imgpipe/core';

let last = 0x100;

/**
 * A new version of `key` in the source bucket, as a writer of the row sees it: each call's sequencer
 * sorts after every earlier one (S3's order), so a later version always wins its conditional writes.
 */
export function nextVersion(key: string): SourceVersion {
  last += 1;
  const sequencer = `00${last.toString(16).toUpperCase().padStart(16, '0')}`;
  return {
    objectKey: key,
    bucket: 'imgpipe-source',
    sequencer,
    seqKey: seqKey(sequencer),
    etag: 'e',
    bytes: 3,
  };
}
