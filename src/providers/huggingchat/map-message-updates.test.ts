import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../test/support/memory-io.js';
import type { StreamPart } from '../../core/stream-part.js';
import { HuggingChatUpstream } from './huggingchat-upstream.js';
import { mapMessageUpdates, type UpdateContext } from './map-message-updates.js';

const upstream = new HuggingChatUpstream('hc', 'https://huggingface.co/chat', {
  request: () => Promise.reject(new Error('no calls expected')),
});

async function* linesOf(updates: readonly (object | string)[]) {
  for (const update of updates) {
    yield typeof update === 'string' ? update : JSON.stringify(update);
  }
}

function run(updates: readonly (object | string)[], extra: Partial<UpdateContext> = {}) {
  const logs: LogEntry[] = [];
  let activity = 0;
  const record = (level: LogEntry['level']) => (object: object, message?: string) =>
    void logs.push({ level, object, message });
  const context: UpdateContext = {
    upstream,
    logger: {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    },
    onActivity: () => activity++,
    downloadFile: async () => undefined,
    ...extra,
  };
  const collect = async () => {
    const parts: StreamPart[] = [];
    for await (const part of mapMessageUpdates(linesOf(updates), context))
      parts.push(part);
    return parts;
  };
  return { collect, logs, activity: () => activity };
}

const started = { type: 'status', status: 'started' };
const keepAlive = { type: 'status', status: 'keepAlive' };
const final = { type: 'finalAnswer', text: 'Hello!', interrupted: false };

describe('mapMessageUpdates', () => {
  it('maps tokens without padding, reasoning, title and sources, then finishes', async () => {
    const { collect, activity } = run([
      started,
      keepAlive,
      { type: 'reasoning', subtype: 'status', status: 'Thinking' },
      { type: 'reasoning', subtype: 'stream', token: 'Hmm' },
      { type: 'title', title: 'Greeting\u0000' },
      { type: 'stream', token: `Hel${'\u0000'.repeat(13)}` },
      { type: 'stream', token: '\u0000'.repeat(16) },
      keepAlive,
      {
        type: 'webSearch',
        subtype: 'sources',
        sources: [{ link: 'https://a.example', title: 'A' }],
      },
      { type: 'stream', token: 'lo!' },
      { type: 'tool', subtype: 'call', uuid: 'u', call: { name: 'x' } },
      final,
      { type: 'stream', token: 'after the end' },
    ]);
    expect(await collect()).toEqual([
      { type: 'reasoning', status: 'Thinking' },
      { type: 'reasoning', delta: 'Hmm' },
      { type: 'title', title: 'Greeting' },
      { type: 'text', delta: 'Hel' },
      { type: 'sources', sources: [{ url: 'https://a.example', title: 'A' }] },
      { type: 'text', delta: 'lo!' },
      { type: 'finish', reason: 'stop' },
    ]);
    // Keep-alives are not progress.
    expect(activity()).toBe(10);
  });

  it('takes the text and web sources from the final answer when nothing streamed', async () => {
    const { collect } = run([
      started,
      {
        ...final,
        interrupted: true,
        webSources: [{ uri: 'https://b.example', title: 'B' }],
      },
    ]);
    expect(await collect()).toEqual([
      { type: 'text', delta: 'Hello!' },
      { type: 'sources', sources: [{ url: 'https://b.example', title: 'B' }] },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('downloads image files and skips other files', async () => {
    const image: StreamPart = {
      type: 'image',
      data: new Uint8Array([1]),
      mediaType: 'image/png',
    };
    const asked: unknown[] = [];
    const { collect } = run(
      [
        { type: 'file', name: 'a.png', sha: 'abc', mime: 'image/png' },
        { type: 'file', name: 'b.txt', sha: 'def', mime: 'text/plain' },
        final,
      ],
      {
        downloadFile: async (file) => {
          asked.push(file);
          return file.mime === 'image/png' ? image : undefined;
        },
      },
    );
    expect((await collect()).map((part) => part.type)).toEqual([
      'image',
      'text',
      'finish',
    ]);
    expect(asked).toHaveLength(2);
  });

  it('skips lines that are not JSON with a debug log', async () => {
    const { collect, logs } = run([
      '<html>proxy</html>',
      { type: 'stream', token: 'ok' },
      final,
    ]);
    expect((await collect()).map((part) => part.type)).toEqual(['text', 'finish']);
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'debug',
        object: { provider: 'hc', line: '<html>proxy</html>' },
      }),
    ]);
  });

  it('types a status error by its status code', async () => {
    const error = (statusCode?: number) =>
      run([
        started,
        { type: 'status', status: 'error', message: 'Nope', statusCode },
      ]).collect();
    await expect(error()).rejects.toMatchObject({
      code: 'upstream_error',
      retryable: true,
      message: 'huggingchat "hc" failed: Nope',
    });
    await expect(error(429)).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(error(402)).rejects.toMatchObject({
      code: 'quota_exceeded',
      retryable: false,
    });
    await expect(error(401)).rejects.toMatchObject({ code: 'authentication_failed' });
    await expect(error(400)).rejects.toMatchObject({
      code: 'invalid_request',
      retryable: false,
    });
    await expect(error(403)).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(error(503)).rejects.toMatchObject({
      code: 'upstream_error',
      retryable: true,
    });
  });

  it('skips JSON lines without a type with a debug log', async () => {
    const { collect, logs } = run([{ token: 'x' }, [], { type: 7 }, final]);
    expect((await collect()).map((part) => part.type)).toEqual(['text', 'finish']);
    expect(logs.map(({ level, message }) => [level, message])).toEqual(
      Array(3).fill(['debug', 'skipping a reply line that is not a message update']),
    );
  });

  it('fails when the reply ends before its final answer or an update is malformed', async () => {
    await expect(
      run([started, { type: 'stream', token: 'cut' }]).collect(),
    ).rejects.toMatchObject({
      code: 'upstream_error',
      message: expect.stringContaining('before its final answer'),
    });
    await expect(run([{ type: 'stream' }]).collect()).rejects.toMatchObject({
      code: 'response_parse_error',
    });
  });
});
