import type { Image } from '@imgpipe/contracts';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { formatBytes, formatCamera, formatDimensions, isHexColour } from '../lib/format';
import { metadataOf } from '../lib/metadata';
import { publishImage, useConsole } from './context';
import { StatusBadge } from './Status';
import { Thumb } from './Thumb';

/**
 * A modal dialog with everything the API says about one image: variants (with their CDN URLs), metadata,
 * the EXIF subset, colour and error. Opening it asks `GET /v1/images/{id}` for the freshest copy.
 */
export function ImageDetail(props: { image: Image; onClose: () => void }): preact.JSX.Element {
  const { images, bus } = useConsole();
  const ref = useRef<HTMLDialogElement>(null);
  const { image } = props;
  const m = metadataOf(image.metadata);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  useEffect(() => {
    images
      .image(image.id)
      .then((fresh) => publishImage(bus, fresh))
      .catch(() => undefined);
  }, [images, bus, image.id]);

  const preview = image.variants.find((v) => v.name === 'small') ?? image.variants[0];
  const camera = formatCamera(m?.exif);
  const facts: [string, ComponentChildren][] = [
    ['Status', <StatusBadge status={image.status} />],
    ['Dimensions', formatDimensions(image.width ?? undefined, image.height ?? undefined)],
    ['Format', image.format ?? '—'],
    ['Size', formatBytes(image.bytes ?? undefined)],
    ['Key', <code>{image.key}</code>],
    ['Id', <code>{image.id}</code>],
    ['Updated', image.updatedAt ?? '—'],
  ];
  if (m) {
    if (m.orientation !== undefined) facts.push(['Orientation', String(m.orientation)]);
    if (m.colorSpace)
      facts.push(['Colour space', `${m.colorSpace}${m.bitDepth ? `, ${m.bitDepth}-bit` : ''}`]);
    if (m.hasAlpha !== undefined) facts.push(['Alpha', m.hasAlpha ? 'yes' : 'no']);
    if (m.progressive !== undefined) facts.push(['Progressive', m.progressive ? 'yes' : 'no']);
    if (m.pages !== undefined && m.pages > 1) facts.push(['Pages', String(m.pages)]);
    if (m.iccDescription) facts.push(['ICC profile', m.iccDescription]);
    if (isHexColour(m.dominantColor)) {
      facts.push([
        'Dominant colour',
        <span>
          <span class="swatch" style={{ backgroundColor: m.dominantColor }} aria-hidden="true" />{' '}
          <code>{m.dominantColor}</code>
        </span>,
      ]);
    }
    if (camera) facts.push(['Camera', camera]);
    if (m.exif?.lens) facts.push(['Lens', m.exif.lens]);
    if (m.exif?.takenAt) facts.push(['Taken', m.exif.takenAt]);
    if (m.gps) facts.push(['Position', `${m.gps.latitude.toFixed(5)}, ${m.gps.longitude.toFixed(5)}`]);
  }

  return (
    <dialog ref={ref} class="detail" aria-labelledby="detail-title" onClose={props.onClose}>
      <header>
        <h2 id="detail-title">{image.key}</h2>
        <button type="button" onClick={() => ref.current?.close()} aria-label="Close details">
          Close
        </button>
      </header>
      <div class="detail-body">
        <Thumb
          class="preview"
          src={preview?.url}
          alt={`Preview of ${image.key}`}
          placeholder={image.placeholder ?? undefined}
          dominantColor={m?.dominantColor}
          width={preview?.width}
          height={preview?.height}
        />
        <dl class="facts-list" data-testid="detail-metadata">
          {facts.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </div>
      {image.error ? (
        <p class="error" role="note">
          <strong>
            <code>{image.error.code}</code>
          </strong>{' '}
          {image.error.message}
        </p>
      ) : null}
      {image.variants.length > 0 ? (
        <table class="variants">
          <caption>Variants</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Format</th>
              <th scope="col">Dimensions</th>
              <th scope="col">Size</th>
              <th scope="col">CDN URL</th>
            </tr>
          </thead>
          <tbody>
            {image.variants.map((v) => (
              <tr key={v.name}>
                <th scope="row">{v.name}</th>
                <td>{v.format}</td>
                <td>{formatDimensions(v.width, v.height)}</td>
                <td>{formatBytes(v.bytes)}</td>
                <td>
                  <a href={v.url} target="_blank" rel="noreferrer">
                    {new URL(v.url, globalThis.location?.href).pathname}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </dialog>
  );
}
