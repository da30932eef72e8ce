import { describe, expect, it } from 'vitest';
import {
  automatic1111SettingsSchema,
  basicCredentials,
} from './automatic1111-settings.js';

const parse = (settings: Record<string, unknown>) =>
  automatic1111SettingsSchema.safeParse({
    baseUrl: 'http://127.0.0.1:7860',
    ...settings,
  });

describe('automatic1111 settings', () => {
  it('defaults to one slot, a 10-minute bound and a poll a second', () => {
    const parsed = parse({});
    expect(parsed.data).toMatchObject({
      slots: 1,
      timeoutMs: 600_000,
      progressIntervalMs: 1000,
      previews: true,
      switchModels: true,
    });
    expect(parsed.data && basicCredentials(parsed.data)).toBeUndefined();
  });

  it('takes credentials as a pair or as a user:pass token, never half or both', () => {
    const pair = parse({ username: 'u', password: 'p' });
    expect(pair.data && basicCredentials(pair.data)).toBe('u:p');
    const token = parse({ token: 'u:p:with:colons' });
    expect(token.data && basicCredentials(token.data)).toBe('u:p:with:colons');
    expect(parse({ username: 'u' }).success).toBe(false);
    expect(parse({ token: 'no-colon' }).success).toBe(false);
    expect(parse({ token: 'u:p', username: 'u', password: 'p' }).success).toBe(false);
    expect(parse({ baseUrl: 'not a url' }).success).toBe(false);
    expect(parse({ slotz: 2 }).success).toBe(false);
  });
});
