import { describe, expect, it } from 'vitest';
import { defaultHttpClient } from './default-http-client.js';

describe('defaultHttpClient', () => {
  it('shares one client, and so one connection pool, across callers', () => {
    const client = defaultHttpClient();
    expect(typeof client.request).toBe('function');
    expect(defaultHttpClient()).toBe(client);
  });
});
