import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Row } from '@imgpipe/contracts';
import { formatBytes, formatCamera, formatDimensions, isHexColour } from '../lib/format';
import { useConsole } from './context';
import { StatusBadge } from './Status';
import { Thumb } from './Thumb';

/** A modal dialog with everything the row knows: variants, metadata, EXIF subset, colour and error. */
export function ImageDetail(props: { row: Row; onClose: () => void }): preact.JSX.Element {
  const { client } = useConsole();
  const ref = useRef<HTMLDialogElement>(null);
  const { row } = props;
  const m = row.metadata;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const preview = row.variants?.find((v) => v.name === 'small') ?? row.variants?.[0];
  const camera = formatCamera(m?.exif);
  const facts: [string, ComponentChildren][] = [
    ['Status', <StatusBadge status={row.status} />],
    ['Dimensions', formatDimensions(row.width, row.height)],
    ['Format', row.format ?? '—'],
    ['Size', formatBytes(row.bytes)],
    [
      'Source',
      <a href={client.sourceUrl(row.objectKey)} target="_blank" rel="noreferrer">
        {row.bucket ?? 'source'}/{row.objectKey}
      </a>,
    ],
    ['ETag', row.etag ?? '—'],
    ['Updated', row.updatedAt],
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
        <h2 id="detail-title">{row.objectKey}</h2>
        <button type="button" onClick={() => ref.current?.close()} aria-label="Close details">
          Close
        </button>
      </header>
      <div class="detail-body">
        <Thumb
          class="preview"
          src={preview ? client.derivedUrl(preview.key) : undefined}
          alt={`Preview of ${row.objectKey}`}
          placeholder={m?.placeholder}
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
      {row.error ? (
        <p class="error" role="note">
          <strong>
            <code>{row.error.code}</code>
          </strong>{' '}
          {row.error.message}
        </p>
      ) : null}
      {row.variants && row.variants.length > 0 ? (
        <table class="variants">
          <caption>Variants</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Format</th>
              <th scope="col">Dimensions</th>
              <th scope="col">Size</th>
              <th scope="col">Key</th>
            </tr>
          </thead>
          <tbody>
            {row.variants.map((v) => (
              <tr key={v.name}>
                <th scope="row">{v.name}</th>
                <td>{v.format ?? '—'}</td>
                <td>{formatDimensions(v.width, v.height)}</td>
                <td>{formatBytes(v.bytes)}</td>
                <td>
                  <a href={client.derivedUrl(v.key)} target="_blank" rel="noreferrer">
                    {v.key}
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
