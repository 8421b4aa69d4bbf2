import { DynamoImageTable, S3ObjectStore } from '@imgpipe/aws';
import {
  type ImageRow,
  type Outcome,
  parseObjectEvents,
  readConfig,
  resizeObject,
  type StoredObject,
  syncMetadata,
  type UseCaseDeps,
} from '@imgpipe/core';
import { extractMetadata, renderVariants } from '@imgpipe/image';
import { definePipeline, ENV, functionEnvironment } from '@imgpipe/pipeline';
import pMap from 'p-map';
import { invokeAsync } from './aws-lambda';
import { backfillEvent } from './backfill-plan';
import { fromAwsError } from './errors';
import type { Progress } from './progress';
import type { Session } from './session';
import { requireName } from './target';

/** What one backfill did. */
export interface BackfillReport {
  /** Source objects found. */
  objects: number;
  /** Locally: objects whose variants were rendered again. On AWS: objects whose events Lambda accepted. */
  rendered: number;
  /** Objects the pipeline refused for good (their rows record the code, e.g. CORRUPT_IMAGE). */
  failed: number;
  /** Objects a newer real event overtook while we worked (nothing to do: it renders them). */
  stale: number;
  /** `local` rendered here through the core; `aws` queued asynchronous invocations. */
  mode: 'local' | 'aws';
}

interface Work {
  readonly object: StoredObject;
  readonly row: ImageRow | undefined;
}

const LIST_PAGE = 1000;

/** Every source object (under `prefix`) with its row, read page by page. */
async function collect(
  objects: S3ObjectStore,
  table: DynamoImageTable,
  bucket: string,
  prefix: string | undefined,
): Promise<Work[]> {
  const work: Work[] = [];
  let token: string | undefined;
  do {
    const page = await objects.list(bucket, {
      maxKeys: LIST_PAGE,
      ...(prefix ? { prefix } : {}),
      ...(token ? { continuationToken: token } : {}),
    });
    const rows = await table.batchGet(page.objects.map((o) => o.key));
    for (const object of page.objects) work.push({ object, row: rows.get(object.key) });
    token = page.nextToken;
  } while (token);
  return work;
}

function tally(report: BackfillReport, outcomes: readonly Outcome[]): void {
  if (outcomes.some((o) => o.action === 'failed')) report.failed += 1;
  else if (outcomes.some((o) => o.action === 'stale')) report.stale += 1;
  else if (outcomes.some((o) => o.action === 'applied')) report.rendered += 1;
}

/**
 * Re-renders every source object. Locally it runs the core's use cases in this process through the
 * same adapters the functions use (the local stack has no API to queue events, and this is the
 * same code path); on AWS it queues resize and metadata-sync invocations with synthesized events.
 */
export async function backfill(
  session: Session,
  progress: Progress,
  options: { prefix?: string } = {},
): Promise<BackfillReport> {
  const { target, clients } = session;
  const bucket = target.kind === 'local' ? target.names.sourceBucket : requireName(target, 'sourceBucket');
  const tableName = target.kind === 'local' ? target.names.table : requireName(target, 'table');
  const objects = new S3ObjectStore(clients.s3);
  const table = new DynamoImageTable(clients.dynamo, tableName);
  const region = target.region ?? 'us-east-1';
  const report: BackfillReport = { objects: 0, rendered: 0, failed: 0, stale: 0, mode: target.kind };
  let work: Work[];
  try {
    work = await collect(objects, table, bucket, options.prefix);
  } catch (error) {
    throw fromAwsError(error, `listing s3://${bucket}`);
  }
  report.objects = work.length;
  progress.start(work.length);
  try {
    if (target.kind === 'local') {
      const pipeline = definePipeline();
      const config = readConfig({
        ...functionEnvironment(pipeline, 'resize'),
        [ENV.sourceBucket]: bucket,
        [ENV.derivedBucket]: target.names.derivedBucket,
        [ENV.table]: tableName,
      });
      const deps: UseCaseDeps = { config, objects, table, images: { renderVariants, extractMetadata } };
      // sharp already uses every core for one image; two objects at a time keep the CPU busy while one downloads.
      await pMap(
        work,
        async ({ object, row }) => {
          const [event] = parseObjectEvents(backfillEvent(bucket, object, row, { region }));
          if (event) tally(report, [await syncMetadata(event, deps), await resizeObject(event, deps)]);
          progress.increment(object.key);
        },
        { concurrency: 2 },
      );
    } else {
      const resize = requireName(target, 'resizeFunction');
      const metadata = requireName(target, 'metadataFunction');
      await pMap(
        work,
        async ({ object, row }) => {
          const event = backfillEvent(bucket, object, row, { region });
          await Promise.all([
            invokeAsync(clients.lambda, resize, event),
            invokeAsync(clients.lambda, metadata, event),
          ]);
          report.rendered += 1;
          progress.increment(object.key);
        },
        { concurrency: 8 },
      );
    }
  } finally {
    progress.stop();
  }
  return report;
}
