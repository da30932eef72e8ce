import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  GeneratorClient,
  type GeneratorError,
  type JobUpdate,
  type TextUpdate,
} from '../../src/client/index.js';
import { type BotGenRelay, botToken } from '../support/start-bot-genrelay.js';
import { startChatGenRelay } from '../support/start-chat-genrelay.js';

const answer =
  'Once upon a time a small robot learned to paint the sea, one wave after another, ' +
  'until the whole harbour came to see its pictures.';
const reasoning = 'A short story, then. Keep it kind.';

const answerOnly = (updates: TextUpdate[]) =>
  updates.filter((update) => !update.reasoning);

describe('GeneratorClient: a chat answer as it is written', () => {
  let relay: BotGenRelay;
  let client: GeneratorClient | undefined;

  beforeAll(async () => {
    relay = await startChatGenRelay(answer, reasoning);
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });
  afterAll(async () => {
    await relay?.close();
  });

  const connect = async () => {
    client = new GeneratorClient({
      endpoint: relay.genrelay.url,
      service: 'bot',
      token: botToken,
      WebSocket,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      requestTimeoutMs: 5000,
    });
    await client.connect();
    return client;
  };

  it("tells onText and the job's events each piece, in order, before the result", async () => {
    const connected = await connect();
    const told: TextUpdate[] = [];
    connected.onText((update) => told.push(update));
    const job = connected.chat({
      model: 'double-chat',
      userId: 'writer',
      payload: { messages: [{ role: 'user', content: 'A story, please' }] },
    });
    const updates: JobUpdate[] = [];
    for await (const update of job.events) updates.push(update);
    const result = await job.result;
    expect(result.text).toBe(answer);

    const statuses = updates
      .map((update) => update.status)
      .filter((status, index, all) => status !== 'text' || all[index - 1] !== 'text');
    expect(statuses).toEqual(['queued', 'generating', 'text', 'ok']);
    const iterated = updates.filter((update) => update.status === 'text');
    expect(iterated).toEqual(told);
    const pieces = answerOnly(told);
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.map((update) => update.delta).join('')).toBe(answer);
    expect(pieces.at(-1)?.text).toBe(answer);
    // Each `text` is the answer so far: the one before plus this piece.
    for (const [index, update] of pieces.entries())
      expect(update.text).toBe((pieces[index - 1]?.text ?? '') + update.delta);
    const thoughts = told.filter((update) => update.reasoning);
    expect(thoughts.at(-1)?.text).toBe(reasoning);
    expect(told[0]).toMatchObject({
      status: 'text',
      reasoning: true,
      objectId: job.objectId,
      requestId: job.requestId,
      model: 'double-chat',
      genType: 'chat',
      serviceInfo: { userId: 'writer' },
    });
  });

  it('keeps the answer so far right when a reconnect replays pieces already told', async () => {
    const connected = await connect();
    const told: TextUpdate[] = [];
    connected.onText((update) => told.push(update));
    const dropped = new Promise<GeneratorError>((resolve) =>
      connected.onConnectionError(resolve),
    );
    const job = connected.chat({
      model: 'double-chat',
      userId: 'interrupted',
      payload: { messages: [{ role: 'user', content: 'Another story' }] },
    });
    for await (const update of job.events)
      if (update.status === 'text' && !update.reasoning) break;
    relay.genrelay.server.websocket.terminateConnections();
    expect((await dropped).code).toBe('connection_lost');

    const result = await job.result;
    expect(result.text).toBe(answer);
    const pieces = answerOnly(told);
    // The pieces before the drop came again after it…
    const deltas = pieces.map((update) => update.delta).join('');
    expect(deltas.length).toBeGreaterThan(answer.length);
    // …yet the answer so far never doubled, and ends as the result.
    for (const update of pieces) expect(answer.startsWith(update.text)).toBe(true);
    expect(pieces.at(-1)?.text).toBe(answer);
  });
});
