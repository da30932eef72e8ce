import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ResponseParseError } from '../core/errors.js';
import { createHttpClient } from './http-client.js';
import { readServerSentEvents } from './server-sent-events.js';

/** The text as a body cut into the given chunk sizes (bytes), the rest in one. */
async function* chunked(text: string, ...sizes: number[]): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let start = 0;
  for (const size of sizes) {
    yield bytes.subarray(start, start + size);
    start += size;
  }
  yield bytes.subarray(start);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('readServerSentEvents', () => {
  it('reads events with their type and id, joining multi-line data', async () => {
    const stream = 'event: progress\nid: 7\ndata: {"a":\ndata: 1}\n\ndata: plain\n\n';
    expect(await collect(readServerSentEvents(chunked(stream)))).toEqual([
      { event: 'progress', id: '7', data: '{"a":\n1}' },
      { data: 'plain' },
    ]);
  });

  it('handles CRLF, comments and characters split across chunks', async () => {
    const stream = ': keep-alive\r\n\r\ndata: héllo 🎉\r\n\r\n';
    // "é" is bytes 23-24 and the emoji 29-32: cut after bytes 24 and 31, inside both.
    const events = await collect(readServerSentEvents(chunked(stream, 24, 7)));
    expect(events).toEqual([{ data: 'héllo 🎉' }]);
  });

  it('delivers a last event the server ended without a blank line', async () => {
    const events = await collect(
      readServerSentEvents(chunked('data: one\n\ndata: [DONE]')),
    );
    expect(events.map((event) => event.data)).toEqual(['one', '[DONE]']);
  });

  it('throws a ResponseParseError naming the bound when one event grows too large', async () => {
    async function* endless() {
      yield new TextEncoder().encode('data: start\n');
      for (;;) yield new TextEncoder().encode(`data: ${'x'.repeat(100)}\n`);
    }
    const reading = collect(readServerSentEvents(endless(), { maxEventBytes: 1_000 }));
    await expect(reading).rejects.toBeInstanceOf(ResponseParseError);
    await expect(reading).rejects.toThrow(/1000 characters/);
  });

  it('allows any number of events that each fit the bound', async () => {
    const stream = `data: ${'y'.repeat(50)}\n\n`.repeat(100);
    const events = await collect(
      readServerSentEvents(chunked(stream, 1_000), { maxEventBytes: 100 }),
    );
    expect(events).toHaveLength(100);
  });

  it('reads a stream served over HTTP as the events arrive', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
      // The second event is sent only after the first was read, so reading must not wait for the end.
      server.once('first-read', () => response.end('event: done\ndata: second\n\n'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const http = createHttpClient();
    try {
      const response = await http.request({ url: `http://127.0.0.1:${port}/` });
      const events = [];
      for await (const event of readServerSentEvents(response.body)) {
        events.push(event);
        server.emit('first-read');
      }
      expect(events).toEqual([{ data: 'first' }, { event: 'done', data: 'second' }]);
    } finally {
      await http.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
