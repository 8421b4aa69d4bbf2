import type { Row } from '@imgpipe/contracts';
import { baseName, formatBytes, formatDimensions } from '../lib/format';
import { thumbVariant } from '../lib/gallery';
import { useConsole } from './context';
import { StatusBadge } from './Status';
import { Thumb } from './Thumb';

/** One source image in the grid: thumbnail over its placeholder, key, status, size, and the error code. */
export function ImageCard(props: { row: Row; onOpen: () => void }): preact.JSX.Element {
  const { client } = useConsole();
  const { row } = props;
  const thumb = thumbVariant(row.variants);
  const metadata = row.metadata;
  return (
    <article class="card" data-key={row.objectKey} data-status={row.status} aria-label={row.objectKey}>
      <Thumb
        src={thumb ? client.derivedUrl(thumb.key) : undefined}
        alt={`Thumbnail of ${row.objectKey}`}
        placeholder={metadata?.placeholder}
        dominantColor={metadata?.dominantColor}
        width={thumb?.width}
        height={thumb?.height}
      />
      <div class="card-body">
        <h3 class="key" title={row.objectKey}>
          <button
            type="button"
            class="link"
            onClick={props.onOpen}
            aria-label={`Details of ${row.objectKey}`}
          >
            {baseName(row.objectKey)}
          </button>
        </h3>
        <p class="facts">
          <StatusBadge status={row.status} />
          {row.width !== undefined ? (
            <span class="dims">{formatDimensions(row.width, row.height)}</span>
          ) : null}
          {row.format ? <span class="format">{row.format}</span> : null}
          <span class="bytes">{formatBytes(row.bytes)}</span>
        </p>
        {row.error ? (
          <p class="error-code" title={row.error.message}>
            <code>{row.error.code}</code>
            {row.error.message ? <span class="error-message"> {row.error.message}</span> : null}
          </p>
        ) : null}
      </div>
    </article>
  );
}
