import { objectCreatedEvent, objectCreatedRecord, scheduledEvent, type Outcome } from '@imgpipe/core';
import {
  createObservability,
  objectEventHandler,
  scheduledEventHandler,
  TransientBatchError,
  type FunctionRuntime,
  type LambdaContext,
} from '../src';

const context: LambdaContext = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60_000 };

/** A runtime with real Powertools logger and metrics; the use cases under test never touch the ports. */
function runtime(): FunctionRuntime {
  return { ...createObservability('test'), deps: {} as never, control: {} as never };
}

function created(key: string, sequencer: string) {
  return objectCreatedEvent({ bucket: 'imgpipe-source', key, size: 1, etag: 'e', sequencer });
}

beforeAll(() => {
  process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
});

describe('scheduledEventHandler', () => {
  it("runs the job on a Scheduled Event and answers the job's report", async () => {
    const seen: string[] = [];
    const handler = scheduledEventHandler(
      async (_runtime, ctx, event) => {
        seen.push(`${ctx.awsRequestId} ${event['detail-type']}`);
        return { scanned: 3 };
      },
      runtime,
      { message: 'Test report', count: () => undefined },
    );
    expect(await handler(scheduledEvent({ rule: 'imgpipe-reconcile' }), context)).toEqual({ scanned: 3 });
    expect(seen).toEqual(['req-1 Scheduled Event']);
  });

  it('refuses any other event with INVALID_EVENT, without running the job', async () => {
    const job = jest.fn(async () => ({ scanned: 0 }));
    const handler = scheduledEventHandler(job, runtime, { message: 'Test report', count: () => undefined });
    const answer = await handler(created('a.jpg', '01'), context);
    expect(answer).toEqual({
      rejected: {
        code: 'INVALID_EVENT',
        message: expect.stringMatching(/Expected an EventBridge Scheduled Event/),
      },
    });
    expect(job).not.toHaveBeenCalled();
  });
});

describe('objectEventHandler', () => {
  it('rethrows the one transient failure of a batch as it is', async () => {
    const boom = Object.assign(new Error('slow down'), { name: 'SlowDown' });
    const handler = objectEventHandler(async () => {
      throw boom;
    }, runtime);
    await expect(handler(created('a.jpg', '01'), context)).rejects.toBe(boom);
  });

  it('throws a retryable TransientBatchError when several events of a batch fail transiently', async () => {
    expect.assertions(3);
    const failures = [new Error('one'), new Error('two')];
    let call = 0;
    const handler = objectEventHandler(async (): Promise<Outcome> => {
      throw failures[call++];
    }, runtime);
    const batch = {
      Records: [1, 2].map((n) =>
        objectCreatedRecord({
          bucket: 'imgpipe-source',
          key: `k${n}.jpg`,
          size: 1,
          etag: 'e',
          sequencer: `0${n}`,
        }),
      ),
    };
    try {
      await handler(batch, context);
    } catch (err) {
      expect(err).toBeInstanceOf(TransientBatchError);
      expect((err as TransientBatchError).errors).toEqual(failures);
      expect((err as TransientBatchError).retryable).toBe(true);
    }
  });
});
