import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { makePng } from '../png.js';
import { type ChatUiVersion, defaultTokens, type ReplyScript } from './chat-ui-script.js';
import type { DoubleConversation, DoubleMessage } from './chat-ui-state.js';

export interface ReplyContext {
  response: ServerResponse;
  version: ChatUiVersion;
  conversation: DoubleConversation;
  /** The assistant message the reply is written into. */
  assistant: DoubleMessage;
  /** The user's text; the first message of a conversation also gets a title. */
  inputs: string;
  firstMessage: boolean;
  /** Aborted by the double's `close()`. */
  signal: AbortSignal;
}

/** What chat-ui does against packet-length side channels: NULs up to 16 characters. */
const pad = (token: string) => token.padEnd(16, '\u0000');

/**
 * Writes a scripted reply the way chat-ui does: one JSON update per line, tokens padded,
 * `finalAnswer` followed by 4096 spaces (and, on current versions, `status: finished`).
 */
export async function writeReply(
  context: ReplyContext,
  script: ReplyScript,
): Promise<void> {
  const { response, version } = context;
  if (script.kind === 'hang') return;
  response.writeHead(200, {
    'content-type': version === 'current' ? 'application/jsonl' : 'text/event-stream',
    'cache-control': 'no-store',
  });
  const send = (update: object) => response.write(`${JSON.stringify(update)}\n`);
  const wait = async (milliseconds: number) => {
    await sleep(milliseconds, undefined, { signal: context.signal });
    if (response.destroyed) throw new Error('The client left.');
  };
  const stream = (tokens: readonly string[]) => {
    for (const token of tokens) {
      context.assistant.content += token;
      send({ type: 'stream', token: pad(token) });
    }
  };
  send({ type: 'status', status: 'started' });
  switch (script.kind) {
    case 'answer':
      return writeAnswer(context, script, { send, wait });
    case 'status-error':
      stream(script.tokens ?? []);
      send({
        type: 'status',
        status: 'error',
        message: script.message ?? 'No output was generated. Something went wrong.',
        ...(version === 'current' && script.statusCode
          ? { statusCode: script.statusCode }
          : {}),
      });
      response.end();
      return;
    case 'cut':
      stream(script.tokens ?? defaultTokens.slice(0, 1));
      await new Promise<void>((resolve) => response.write('', () => resolve()));
      response.destroy();
      return;
    case 'end-early':
      stream(script.tokens ?? defaultTokens.slice(0, 1));
      response.end();
      return;
    case 'keepalive-only':
      for (;;) {
        send({ type: 'status', status: 'keepAlive' });
        await wait(script.intervalMs ?? 50);
      }
  }
}

type Writer = { send(update: object): void; wait(milliseconds: number): Promise<void> };

async function writeAnswer(
  context: ReplyContext,
  script: Extract<ReplyScript, { kind: 'answer' }>,
  { send, wait }: Writer,
): Promise<void> {
  const { response, version, conversation, assistant } = context;
  const garbage = () => {
    if (script.invalidLines) response.write('<html>proxy hiccup</html>\n');
  };
  send({ type: 'status', status: 'keepAlive' });
  garbage();
  if (context.firstMessage) {
    const title = script.title ?? context.inputs.split(/\s+/).slice(0, 5).join(' ');
    conversation.title = title;
    send({ type: 'title', title });
  }
  if (script.reasoningStatus) {
    send({ type: 'reasoning', subtype: 'status', status: script.reasoningStatus });
  }
  for (const token of script.reasoning ?? []) {
    send({ type: 'reasoning', subtype: 'stream', token });
  }
  const sources = version === 'older' ? (script.sources ?? []) : [];
  if (sources.length > 0) {
    send({ type: 'webSearch', subtype: 'update', message: 'Searching the web' });
    send({ type: 'webSearch', subtype: 'sources', message: 'sources', sources });
    send({ type: 'webSearch', subtype: 'finished' });
  }
  const tokens = script.tokens ?? defaultTokens;
  for (const token of script.unstreamed ? [] : tokens) {
    if (script.tokenDelayMs) await wait(script.tokenDelayMs);
    send({ type: 'stream', token: pad(token) });
    garbage();
  }
  assistant.content = tokens.join('');
  if (script.image) {
    const data = makePng(8, 8);
    const sha = createHash('sha256').update(data).digest('hex');
    conversation.files.set(sha, { mime: 'image/png', data });
    assistant.files = [
      { type: 'hash', name: 'image.png', value: sha, mime: 'image/png' },
    ];
    send({ type: 'file', name: 'image.png', sha, mime: 'image/png' });
  }
  send({
    type: 'finalAnswer',
    text: assistant.content,
    interrupted: script.interrupted ?? false,
    ...(sources.length > 0
      ? { webSources: sources.map(({ link, title }) => ({ uri: link, title })) }
      : {}),
  });
  response.write(' '.repeat(4096));
  if (version === 'current') send({ type: 'status', status: 'finished' });
  response.end();
}
