import { useEffect, useState } from 'preact/hooks';
import { ROW_STATUSES } from '@imgpipe/contracts';
import type { GalleryQuery } from '../lib/gallery';

/** Status filter and key-prefix search; the prefix is applied 250 ms after typing stops. */
export function Filters(props: {
  query: GalleryQuery;
  onChange: (query: GalleryQuery) => void;
}): preact.JSX.Element {
  const [prefix, setPrefix] = useState(props.query.prefix);
  useEffect(() => {
    if (prefix === props.query.prefix) return undefined;
    const timer = setTimeout(() => props.onChange({ ...props.query, prefix }), 250);
    return () => clearTimeout(timer);
  }, [prefix, props]);
  return (
    <form class="filters" role="search" aria-label="Filter images" onSubmit={(e) => e.preventDefault()}>
      <label>
        Status
        <select
          name="status"
          value={props.query.status}
          onChange={(e) =>
            props.onChange({ ...props.query, status: (e.currentTarget as HTMLSelectElement).value })
          }
        >
          <option value="">All</option>
          {ROW_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Key prefix
        <input
          type="search"
          name="prefix"
          placeholder="e.g. photos/2024/"
          value={prefix}
          onInput={(e) => setPrefix((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
    </form>
  );
}
