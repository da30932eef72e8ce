import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huggingChatSettingsSchema } from './huggingchat-settings.js';
import { resolveCredentials } from './resolve-credentials.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'huggingchat-credentials-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const settings = (extra: Record<string, unknown> = {}) =>
  huggingChatSettingsSchema.parse({
    cookieEnv: 'HUGGINGCHAT_COOKIE',
    cookiesFileEnv: 'HUGGINGCHAT_COOKIES_FILE',
    ...extra,
  });
const resolve = (extra: Record<string, unknown>, env: Record<string, string> = {}) =>
  resolveCredentials('hc', settings(extra), env, 'huggingface.co');

describe('resolveCredentials', () => {
  it('takes the settings first: a cookie header, a map, or the token as hf-chat', async () => {
    const env = { HUGGINGCHAT_COOKIE: 'from-env' };
    expect(await resolve({ cookies: 'hf-chat=a; token=b' }, env)).toEqual({
      found: true,
      cookies: { 'hf-chat': 'a', token: 'b' },
      source: 'providers.hc.cookies',
    });
    expect(await resolve({ cookies: { token: 'b' }, token: 'c' })).toMatchObject({
      cookies: { token: 'b', 'hf-chat': 'c' },
    });
  });

  it('reads the cookies file, then the variables', async () => {
    const file = join(folder, 'cookies.json');
    await writeFile(
      file,
      JSON.stringify([{ name: 'hf-chat', value: 'f', domain: '.huggingface.co' }]),
    );
    expect(await resolve({ cookiesFile: file })).toMatchObject({
      cookies: { 'hf-chat': 'f' },
    });
    expect(await resolve({}, { HUGGINGCHAT_COOKIE: 'bare-value' })).toEqual({
      found: true,
      cookies: { 'hf-chat': 'bare-value' },
      source: '$HUGGINGCHAT_COOKIE',
    });
    expect(await resolve({}, { HUGGINGCHAT_COOKIES_FILE: file })).toMatchObject({
      cookies: { 'hf-chat': 'f' },
      source: `$HUGGINGCHAT_COOKIES_FILE (${file})`,
    });
  });

  it('says why there is no session', async () => {
    expect(await resolve({})).toEqual({
      found: false,
      problem: 'no cookies are configured',
    });
    expect(await resolve({ cookies: 'token=only' })).toEqual({
      found: false,
      problem: 'providers.hc.cookies has no hf-chat cookie',
    });
    const missing = join(folder, 'missing.txt');
    expect(await resolve({ cookiesFile: missing })).toMatchObject({
      found: false,
      problem: expect.stringContaining('ENOENT'),
    });
    const broken = join(folder, 'broken.txt');
    await writeFile(broken, 'not a cookie file');
    expect(await resolve({ cookiesFile: broken })).toMatchObject({
      problem: expect.stringContaining('is not a Netscape or JSON cookies file'),
    });
    // A configured instance without cookieEnv does not read the built-in's variable.
    const plain = huggingChatSettingsSchema.parse({});
    expect(
      await resolveCredentials('own', plain, { HUGGINGCHAT_COOKIE: 'x' }, 'chat.example'),
    ).toMatchObject({ found: false });
  });
});
