import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load-config.js';

const huggingChatInstances = (env: Record<string, string>, providers = {}) =>
  parseConfig({ providers }, 'test', env).providers.filter(
    (instance) => instance.type === 'huggingchat',
  );

describe('the built-in huggingchat instance', () => {
  it('exists by default only when the environment holds a session', () => {
    expect(huggingChatInstances({})).toEqual([]);
    expect(huggingChatInstances({ HUGGINGCHAT_COOKIE: '  ' })).toEqual([]);
    const [fromCookie] = huggingChatInstances({ HUGGINGCHAT_COOKIE: 'session' });
    expect(fromCookie).toMatchObject({
      id: 'huggingchat',
      settings: {
        baseUrl: 'https://huggingface.co/chat',
        cookieEnv: 'HUGGINGCHAT_COOKIE',
        cookiesFileEnv: 'HUGGINGCHAT_COOKIES_FILE',
        timeoutMs: 300_000,
        idleTimeoutMs: 120_000,
      },
    });
    expect(
      huggingChatInstances({ HUGGINGCHAT_COOKIES_FILE: '/cookies.txt' }),
    ).toHaveLength(1);
  });

  it('can point at a self-hosted chat-ui, keeping the built-in cookie variables', () => {
    const [own] = huggingChatInstances(
      {},
      { huggingchat: { baseUrl: 'https://chat.example.org', token: 'x' } },
    );
    expect(own?.settings).toMatchObject({
      baseUrl: 'https://chat.example.org',
      token: 'x',
      cookieEnv: 'HUGGINGCHAT_COOKIE',
    });
    expect(() =>
      parseConfig({ providers: { huggingchat: { cookie: 'typo' } } }, 'test', {}),
    ).toThrow(/providers\.huggingchat/);
  });
});
