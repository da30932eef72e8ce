import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { doubleSession } from '../../../test/upstreams/chat-ui/chat-ui-client.js';
import {
  type ChatUiDouble,
  startChatUiDouble,
} from '../../../test/upstreams/chat-ui/chat-ui-double.js';
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
            models: {
              'double/chat': { conversationId, messageId: conversation?.rootMessageId },
            },
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
    const messages = [
      { role: 'user' as const, content: 'First' },
      { role: 'assistant' as const, content: 'Answer' },
      { role: 'user' as const, content: 'Second' },
    ];
    const gone = {
      models: { 'double/chat': { conversationId: '0000000000000000deadbeef' } },
    };
    const parts = await collect(
      provider().generate(chat({ messages, conversation: gone }), { signal: signal() }),
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
    expect(await cache.load({ 'hf-chat': doubleSession })).toEqual({
      'hf-chat': doubleSession,
    });
  });

  it('fails with a clear auth error after the second refusal', async () => {
    double.acceptedCookies = ['someone-else'];
    const before = creations().length;
    const parts: StreamPart[] = [];
    const failure = await (async () => {
      for await (const part of provider().generate(chat(), { signal: signal() }))
        parts.push(part);
    })().catch((error: unknown) => error);
    expect(creations().length - before).toBe(2);
    expect(parts.map((part) => part.type)).toEqual(['login-required']);
    expect(failure).toMatchObject({
      code: 'authentication_failed',
      message: expect.stringMatching(
        /answered 401: You have to be logged in\. \(session cookies from providers\.hc\.cookies\)\. Log in at /,
      ),
    });
  });

  it('treats a 403 in the older page data as a refused session', async () => {
    double.version = 'older';
    double.failures = [
      { endpoint: 'conversation', status: 403, message: 'No access' },
      { endpoint: 'conversation', status: 403, message: 'No access' },
    ];
    const before = creations().length;
    await expect(
      collect(provider().generate(chat(), { signal: signal() })),
    ).rejects.toMatchObject({
      code: 'authentication_failed',
      message: expect.stringContaining('answered 403 for conversation'),
    });
    expect(creations().length - before).toBe(2);
  });
});
