import { useEffect, useRef, useState } from 'preact/hooks';
import { RowSchema } from '@imgpipe/contracts';
import { formatBytes } from '../lib/format';
import { mergeUploadItems, runUploads, type NamedBlob, type UploadItem } from '../lib/uploads';
import { subscribe, useConsole } from './context';
import { StatusBadge } from './Status';

const TERMINAL = new Set(['ready', 'failed', 'deleted']);

/**
 * Drag-and-drop or pick files; each goes straight to the source bucket, then its pipeline status is followed
 * (live `row` events, and a poll of the row until it settles).
 */
export function Upload(): preact.JSX.Element {
  const { client, bus, announce } = useConsole();
  const [prefix, setPrefix] = useState('');
  const [dragging, setDragging] = useState(false);
  const [uploads, setUploads] = useState<readonly UploadItem[]>([]);
  const [pipeline, setPipeline] = useState<Record<string, string>>({});
  const inputRef = useRef<HTMLInputElement>(null);

  const start = (files: readonly NamedBlob[]): void => {
    if (files.length === 0) return;
    announce(`Uploading ${files.length} file${files.length === 1 ? '' : 's'}`);
    void runUploads(
      files,
      prefix,
      (key, file) => client.upload(key, file),
      (batch) => setUploads((shown) => mergeUploadItems(shown, batch)),
    ).then((done) => {
      const failed = done.filter((u) => u.state === 'failed').length;
      announce(`Uploaded ${done.length - failed} of ${done.length}${failed ? `; ${failed} failed` : ''}`);
    });
  };

  // Follow what the pipeline makes of each uploaded key.
  useEffect(() => {
    const waiting = uploads.filter((u) => u.state === 'uploaded' && !TERMINAL.has(pipeline[u.key] ?? ''));
    if (waiting.length === 0) return undefined;
    const keys = new Set(waiting.map((u) => u.key));
    const set = (key: string, status: string): void => {
      setPipeline((p) => (p[key] === status ? p : { ...p, [key]: status }));
      if (TERMINAL.has(status)) announce(`${key} is ${status}`);
    };
    const off = subscribe(bus, ['row'], (event) => {
      const row = RowSchema.safeParse(event?.data);
      if (row.success && keys.has(row.data.objectKey)) set(row.data.objectKey, row.data.status);
    });
    const timer = setInterval(() => {
      for (const key of keys) {
        client
          .getImage(key)
          .then((row) => row && set(key, row.status))
          .catch(() => undefined);
      }
    }, 1500);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [uploads, pipeline, bus, client, announce]);

  const onDrop = (event: DragEvent): void => {
    event.preventDefault();
    setDragging(false);
    start(Array.from(event.dataTransfer?.files ?? []));
  };

  return (
    <section class="upload" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload</h2>
      <div
        class={`dropzone${dragging ? ' dragging' : ''}`}
        data-testid="dropzone"
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop images here, or</p>
        <button type="button" onClick={() => inputRef.current?.click()}>
          Choose files…
        </button>
        <input
          ref={inputRef}
          id="file-input"
          class="sr-only"
          type="file"
          multiple
          aria-label="Files to upload"
          tabIndex={-1}
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            start(Array.from(input.files ?? []));
            input.value = '';
          }}
        />
        <label class="prefix">
          Key prefix for uploads
          <input
            type="text"
            name="upload-prefix"
            placeholder="optional, e.g. photos/"
            value={prefix}
            onInput={(e) => setPrefix((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
      </div>
      {uploads.length > 0 ? (
        <ul class="uploads" aria-label="Uploads">
          {uploads.map((u) => (
            <li key={u.key} data-key={u.key} data-state={u.state}>
              <span class="key">{u.key}</span> <span class="muted">{formatBytes(u.bytes)}</span>{' '}
              <span class="upload-state">{u.state}</span>
              {pipeline[u.key] ? (
                <>
                  {' → '}
                  <StatusBadge status={pipeline[u.key] ?? ''} />
                </>
              ) : u.state === 'uploaded' ? (
                <span class="muted"> → waiting for the pipeline…</span>
              ) : null}
              {u.error ? <span class="error"> {u.error}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
