import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { sniffFormat } from '@imgpipe/image';
import { InputFileError, UsageError } from './errors';

/** One local file and the source key it goes to. */
export interface UploadItem {
  readonly file: string;
  readonly key: string;
  readonly bytes: number;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue; // .DS_Store, .git and friends are never images to publish
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/**
 * The files to upload and their keys: a file goes to `<prefix><base name>`, a folder's files to
 * `<prefix><path inside the folder>` (as `aws s3 cp --recursive` does). Two inputs mapping to the
 * same key are refused before anything is sent.
 * @example await uploadItems(['cat.jpg', 'holiday/'], 'photos/') // cat.jpg → photos/cat.jpg, holiday/a/b.jpg → photos/a/b.jpg
 */
export async function uploadItems(paths: readonly string[], prefix = ''): Promise<UploadItem[]> {
  const items: UploadItem[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (cause) {
      throw new InputFileError(
        `Cannot read "${path}": ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    if (info.isDirectory()) {
      for (const file of await walk(path)) {
        items.push({
          file,
          key: prefix + relative(path, file).split(sep).join('/'),
          bytes: (await stat(file)).size,
        });
      }
    } else {
      items.push({ file: path, key: prefix + basename(path), bytes: info.size });
    }
  }
  const byKey = new Map<string, string>();
  for (const item of items) {
    const other = byKey.get(item.key);
    if (other !== undefined)
      throw new UsageError(
        `"${other}" and "${item.file}" would both be uploaded as "${item.key}"; upload them separately or with --prefix`,
      );
    byKey.set(item.key, item.file);
  }
  return items;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heif: 'image/heif',
  jp2: 'image/jp2',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  bmp: 'image/bmp',
};

/** The Content-Type of a file by its first bytes (the pipeline sniffs again; this is for browsers). */
export async function sniffContentType(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const format = sniffFormat(head.subarray(0, bytesRead));
    return (format && CONTENT_TYPES[format]) ?? 'application/octet-stream';
  } finally {
    await handle.close();
  }
}
