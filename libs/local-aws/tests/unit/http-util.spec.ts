import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { readBody, readBodyWithin } from '../../src/edge/http-util';

describe('readBodyWithin', () => {
  it('gives every chunk in order, as one Buffer (strings too)', async () => {
    const stream = Readable.from([Buffer.from('ab'), 'cd', Buffer.from('é')], { objectMode: true });
    const body = await readBodyWithin(stream, 100);
    expect(body?.toString('utf8')).toBe('abcdé');
  });

  it('gives an empty Buffer for an empty stream and for one already ended', async () => {
    expect(await readBodyWithin(Readable.from([]), 10)).toEqual(Buffer.alloc(0));
    const ended = Readable.from([Buffer.from('x')]);
    ended.resume();
    await new Promise((r) => ended.once('end', r));
    expect(await readBodyWithin(ended, 10)).toEqual(Buffer.alloc(0));
  });

  it('gives up past the limit: undefined, the stream destroyed, the rest unread', async () => {
    const stream = new PassThrough();
    const body = readBodyWithin(stream, 4);
    stream.write(Buffer.from('abc'));
    stream.write(Buffer.from('de'));
    expect(await body).toBeUndefined();
    expect(stream.destroyed).toBe(true);
    expect(stream.listenerCount('data')).toBe(0);
  });

  it('accepts a body of exactly the limit', async () => {
    const body = await readBodyWithin(Readable.from([Buffer.from('abcd')]), 4);
    expect(body?.toString()).toBe('abcd');
  });

  it("rejects with the stream's error, and on a close before the end", async () => {
    const failing = new PassThrough();
    const failed = readBodyWithin(failing, 100);
    failing.write('a');
    failing.destroy(new Error('boom'));
    await expect(failed).rejects.toThrow('boom');

    const cut = new PassThrough();
    const closed = readBodyWithin(cut, 100);
    cut.write('a');
    cut.destroy();
    await expect(closed).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    await expect(readBodyWithin(cut, 100)).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('reads a request body over the wire, and readBody throws past its limit', async () => {
    const seen: Array<string | undefined> = [];
    const server: Server = createServer((req, res) => {
      const limit = Number(req.headers['x-limit']);
      readBodyWithin(req, limit).then(
        (body) => {
          seen.push(body?.toString('utf8'));
          res.end(body === undefined ? 'too large' : 'ok');
        },
        () => res.destroy(),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const send = (limit: number, body: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const req = request(
          { port, host: '127.0.0.1', method: 'POST', headers: { 'x-limit': limit } },
          (res) => readBody(res).then((b) => resolve(b.toString()), reject),
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      expect(await send(1000, 'x'.repeat(200_000).slice(0, 900))).toBe('ok');
      expect(await send(10, 'hello')).toBe('ok');
      await send(10, 'x'.repeat(100_000)).catch(() => 'reset');
      expect(seen).toEqual(['x'.repeat(900), 'hello', undefined]);
      await expect(readBody(Readable.from([Buffer.alloc(11)]), 10)).rejects.toThrow(
        'Body larger than 10 bytes',
      );
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
