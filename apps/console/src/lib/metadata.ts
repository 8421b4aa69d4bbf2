import { RowMetadataSchema, type RowMetadata } from '@imgpipe/contracts';
import { isHexColour } from './format';

/**
 * The image API hands an image's metadata over as an open record (`metadata`); the console reads the
 * fields it knows with the row metadata schema and ignores what it does not.
 * @example metadataOf({ dominantColor: '#336699', pages: 'x' }) // undefined (pages must be a number)
 */
export function metadataOf(metadata: Readonly<Record<string, unknown>> | null): RowMetadata | undefined {
  if (metadata === null) return undefined;
  const parsed = RowMetadataSchema.safeParse(metadata);
  return parsed.success ? parsed.data : undefined;
}

/** The dominant colour (`#rrggbb`) to paint before the thumbnail loads, when the metadata has one. */
export function dominantColourOf(metadata: Readonly<Record<string, unknown>> | null): string | undefined {
  const colour = metadata?.['dominantColor'];
  return typeof colour === 'string' && isHexColour(colour) ? colour : undefined;
}
