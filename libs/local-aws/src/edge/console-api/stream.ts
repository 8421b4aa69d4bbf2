import type { ServerResponse } from 'node:http';
import type { StreamEventData, StreamEventName } from '@imgpipe/contracts';

export type { StreamEventName };

/** Fans out server-sent events (`StreamEventSchema` in @imgpipe/contracts) to every connected client. */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();

  /** Attaches a client; it stays until it disconnects or the stream closes. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  /** Whether any client is attached (work done only for the stream can be skipped otherwise). */
  get listening(): boolean {
    return this.clients.size > 0;
  }

  emit<E extends StreamEventName>(event: E, data: StreamEventData[E]): void {
    if (this.clients.size === 0) return;
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of this.clients) client.write(frame);
  }

  close(): void {
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}
