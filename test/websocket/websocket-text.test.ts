import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotGenRelay, botToken } from '../support/start-bot-genrelay.js';
import { startChatGenRelay } from '../support/start-chat-genrelay.js';
import { openRawClient, type RawClient, status, type WireMessage } from './raw-client.js';

const headers = { authorization: `Bearer ${botToken}` };
const answer =
  'The lighthouse keeper climbed the stairs at dusk, lit the great lamp, and watched ' +
  'the ships find their way home through the fog one by one until morning came.';
const reasoning = 'The user wants a short story about a lighthouse.';

const chatRequest = (requestId: string) => ({
  message_type: 'request',
  request_id: requestId,
  model: 'double-chat',
  gen_type: 'chat',
  service_info: { user_id: requestId },
  payload: { messages: [{ role: 'user', content: 'Tell me a story' }] },
});

/** One job's responses as one connection got them, in order. */
function responsesOf(client: RawClient, objectId: string): WireMessage[] {
  return client.messages.filter(
    (message) => message.message_type === 'response' && message.object_id === objectId,
  );
}

/** The statuses in order, with each run of text messages as one `text`. */
function shape(responses: WireMessage[]): string[] {
  return responses
    .map((message) => String(message.gen_status))
    .filter((genStatus, index, all) => genStatus !== 'text' || all[index - 1] !== 'text');
}

function joined(responses: WireMessage[], ofReasoning: boolean): string {
  return responses
    .filter(
      (message) =>
        message.gen_status === 'text' && (message.reasoning === true) === ofReasoning,
    )
    .map((message) => message.delta)
    .join('');
}

describe('websocket API: a chat answer as it is written', () => {
  let relay: BotGenRelay;
  let client: RawClient;

  beforeAll(async () => {
    relay = await startChatGenRelay(answer, reasoning);
    client = await openRawClient(relay.genrelay.url, { headers });
    await client.next((message) => message.event === 'ready');
  });
  afterAll(async () => {
    await client?.close();
    await relay?.close();
  });

  it('sends text deltas in order after generating and before ok; they make result.text', async () => {
    client.send(chatRequest('story'));
    const ok = await client.next(
      (message) => status('ok')(message) && message.request_id === 'story',
    );
    const responses = responsesOf(client, ok.object_id as string);
    expect(shape(responses)).toEqual(['queued', 'generating', 'text', 'ok']);
    const result = ok.result as { content: string; text: string };
    expect(result.text).toBe(answer);
    expect(joined(responses, false)).toBe(answer);
    expect(joined(responses, true)).toBe(reasoning);
    const answerMessages = responses.filter(
      (message) => status('text')(message) && message.reasoning === undefined,
    );
    // Streamed, not sent once at the end: the answer came in many pieces.
    expect(answerMessages.length).toBeGreaterThan(5);
    expect(answerMessages[0]).toMatchObject({
      request_id: 'story',
      model: 'double-chat',
      gen_type: 'chat',
      service_info: { user_id: 'story' },
    });
    // Reasoning comes first from this upstream, and none of it is in the answer.
    const firstAnswer = responses.indexOf(answerMessages[0] as WireMessage);
    expect(responses.slice(2, firstAnswer).every((message) => message.reasoning)).toBe(
      true,
    );
  });

  it('replays the text so far to a subscriber that comes mid-answer, then the rest, with no gap or repeat', async () => {
    const watcher = await openRawClient(relay.genrelay.url, { headers });
    try {
      await watcher.next((message) => message.event === 'ready');
      client.send(chatRequest('watched'));
      const first = await client.next(
        (message) =>
          status('text')(message) &&
          message.request_id === 'watched' &&
          message.reasoning === undefined,
      );
      const id = first.object_id as string;
      watcher.send({ message_type: 'subscribe', object_id: id });
      const ok = await watcher.next(status('ok', id));
      expect(client.messages.some(status('ok', id))).toBe(true);
      const responses = responsesOf(watcher, id);
      expect(shape(responses)).toEqual(['queued', 'generating', 'text', 'ok']);
      expect(joined(responses, false)).toBe(answer);
      expect(joined(responses, true)).toBe(reasoning);
      expect((ok.result as { text: string }).text).toBe(answer);
      // The kept deltas came at once (joined), the later ones live, one by one.
      const answerMessages = responses.filter(
        (message) => status('text')(message) && message.reasoning === undefined,
      );
      expect(answerMessages.length).toBeGreaterThan(2);
    } finally {
      await watcher.close();
    }
  });

  it('replays every delta of a finished job to a new connection while its events are kept', async () => {
    client.send(chatRequest('finished'));
    const ok = await client.next(
      (message) => status('ok')(message) && message.request_id === 'finished',
    );
    const id = ok.object_id as string;
    const late = await openRawClient(relay.genrelay.url, { headers });
    try {
      await late.next((message) => message.event === 'ready');
      late.send({ message_type: 'subscribe', object_id: id });
      const replayed = await late.next(status('ok', id));
      expect(replayed.result).toEqual(ok.result);
      const responses = responsesOf(late, id);
      expect(shape(responses)).toEqual(['queued', 'generating', 'text', 'ok']);
      expect(joined(responses, false)).toBe(answer);
      expect(joined(responses, true)).toBe(reasoning);
    } finally {
      await late.close();
    }
  });
});
