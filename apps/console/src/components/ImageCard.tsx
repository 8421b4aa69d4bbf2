import type { Image } from '@imgpipe/contracts';
import { baseName, formatBytes, formatDimensions } from '../lib/format';
import { thumbVariant } from '../lib/gallery';
import { dominantColourOf } from '../lib/metadata';
import { StatusBadge } from './Status';
import { Thumb } from './Thumb';

/**
 * One image in the grid: its thumbnail from the CDN URL the API handed out, over its placeholder, then
 * name, status, size, and the error code of a failed one.
 */
export function ImageCard(props: { image: Image; onOpen: () => void }): preact.JSX.Element {
  const { image } = props;
  const thumb = thumbVariant(image.variants);
  return (
    <article
      class="card"
      data-key={image.key}
      data-id={image.id}
      data-status={image.status}
      aria-label={image.key}
    >
      <Thumb
        src={thumb?.url}
        alt={`Thumbnail of ${image.key}`}
        placeholder={image.placeholder ?? undefined}
        dominantColor={dominantColourOf(image.metadata)}
        width={thumb?.width}
        height={thumb?.height}
      />
      <div class="card-body">
        <h3 class="key" title={image.key}>
          <button type="button" class="link" onClick={props.onOpen} aria-label={`Details of ${image.key}`}>
            {baseName(image.key)}
          </button>
        </h3>
        <p class="facts">
          <StatusBadge status={image.status} />
          {image.width !== null ? (
            <span class="dims">{formatDimensions(image.width, image.height ?? undefined)}</span>
          ) : null}
          {image.format ? <span class="format">{image.format}</span> : null}
          <span class="bytes">{formatBytes(image.bytes ?? undefined)}</span>
        </p>
        {image.error ? (
          <p class="error-code" title={image.error.message}>
            <code>{image.error.code}</code>
            {image.error.message ? <span class="error-message"> {image.error.message}</span> : null}
          </p>
        ) : null}
      </div>
    </article>
  );
}
