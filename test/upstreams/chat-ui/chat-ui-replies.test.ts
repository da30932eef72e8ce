import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chatUiClient, replyLines } from './chat-ui-client.js';
import { type ChatUiDouble, startChatUiDouble } from './chat-ui-double.js';

let double: ChatUiDouble;
beforeAll(async () => {
  double = await startChatUiDouble();
});
afterEach(() => {
  double.script = { kind: 'answer' };
  double.version = 'current';
  double.failures = [];
});
afterAll(async () => {
  await double?.close();
});

/** A conversation and the id of its root message, to send a first message under. */
async function started(client = chatUiClient(double)) {
  const { conversationId } = await client.create();
  const root = double.conversations.get(conversationId)?.rootMessageId ?? '';
  return { client, conversationId, root };
}

const message = (id: string, inputs = 'Hello there, double') => ({
  inputs,
  id,
  is_retry: false,
  is_continue: false,
  web_search: false,
  tools: [],
});

describe('chat-ui double replies', () => {
  it('streams NUL-padded tokens, a title, then finalAnswer, 4096 spaces and finished', async () => {
    const { client, conversationId, root } = await started();
    const response = await client.send(conversationId, message(root));
    expect(response.headers.get('content-type')).toBe('application/jsonl');
    expect(response.headers.get('set-cookie')).toMatch(
      /^hf-chat=hf-chat-double-session; Path=\/; Expires=\w{3}, /,
    );
    const body = await response.text();
    expect(body).toContain(`"finalAnswer"`);
    expect(body).toContain(`${' '.repeat(4096)}{"type":"status","status":"finished"}`);
    const lines = replyLines(body) as { type: string; token?: string }[];
    expect(lines[0]).toEqual({ type: 'status', status: 'started' });
    expect(lines).toContainEqual({ type: 'title', title: 'Hello there, double' });
    const tokens = lines.filter((line) => line.type === 'stream');
    expect(tokens[0]?.token).toBe(`Hello${'\u0000'.repeat(11)}`);
    expect(tokens.every((line) => (line.token?.length ?? 0) >= 16)).toBe(true);
    const conversation = double.conversations.get(conversationId);
    expect(conversation?.messages.map((entry) => entry.from)).toEqual([
      'system',
      'user',
      'assistant',
    ]);
    expect(conversation?.messages[2]?.content).toBe('Hello from chat-ui.');
  });

  it('labels older replies text/event-stream and adds web sources, without a title later', async () => {
    double.version = 'older';
    double.script = {
      kind: 'answer',
      sources: [{ link: 'https://a.example', title: 'A' }],
    };
    const { client, conversationId, root } = await started();
    await (await client.send(conversationId, message(root))).text();
    const assistant = double.conversations.get(conversationId)?.messages.at(-1)?.id ?? '';
    const response = await client.send(conversationId, message(assistant, 'And then?'));
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const lines = replyLines(await response.text()) as Record<string, unknown>[];
    expect(lines.some((line) => line.type === 'title')).toBe(false);
    expect(lines).toContainEqual({
      type: 'webSearch',
      subtype: 'sources',
      message: 'sources',
      sources: [{ link: 'https://a.example', title: 'A' }],
    });
    expect(lines.at(-1)).toMatchObject({
      type: 'finalAnswer',
      webSources: [{ uri: 'https://a.example', title: 'A' }],
    });
  });

  it('checks the Origin of form posts, the session, and the parent id', async () => {
    const { client, conversationId, root } = await started();
    const sentBefore = double.sent.length;
    const missing = await client.send(conversationId, message(root), { origin: null });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({
      error: 'Non-JSON form requests need to have an origin',
    });
    const wrong = await client.send(conversationId, message(root), {
      origin: 'https://evil.example',
    });
    expect(await wrong.json()).toEqual({ error: 'Invalid referer for POST request' });
    const stranger = chatUiClient(double, 'stolen');
    const refused = await stranger.send(conversationId, message(root));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'You have to be logged in.' });
    expect((await client.send(conversationId, message('not-a-uuid'))).status).toBe(400);
    const unknown = message('00000000-0000-4000-8000-000000000000');
    expect((await client.send(conversationId, unknown)).status).toBe(404);
    expect(double.sent).toHaveLength(sentBefore);
  });

  it('keeps base64 files, reasons, and serves a generated image to the owner only', async () => {
    double.script = {
      kind: 'answer',
      reasoning: ['Think'],
      reasoningStatus: 'Thinking',
      image: true,
    };
    const { client, conversationId, root } = await started();
    const file = new File([Buffer.from('png-bytes').toString('base64')], 'base64;a.png', {
      type: 'image/png',
    });
    const body = await (
      await client.send(conversationId, message(root), { files: [file] })
    ).text();
    expect(double.sent.at(-1)?.files).toEqual([
      { filename: 'base64;a.png', type: 'image/png', content: 'cG5nLWJ5dGVz' },
    ]);
    const lines = replyLines(body) as Record<string, string>[];
    expect(lines).toContainEqual({
      type: 'reasoning',
      subtype: 'status',
      status: 'Thinking',
    });
    expect(lines).toContainEqual({
      type: 'reasoning',
      subtype: 'stream',
      token: 'Think',
    });
    const update = lines.find((line) => line.type === 'file');
    expect(update).toMatchObject({ name: 'image.png', mime: 'image/png' });
    const path = `/conversation/${conversationId}/output/${update?.sha}`;
    const image = await client.call(path);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await image.arrayBuffer()).subarray(1, 4)]).toEqual([
      80, 78, 71,
    ]);
    expect((await chatUiClient(double, 'stolen').call(path)).status).toBe(404);
  });

  it('plays the failure scripts: status error, cut, early end, garbage lines', async () => {
    const { client, conversationId, root } = await started();
    double.script = { kind: 'status-error', statusCode: 429, message: 'Too many' };
    let lines = replyLines(
      await (await client.send(conversationId, message(root))).text(),
    );
    expect(lines.at(-1)).toEqual({
      type: 'status',
      status: 'error',
      message: 'Too many',
      statusCode: 429,
    });
    double.script = { kind: 'cut' };
    const cut = await client.send(conversationId, message(root));
    await expect(cut.text()).rejects.toThrow();
    double.script = { kind: 'end-early' };
    lines = replyLines(await (await client.send(conversationId, message(root))).text());
    expect(lines.some((line) => (line as { type: string }).type === 'finalAnswer')).toBe(
      false,
    );
    double.script = { kind: 'answer', invalidLines: true };
    const text = await (await client.send(conversationId, message(root))).text();
    expect(text).toContain('\n<html>proxy hiccup</html>\n');
  });

  it('sends only keep-alives on a stuck generation and notices the client leaving', async () => {
    double.script = { kind: 'keepalive-only', intervalMs: 20 };
    const { client, conversationId, root } = await started();
    const controller = new AbortController();
    const response = await client.send(conversationId, message(root), {
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (text.split('keepAlive').length < 4) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`The reply ended after: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    expect(text).not.toContain('stream');
    const before = double.abandonedReplies;
    controller.abort();
    await expect.poll(() => double.abandonedReplies, { timeout: 2_000 }).toBe(before + 1);
  });

  it('answers scripted failures with chat-ui error bodies or raw bodies', async () => {
    double.failures = [
      { endpoint: 'create', status: 429, message: 'You are sending too many messages.' },
      { endpoint: 'models', status: 200, body: '<html>' },
    ];
    const client = chatUiClient(double);
    const refused = await client.call('/conversation', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'double/chat' }),
    });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      message: 'You are sending too many messages.',
    });
    expect(await (await client.call('/api/v2/models')).text()).toBe('<html>');
    const hidden = await client.call('/conversation', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'double/hidden' }),
    });
    expect(await hidden.json()).toEqual({
      message: "Can't start a conversation with an unlisted model",
    });
  });
});
