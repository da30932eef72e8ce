import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { AuthCache } from './auth-cache.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'huggingchat-auth-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const account = { 'hf-chat': 'configured' };

describe('AuthCache', () => {
  it('saves the cookies that worked in a file only its owner can read, and loads them', async () => {
    const cache = new AuthCache(dataDir, 'https://huggingface.co/chat', silentLogger);
    expect(await cache.load(account)).toBeUndefined();
    await cache.save(account, { 'hf-chat': 'refreshed', token: 't' });
    const file = cache.file(account);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'huggingchat'))).mode & 0o777).toBe(0o700);
    expect(await cache.load(account)).toEqual({ 'hf-chat': 'refreshed', token: 't' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      baseUrl: 'https://huggingface.co/chat',
    });
    await cache.clear(account);
    expect(await cache.load(account)).toBeUndefined();
  });

  it('keeps one file per account and chat-ui', async () => {
    const hosted = new AuthCache(dataDir, 'https://huggingface.co/chat', silentLogger);
    const own = new AuthCache(dataDir, 'https://chat.example.org', silentLogger);
    expect(hosted.file(account)).not.toBe(own.file(account));
    expect(hosted.file(account)).not.toBe(hosted.file({ 'hf-chat': 'other' }));
    await hosted.save(account, account);
    expect(await own.load(account)).toBeUndefined();
  });

  it('removes a damaged file and never fails when the folder cannot be written', async () => {
    const cache = new AuthCache(dataDir, 'https://huggingface.co/chat', silentLogger);
    await cache.save(account, account);
    await writeFile(cache.file(account), '{not json');
    expect(await cache.load(account)).toBeUndefined();
    expect(await readdir(join(dataDir, 'huggingchat'))).toEqual([]);
    await writeFile(join(dataDir, 'blocked'), '');
    const blocked = new AuthCache(
      join(dataDir, 'blocked'),
      'https://x.example',
      silentLogger,
    );
    await expect(blocked.save(account, account)).resolves.toBeUndefined();
  });
});
