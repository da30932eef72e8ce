import * as devalue from 'devalue';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatUiClient } from './chat-ui-client.js';
import { type ChatUiDouble, startChatUiDouble } from './chat-ui-double.js';

// No official chat-ui client exists: the real `superjson` and `devalue` parsers, which the
// chat-ui front end itself uses, prove the formats instead.

type Message = { id: string; from: string; content: string; createdAt: unknown };

let double: ChatUiDouble;
beforeAll(async () => {
  double = await startChatUiDouble();
});
afterAll(async () => {
  await double?.close();
});

describe('chat-ui double, current version', () => {
  it('lists listed models as superjson at /api/v2/models, and as JSON at /api/models', async () => {
    double.version = 'current';
    const client = chatUiClient(double);
    const response = await client.call('/api/v2/models');
    expect(response.headers.get('cache-control')).toBe('private, max-age=60');
    const models = superjson.parse<{ id: string; multimodal: boolean }[]>(
      await response.text(),
    );
    expect(models.map((model) => model.id)).toEqual([
      'double/chat',
      'double/vision',
      'double/thinker',
    ]);
    expect(models.find((model) => model.id === 'double/vision')?.multimodal).toBe(true);
    const plain = (await (await client.call('/api/models')).json()) as { id: string }[];
    expect(plain.map((model) => model.id)).toEqual(models.map((model) => model.id));
  });

  it('creates a conversation whose embedded and fetched superjson decode to real Dates', async () => {
    double.version = 'current';
    const client = chatUiClient(double);
    const created = await client.create('double/chat', 'Be brief.');
    expect(created.conversationId).toMatch(/^[0-9a-f]{24}$/);
    const embedded = superjson.parse<{ messages: Message[]; rootMessageId: string }>(
      created.conversation ?? '',
    );
    expect(embedded.messages).toHaveLength(1);
    expect(embedded.messages[0]).toMatchObject({ from: 'system', content: 'Be brief.' });
    expect(embedded.messages[0]?.createdAt).toBeInstanceOf(Date);
    const fetched = await client.call(`/api/v2/conversations/${created.conversationId}`);
    const conversation = superjson.parse<{ messages: Message[]; rootMessageId: string }>(
      await fetched.text(),
    );
    expect(conversation.rootMessageId).toBe(embedded.rootMessageId);
    expect(conversation.messages[0]?.createdAt).toBeInstanceOf(Date);
    // Current versions load the conversation in the browser: no page data for it.
    const page = await client.call(`/conversation/${created.conversationId}/__data.json`);
    const line = JSON.parse((await page.text()).split('\n')[0] ?? '') as {
      nodes: unknown[];
    };
    expect(line.nodes[1]).toBeNull();
  });

  it('refuses someone else’s session on the API and answers 404 for unknown ids', async () => {
    double.version = 'current';
    const { conversationId } = await chatUiClient(double).create();
    const stranger = await chatUiClient(double, 'someone-else').call(
      `/api/v2/conversations/${conversationId}`,
    );
    expect(stranger.status).toBe(403);
    const missing = await chatUiClient(double).call('/api/v2/conversations/0123');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Conversation not found' });
  });
});

describe('chat-ui double, older version', () => {
  it('has no /api/v2 routes and returns only the id on creation', async () => {
    double.version = 'older';
    const client = chatUiClient(double);
    expect((await client.call('/api/v2/models')).status).toBe(404);
    const created = await client.create();
    expect(Object.keys(created)).toEqual(['conversationId']);
    const api = await client.call(`/api/v2/conversations/${created.conversationId}`);
    expect(api.status).toBe(404);
  });

  it('serves the conversation as SvelteKit page data that devalue decodes', async () => {
    double.version = 'older';
    const client = chatUiClient(double);
    const { conversationId } = await client.create('double/chat', 'Be kind.');
    const response = await client.call(
      `/conversation/${conversationId}/__data.json?x-sveltekit-invalidated=11`,
    );
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const line = JSON.parse((await response.text()).split('\n')[0] ?? '') as {
      type: string;
      nodes: { type: string; data: unknown[] }[];
    };
    expect(line.type).toBe('data');
    const page = devalue.unflatten(line.nodes[1]?.data ?? []) as {
      messages: Message[];
      model: string;
      rootMessageId: string;
    };
    expect(page.model).toBe('double/chat');
    expect(page.messages[0]).toMatchObject({ from: 'system', content: 'Be kind.' });
    expect(page.messages[0]?.createdAt).toBeInstanceOf(Date);
    expect(page.rootMessageId).toBe(page.messages[0]?.id);
    const layout = devalue.unflatten(line.nodes[0]?.data ?? []) as { models: unknown[] };
    expect(layout.models).toHaveLength(3);
  });

  it('puts an error node in the page data for another session', async () => {
    double.version = 'older';
    const { conversationId } = await chatUiClient(double).create();
    const response = await chatUiClient(double, 'someone-else').call(
      `/conversation/${conversationId}/__data.json?x-sveltekit-invalidated=11`,
    );
    expect(response.status).toBe(200);
    const line = JSON.parse(await response.text()) as { nodes: unknown[] };
    expect(line.nodes[1]).toMatchObject({ type: 'error', status: 403 });
  });
});

describe('chat-ui double, either version', () => {
  it('keeps a conversation another account owns from a logged-in session', async () => {
    const client = chatUiClient(double);
    const { conversationId } = await client.create();
    const conversation = double.conversations.get(conversationId);
    if (conversation !== undefined) conversation.owner = 'another-account';
    double.version = 'older';
    const page = await client.call(
      `/conversation/${conversationId}/__data.json?x-sveltekit-invalidated=11`,
    );
    const line = JSON.parse(await page.text()) as { nodes: unknown[] };
    expect(line.nodes[1]).toMatchObject({ type: 'error', status: 403 });
    double.version = 'current';
    const api = await client.call(`/api/v2/conversations/${conversationId}`);
    expect(api.status).toBe(403);
    const root = conversation?.rootMessageId;
    const sent = await client.send(conversationId, { inputs: 'Hi', id: root });
    expect([sent.status, await sent.json()]).toEqual([
      404,
      { message: 'Conversation not found' },
    ]);
  });
});
