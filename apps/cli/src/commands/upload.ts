import { createReadStream } from 'node:fs';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { defineCommand } from '../command';
import { positiveInt, usageExits } from '../stack/command-kit';
import { describeError, fromAwsError } from '../stack/errors';
import { columns, humanBytes } from '../stack/format';
import { createProgress } from '../stack/progress';
import type { Row } from '@imgpipe/contracts';
import { runStackCommand } from '../stack/session';
import { requireName, type Target, type TargetFlags, withTargetOptions } from '../stack/target';
import { sniffContentType, type UploadItem, uploadItems } from '../stack/upload-files';
import { waitForRow } from '../stack/wait-rows';

interface UploadFlags extends TargetFlags {
  readonly prefix?: string;
  readonly json?: boolean;
  readonly wait?: boolean;
  readonly timeout: number;
}

interface Uploaded {
  readonly file: string;
  readonly key: string;
  readonly bucket: string;
  readonly bytes: number;
  readonly contentType: string;
  readonly etag: string;
  status?: string;
  error?: { code: string; message: string };
  variants?: Row['variants'];
}

/** Files sent at once; lib-storage also splits each big file into parallel parts. */
const FILES_AT_ONCE = 4;

function sourceBucket(target: Target): string {
  return target.kind === 'local' ? target.names.sourceBucket : requireName(target, 'sourceBucket');
}

async function send(s3: S3Client, bucket: string, item: UploadItem): Promise<Uploaded> {
  const contentType = await sniffContentType(item.file);
  try {
    const out = await new Upload({
      client: s3,
      params: {
        Bucket: bucket,
        Key: item.key,
        Body: createReadStream(item.file),
        ContentType: contentType,
        ContentLength: item.bytes,
      },
    }).done();
    return {
      file: item.file,
      key: item.key,
      bucket,
      bytes: item.bytes,
      contentType,
      etag: (out.ETag ?? '').replace(/"/g, ''),
    };
  } catch (error) {
    throw fromAwsError(error, `uploading ${item.file} to s3://${bucket}/${item.key}`);
  }
}

function outcomeTable(uploaded: readonly Uploaded[], waited: boolean): string {
  return columns(
    waited ? ['FILE', 'KEY', 'BYTES', 'STATUS', 'VARIANTS / ERROR'] : ['FILE', 'KEY', 'BYTES'],
    uploaded.map((u) =>
      waited
        ? [
            u.file,
            u.key,
            humanBytes(u.bytes),
            u.status ?? '',
            u.error
              ? `${u.error.code}: ${u.error.message}`
              : (u.variants ?? []).map((v) => `${v.name} ${v.width}x${v.height}`).join(', '),
          ]
        : [u.file, u.key, humanBytes(u.bytes)],
    ),
  );
}

async function run(paths: string[], flags: UploadFlags): Promise<void> {
  await runStackCommand(flags, async ({ target, clients, rows }) => {
    const bucket = sourceBucket(target);
    const items = await uploadItems(paths, flags.prefix ?? '');
    const progress = createProgress('upload');
    progress.start(items.length);
    const uploaded: Uploaded[] = new Array<Uploaded>(items.length);
    let next = 0;
    try {
      await Promise.all(
        Array.from({ length: Math.min(FILES_AT_ONCE, items.length) }, async () => {
          for (let i = next++; i < items.length; i = next++) {
            const item = items[i] as UploadItem;
            uploaded[i] = await send(clients.s3, bucket, item);
            progress.increment(item.key);
          }
        }),
      );
    } finally {
      progress.stop();
    }
    let waitError: unknown;
    if (flags.wait) {
      const deadline = Date.now() + flags.timeout * 1000;
      for (const u of uploaded) {
        try {
          const row = await waitForRow(rows, u.key, u.etag, deadline);
          u.status = row.status;
          if (row.error) u.error = row.error;
          if (row.variants) u.variants = row.variants;
        } catch (error) {
          u.status = 'waiting';
          waitError ??= error;
        }
      }
    }
    if (flags.json) for (const u of uploaded) process.stdout.write(`${JSON.stringify(u)}\n`);
    else process.stdout.write(`${outcomeTable(uploaded, Boolean(flags.wait))}\n`);
    // A failed row (CORRUPT_IMAGE, ...) is the pipeline's answer, not a failure of this command.
    if (waitError) {
      const { message, code } = describeError(waitError);
      process.stderr.write(`imgpipe: ${message} [${code}]\n`);
      process.exitCode = 1;
    }
  });
}

export default defineCommand({
  register(program: Command): void {
    const command = program
      .command('upload')
      .description('Upload images (files or folders) to the source bucket; the pipeline takes it from there')
      .argument('<path...>', 'files, or folders to upload recursively')
      .option('--prefix <prefix>', 'put keys under this prefix, e.g. photos/', '')
      .option('--wait', 'wait until each row is final (ready or failed) and print the outcome')
      .option('--timeout <seconds>', 'with --wait: give up after this long', positiveInt('--timeout'), 120)
      .option(
        '--json',
        'print one JSON line per file: {file, key, bucket, bytes, contentType, etag[, status, error, variants]}',
      )
      .addHelpText(
        'after',
        "\nA file is uploaded as <prefix><file name>; a folder's files as <prefix><path inside the folder>.\n" +
          'Content-Type comes from the bytes, not the name. With --wait the exit status is 0 when every row\n' +
          'is final, including failed ones (e.g. CORRUPT_IMAGE: an answer), and 1 on timeout.',
      );
    usageExits(withTargetOptions(command)).action(run);
  },
});
