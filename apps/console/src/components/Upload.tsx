import { useEffect, useRef, useState } from 'preact/hooks';
import type { NamedBlob } from '../api/image-api';
import { formatBytes } from '../lib/format';
import { keyOfRowEvent } from '../lib/gallery';
import {
  SETTLED,
  awaitingPipeline,
  isFresher,
  mergeUploadItems,
  percentSent,
  runUploads,
  type PipelineState,
  type UploadItem,
} from '../lib/uploads';
import { onImage, publishImage, subscribe, useConsole } from './context';
import { StatusBadge } from './Status';

const STATE_TEXT: Record<UploadItem['state'], string> = {
  queued: 'queued',
  requesting: 'asking the API…',
  sending: 'uploading',
  uploaded: 'uploaded',
  failed: 'refused',
};

/** How often an upload's status is asked for while the pipeline works on it (the stream only hints). */
const FOLLOW_MS = 1500;

/**
 * Drag-and-drop or pick files; each goes through the image API (`POST /v1/uploads`, then the presigned form
 * POST to the storage) with its progress, then its pipeline status is followed through `GET /v1/images/{id}`
 * (polled, and asked at once when the live stream mentions its key). Refusals show the API's or the
 * storage's code and message.
 */
export function Upload(): preact.JSX.Element {
  const { images, bus, announce } = useConsole();
  const [dragging, setDragging] = useState(false);
  const [folder, setFolder] = useState<string | undefined>(undefined);
  const [uploads, setUploads] = useState<readonly UploadItem[]>([]);
  const [pipeline, setPipeline] = useState<Record<string, PipelineState>>({});
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    images
      .folder()
      .then(setFolder)
      .catch(() => setFolder(undefined));
  }, [images]);

  const start = (files: readonly NamedBlob[]): void => {
    if (files.length === 0) return;
    announce(`Uploading ${files.length} file${files.length === 1 ? '' : 's'}`);
    void runUploads(
      files,
      async (file, onProgress) => images.upload(file, onProgress),
      (batch) => setUploads((shown) => mergeUploadItems(shown, batch)),
    ).then((done) => {
      const failed = done.filter((u) => u.state === 'failed').length;
      announce(`Uploaded ${done.length - failed} of ${done.length}${failed ? `; ${failed} refused` : ''}`);
    });
  };

  // Whatever the API answers about an uploaded image (here or in the gallery) updates its line.
  const pipelineRef = useRef(pipeline);
  pipelineRef.current = pipeline;
  useEffect(
    () =>
      onImage(bus, (image) => {
        const item = uploads.find((u) => u.imageId === image.id);
        const current = pipelineRef.current[image.id];
        const next: PipelineState = { status: image.status, updatedAt: image.updatedAt };
        if (!item || !isFresher(current, next)) return;
        if (current?.status === next.status && current.updatedAt === next.updatedAt) return;
        pipelineRef.current = { ...pipelineRef.current, [image.id]: next };
        setPipeline(pipelineRef.current);
        if (SETTLED.has(next.status) && current?.status !== next.status)
          announce(`${item.name} is ${next.status}`);
      }),
    [uploads, bus, announce],
  );

  // Follow what the pipeline makes of each uploaded file, through the API.
  useEffect(() => {
    const waiting = awaitingPipeline(uploads, pipeline);
    if (waiting.length === 0) return undefined;
    let stopped = false;
    const ask = (item: UploadItem): void => {
      if (!item.imageId) return;
      images
        .image(item.imageId)
        .then((image) => {
          if (!stopped) publishImage(bus, image);
        })
        // A miss (the stack restarting, a 5xx) is asked again on the next tick.
        .catch(() => undefined);
    };
    const off = subscribe(bus, ['row'], (event) => {
      const key = keyOfRowEvent(event?.data);
      const item = waiting.find((u) => u.key === key);
      if (item) ask(item);
    });
    const timer = setInterval(() => waiting.forEach(ask), FOLLOW_MS);
    return () => {
      stopped = true;
      off();
      clearInterval(timer);
    };
  }, [uploads, pipeline, bus, images]);

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
        <p class="muted" data-testid="upload-folder">
          Through the image API, into {folder ? <code>{folder}</code> : 'your folder'}
        </p>
      </div>
      {uploads.length > 0 ? (
        <ul class="uploads" aria-label="Uploads">
          {uploads.map((u) => {
            const status = u.imageId ? pipeline[u.imageId]?.status : undefined;
            return (
              <li key={u.id} data-name={u.name} data-key={u.key} data-state={u.state}>
                <span class="key">{u.key ?? u.name}</span> <span class="muted">{formatBytes(u.bytes)}</span>{' '}
                <span class="upload-state">{STATE_TEXT[u.state]}</span>
                {u.state === 'requesting' || u.state === 'sending' ? (
                  <>
                    {' '}
                    <progress max={100} value={percentSent(u)} aria-label={`Upload of ${u.name}`} />
                  </>
                ) : null}
                {status ? (
                  <>
                    {' → '}
                    <StatusBadge status={status} />
                  </>
                ) : u.state === 'uploaded' ? (
                  <span class="muted"> → waiting for the pipeline…</span>
                ) : null}
                {u.error ? (
                  <span class="error" role="note">
                    {' '}
                    <code class="error-code">{u.error.code}</code>{' '}
                    <span class="error-message">{u.error.message}</span>
                  </span>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
