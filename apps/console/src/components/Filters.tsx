import { IMAGE_STATUSES, type ImageStatus } from '@imgpipe/contracts';
import { useEffect, useState } from 'preact/hooks';
import type { GalleryQuery } from '../lib/gallery';

/**
 * Status filter and file-name search inside the caller's folder (the API lists only that folder); the name
 * is applied 250 ms after typing stops.
 */
export function Filters(props: {
  query: GalleryQuery;
  folder: string | undefined;
  onChange: (query: GalleryQuery) => void;
}): preact.JSX.Element {
  const [name, setName] = useState(props.query.name);
  useEffect(() => {
    if (name === props.query.name) return undefined;
    const timer = setTimeout(() => props.onChange({ ...props.query, name }), 250);
    return () => clearTimeout(timer);
  }, [name, props]);
  return (
    <form class="filters" role="search" aria-label="Filter images" onSubmit={(e) => e.preventDefault()}>
      <label>
        Status
        <select
          name="status"
          value={props.query.status}
          onChange={(e) =>
            props.onChange({
              ...props.query,
              status: (e.currentTarget as HTMLSelectElement).value as ImageStatus | '',
            })
          }
        >
          <option value="">All but deleted</option>
          {IMAGE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Name starts with
        <input
          type="search"
          name="name"
          placeholder="e.g. IMG_2024"
          value={name}
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      {props.folder ? (
        <p class="muted folder">
          in <code>{props.folder}</code>
        </p>
      ) : null}
    </form>
  );
}
