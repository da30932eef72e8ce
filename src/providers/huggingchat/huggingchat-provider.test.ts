import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { doubleSession } from '../../../test/upstreams/chat-ui/chat-ui-client.js';
import {
  type ChatUiDouble,
  startChatUiDouble,
} from '../../../test/upstreams/chat-ui/chat-ui-double.js';
import {
  newConversation,
  objectId,
} from '../../../test/upstreams/chat-ui/chat-ui-state.js';
import { makePng } from '../../../test/upstreams/png.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { silentLogger } from '../../core/logger.js';
import type { StreamPart } from '../../core/stream-part.js';
import { createHttpClient } from '../../http/http-client.js';
import { AuthCache } from './auth-cache.js';
import { HuggingChatProvider } from './huggingchat-provider.js';
import { huggingChatSettingsSchema } from './huggingchat-settings.js';

const http = createHttpClient({});
let double: ChatUiDouble;
let dataDir: string;

beforeAll(async () => {
  double = await startChatUiDouble();
});
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'huggingchat-provider-'));
});
afterEach(async () => {
  double.version = 'current';
  double.script = { kind: 'answer' };
  double.failures = [];
  double.acceptedCookies = [doubleSession];
  double.issuedCookie = undefined;
  await rm(dataDir, { recursive: true, force: true });
});
afterAll(async () => {
  await double?.close();
  await http.close();
});

function provider(
  settings: Record<string, unknown> = { token: doubleSession },
  env = {},
) {
  return new HuggingChatProvider(
    'hc',
    huggingChatSettingsSchema.parse({ baseUrl: double.baseUrl, ...settings }),
    { http, logger: silentLogger, env, dataDir },
  );
}

const chat = (extra: Partial<GenerationRequest> = {}): GenerationRequest => ({
  kind: 'chat',
  model: 'double/chat',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello there, double' },
  ],
  ...extra,
});

async function collect(parts: AsyncIterable<StreamPart>) {
  const result: StreamPart[] = [];
  for await (const part of parts) result.push(part);
  return result;
}

const signal = () => AbortSignal.timeout(10_000);
const creations = () =>
  double.requests.filter(
    (request) => request.method === 'POST' && request.path === '/chat/conversation',
  );
const requestsTo = (pattern: RegExp, since = 0) =>
  double.requests.slice(since).filter((request) => pattern.test(request.path));

/** A session the double accepts, saved in the cache as the one that last worked. */
async function cacheSession(session = 'cached-session') {
  double.acceptedCookies = [doubleSession, session];
  const cache = new AuthCache(dataDir, double.baseUrl, silentLogger);
  await cache.save({ 'hf-chat': doubleSession }, { 'hf-chat': session });
  return cache;
}

/** A conversation of another account, as a state from elsewhere may name. */
function othersConversation(): string {
  const id = objectId(0xbad);
  double.conversations.set(id, {
    ...newConversation(id, 'double/chat', ''),
    owner: 'someone-else',
  });
  return id;
}

const history = [
  { role: 'user' as const, content: 'First' },
  { role: 'assistant' as const, content: 'Answer' },
  { role: 'user' as const, content: 'Second' },
];

describe.each(['current', 'older'] as const)(
  'huggingchat provider on %s chat-ui',
  (version) => {
    it('creates a conversation with the system prompt and streams the reply', async () => {
      double.version = version;
      const parts = await collect(provider().generate(chat(), { signal: signal() }));
      const conversationId = [...double.conversations.keys()].at(-1) ?? '';
      const conversation = double.conversations.get(conversationId);
      expect(conversation?.preprompt).toBe('Be brief.');
      expect(parts).toEqual([
        { type: 'title', title: 'Hello there, double' },
        { type: 'text', delta: 'Hello' },
        { type: 'text', delta: ' from' },
        { type: 'text', delta: ' chat-ui.' },
        {
          type: 'conversation',
          state: {
            models: { 'double/chat': { conversationId } },
          },
        },
        { type: 'finish', reason: 'stop' },
      ]);
      expect(double.sent.at(-1)?.data).toMatchObject({
        inputs: 'Hello there, double',
        id: conversation?.rootMessageId,
        is_retry: false,
        is_continue: false,
        web_search: false,
        tools: [],
        generationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      const send = double.requests.at(-1);
      expect(send?.path).toBe(`/chat/conversation/${conversationId}`);
      expect(send?.headers).toMatchObject({
        origin: double.origin,
        referer: `${double.baseUrl}/conversation/${conversationId}`,
        cookie: `hf-chat=${doubleSession}`,
      });
    });

    it('continues the conversation its state names, sending only the new message', async () => {
      double.version = version;
      const hc = provider();
      const first = await collect(hc.generate(chat(), { signal: signal() }));
      const state = first.find((part) => part.type === 'conversation');
      const conversationCount = double.conversations.size;
      const messages = [
        ...chat().messages,
        { role: 'assistant' as const, content: 'Hello from chat-ui.' },
        { role: 'user' as const, content: 'And now?' },
      ];
      const second = await collect(
        hc.generate(
          chat({
            messages,
            conversation: state?.type === 'conversation' ? state.state : null,
          }),
          {
            signal: signal(),
          },
        ),
      );
      expect(second.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
      expect(double.conversations.size).toBe(conversationCount);
      const conversation = [...double.conversations.values()].at(-1);
      const users = conversation?.messages.filter((message) => message.from === 'user');
      expect(users?.map((message) => message.content)).toEqual([
        'Hello there, double',
        'And now?',
      ]);
      // The parent is the first answer, found through the version's own lookup.
      expect(double.sent.at(-1)?.data.id).toBe(conversation?.messages[2]?.id);
      const lookup = double.requests.at(-2)?.path ?? '';
      expect(lookup).toMatch(
        version === 'current' ? /^\/chat\/api\/v2\/conversations\// : /__data\.json$/,
      );
    });

    it('starts a new conversation when the stored one is another account’s, keeping the session', async () => {
      double.version = version;
      const cache = await cacheSession();
      const others = othersConversation();
      const conversation = { models: { 'double/chat': { conversationId: others } } };
      const parts = await collect(
        provider().generate(chat({ messages: history, conversation }), {
          signal: signal(),
        }),
      );
      expect(parts.map((part) => part.type)).not.toContain('login-required');
      expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
      const state = parts.find((part) => part.type === 'conversation');
      expect(JSON.stringify(state)).not.toContain(others);
      expect(double.sent.at(-1)?.data.inputs).toBe(
        'User: First\nAssistant: Answer\nUser: Second\nAssistant:',
      );
      expect(creations().at(-1)?.headers.cookie).toBe('hf-chat=cached-session');
      expect(await cache.load({ 'hf-chat': doubleSession })).toEqual({
        'hf-chat': 'cached-session',
      });
    });
  },
);

describe('huggingchat provider', () => {
  it('downloads a generated image through the session and yields its bytes', async () => {
    double.script = { kind: 'answer', image: true };
    const parts = await collect(provider().generate(chat(), { signal: signal() }));
    const image = parts.find((part) => part.type === 'image');
    expect(image).toMatchObject({ mediaType: 'image/png', alt: 'Hello there, double' });
    expect(image?.type === 'image' && [...(image.data ?? [])]).toEqual([
      ...makePng(8, 8),
    ]);
  });

  it('sends images to vision models as base64 files, and refuses them for others', async () => {
    const png = makePng(4, 4);
    const uri = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
    const withImage = chat({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is it?' },
            { type: 'image', image: { kind: 'data-uri', uri } },
          ],
        },
      ],
      webSearch: true,
    });
    const hc = provider();
    await collect(
      hc.generate({ ...withImage, model: 'double/vision' }, { signal: signal() }),
    );
    expect(double.sent.at(-1)?.files).toEqual([
      {
        filename: 'base64;image-1.png',
        type: 'image/png',
        content: Buffer.from(png).toString('base64'),
      },
    ]);
    expect(double.sent.at(-1)?.data).toMatchObject({
      inputs: 'What is it?',
      web_search: true,
    });
    const before = double.requests.length;
    await expect(
      collect(hc.generate(withImage, { signal: signal() })),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      status: 400,
      param: 'messages',
      message: expect.stringContaining(
        'does not accept images; models that do: double/vision',
      ),
    });
    expect(double.requests.length).toBe(before);
  });

  it('starts a new conversation with the whole history when the stored one is gone', async () => {
    const gone = {
      models: { 'double/chat': { conversationId: '0000000000000000deadbeef' } },
    };
    const parts = await collect(
      provider().generate(chat({ messages: history, conversation: gone }), {
        signal: signal(),
      }),
    );
    const state = parts.find((part) => part.type === 'conversation');
    expect(state?.type === 'conversation' && JSON.stringify(state.state)).not.toContain(
      'deadbeef',
    );
    expect(double.sent.at(-1)?.data.inputs).toBe(
      'User: First\nAssistant: Answer\nUser: Second\nAssistant:',
    );
  });

  it('names the model a conversation cannot be created with', async () => {
    const hc = provider({
      token: doubleSession,
      models: ['double/hidden'],
      visionModels: [],
    });
    await expect(
      collect(hc.generate(chat({ model: 'double/hidden' }), { signal: signal() })),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      param: 'model',
      message: expect.stringMatching(/unlisted model \(model "double\/hidden"\)$/),
    });
  });

  it('asks for the model list only when the request has images', async () => {
    const before = double.requests.length;
    const parts = await collect(provider().generate(chat(), { signal: signal() }));
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(requestsTo(/\/models$/, before)).toEqual([]);
  });

  it('on an older chat-ui, looks conversations up in the page data once it knows', async () => {
    double.version = 'older';
    const hc = provider();
    const before = double.requests.length;
    const turn = async (conversation: GenerationRequest['conversation']) => {
      const parts = await collect(
        hc.generate(chat({ conversation }), { signal: signal() }),
      );
      expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
      const state = parts.find((part) => part.type === 'conversation');
      return state?.type === 'conversation' ? state.state : null;
    };
    const state = await turn(undefined);
    await turn(state);
    await turn(state);
    const api = /^\/chat\/api\/v2\/conversations\//;
    // Only the first look-up finds out that the API is missing.
    expect(requestsTo(api, before)).toHaveLength(1);
    expect(requestsTo(/__data\.json$/, before)).toHaveLength(3);
    // Upgraded meanwhile: the page data has no conversation any more; the API has it.
    double.version = 'current';
    const upgraded = double.requests.length;
    await turn(state);
    expect(requestsTo(api, upgraded)).toHaveLength(1);
    const conversation = [...double.conversations.values()].at(-1);
    expect(
      conversation?.messages.filter((message) => message.from === 'user'),
    ).toHaveLength(4);
  });

  it('stops the reply upstream when the idle bound runs out', async () => {
    double.script = { kind: 'keepalive-only', intervalMs: 20 };
    const hc = provider({ token: doubleSession, idleTimeoutMs: 200 });
    await expect(
      collect(hc.generate(chat(), { signal: signal() })),
    ).rejects.toMatchObject({
      code: 'timeout',
    });
    const conversationId = double.sent.at(-1)?.conversationId ?? '';
    await expect.poll(() => double.stopped, { timeout: 2_000 }).toContain(conversationId);
  });
});

describe('huggingchat login', () => {
  it('without cookies, yields login-required and says how to supply the cookie', async () => {
    const hc = provider({ cookieEnv: 'HUGGINGCHAT_COOKIE' });
    const before = creations().length;
    const parts: StreamPart[] = [];
    const failure = await (async () => {
      for await (const part of hc.generate(chat(), { signal: signal() }))
        parts.push(part);
    })().catch((error: unknown) => error);
    expect(parts).toEqual([
      { type: 'login-required', provider: 'hc', url: `${double.baseUrl}/login` },
    ]);
    expect(failure).toMatchObject({
      code: 'authentication_failed',
      status: 401,
      message: expect.stringContaining(
        'copy the value of its hf-chat cookie into $HUGGINGCHAT_COOKIE or providers.hc.token',
      ),
    });
    expect(creations()).toHaveLength(before);
  });

  it('reads the cookie from the variable cookieEnv names', async () => {
    const hc = provider(
      { cookieEnv: 'HUGGINGCHAT_COOKIE' },
      { HUGGINGCHAT_COOKIE: doubleSession },
    );
    expect((await collect(hc.generate(chat(), { signal: signal() }))).at(-1)).toEqual({
      type: 'finish',
      reason: 'stop',
    });
  });

  it('leaves the cache file alone when the upstream’s Set-Cookie changes nothing', async () => {
    const cache = await cacheSession();
    const file = cache.file({ 'hf-chat': doubleSession });
    const before = await stat(file);
    const parts = await collect(provider().generate(chat(), { signal: signal() }));
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    // chat-ui refreshed the cookie with the value it had.
    expect(creations().at(-1)?.headers.cookie).toBe('hf-chat=cached-session');
    const after = await stat(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('caches the session the upstream issued, owner-only, and uses it next time', async () => {
    double.acceptedCookies = [doubleSession, 'rotated-session'];
    double.issuedCookie = 'rotated-session';
    await collect(provider().generate(chat(), { signal: signal() }));
    const cache = new AuthCache(dataDir, double.baseUrl, silentLogger);
    const file = cache.file({ 'hf-chat': doubleSession });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).cookies).toEqual({
      'hf-chat': 'rotated-session',
    });
    double.acceptedCookies = ['rotated-session'];
    double.issuedCookie = undefined;
    const parts = await collect(provider().generate(chat(), { signal: signal() }));
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(creations().at(-1)?.headers.cookie).toBe('hf-chat=rotated-session');
  });

  it('drops a refused cached session and retries once with the configured cookies', async () => {
    const cache = new AuthCache(dataDir, double.baseUrl, silentLogger);
    await cache.save({ 'hf-chat': doubleSession }, { 'hf-chat': 'expired-session' });
    const before = creations().length;
    const parts = await collect(provider().generate(chat(), { signal: signal() }));
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(
      creations()
        .slice(before)
        .map((request) => request.headers.cookie),
    ).toEqual(['hf-chat=expired-session', `hf-chat=${doubleSession}`]);
    // The configured cookies worked as they were: nothing new to keep.
    expect(await cache.load({ 'hf-chat': doubleSession })).toBeUndefined();
  });

  it('fails with a clear auth error when the configured cookies are refused', async () => {
    double.acceptedCookies = ['someone-else'];
    const before = creations().length;
    const parts: StreamPart[] = [];
    const failure = await (async () => {
      for await (const part of provider().generate(chat(), { signal: signal() }))
        parts.push(part);
    })().catch((error: unknown) => error);
    // No cached session was used: trying the same cookies again would only be refused again.
    expect(creations().length - before).toBe(1);
    expect(parts.map((part) => part.type)).toEqual(['login-required']);
    expect(failure).toMatchObject({
      code: 'authentication_failed',
      message: expect.stringMatching(
        /answered 401: You have to be logged in\. \(session cookies from providers\.hc\.cookies\)\. Log in at /,
      ),
    });
  });

  it('treats a 403 in the older page data of a new conversation as a refused session', async () => {
    double.version = 'older';
    double.failures = [{ endpoint: 'conversation', status: 403, message: 'No access' }];
    const before = creations().length;
    await expect(
      collect(provider().generate(chat(), { signal: signal() })),
    ).rejects.toMatchObject({
      code: 'authentication_failed',
      message: expect.stringContaining('answered 403 for conversation'),
    });
    expect(creations().length - before).toBe(1);
  });

  it('keeps the session and asks for no login on a 403 that is not about it', async () => {
    const cache = await cacheSession();
    // chat-ui's CSRF check, e.g. behind a proxy that rewrites the Host header.
    double.failures = [
      {
        endpoint: 'send',
        status: 403,
        body: '{"error":"Invalid referer for POST request"}',
      },
    ];
    const before = creations().length;
    const parts: StreamPart[] = [];
    const failure = await (async () => {
      for await (const part of provider().generate(chat(), { signal: signal() }))
        parts.push(part);
    })().catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 'permission_denied',
      message: expect.stringContaining('answered 403: Invalid referer for POST request'),
    });
    expect(parts).toEqual([]);
    expect(creations().length - before).toBe(1);
    expect(await cache.load({ 'hf-chat': doubleSession })).toEqual({
      'hf-chat': 'cached-session',
    });
  });
});
