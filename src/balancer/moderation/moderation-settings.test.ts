import { describe, expect, it } from 'vitest';
import { moderationSettingsSchema } from './moderation-settings.js';

describe('moderationSettingsSchema', () => {
  it('defaults to moderating on request only, with empty lists and no endpoint', () => {
    expect(moderationSettingsSchema.parse({})).toEqual({
      force: false,
      words: [],
      patterns: [],
    });
  });

  it('compiles patterns once, case-insensitive and Unicode-aware', () => {
    const { patterns } = moderationSettingsSchema.parse({ patterns: ['b\\p{L}d'] });
    expect(patterns).toHaveLength(1);
    expect(patterns[0]?.flags).toBe('iu');
    expect(patterns[0]?.test('a BÄD idea')).toBe(true);
  });

  it('reports an invalid pattern at its index, saying why', () => {
    const parsed = moderationSettingsSchema.safeParse({
      patterns: ['fine', 'also fine', '(unclosed'],
    });
    expect(parsed.success).toBe(false);
    const issues = parsed.error?.issues ?? [];
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toEqual(['patterns', 2]);
    expect(issues[0]?.message).toMatch(/^invalid regular expression \/\(unclosed\/iu: /);
  });

  it('refuses a blocked word that is empty once invisible characters are removed', () => {
    const parsed = moderationSettingsSchema.safeParse({
      words: ['fine', '\u200B\u2060'],
    });
    expect(parsed.error?.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      { path: ['words', 1], message: 'must contain a visible character' },
    ]);
  });

  it('fills the endpoint defaults and refuses what is not an http(s) URL', () => {
    const { endpoint } = moderationSettingsSchema.parse({
      endpoint: { baseUrl: 'https://api.openai.com/v1' },
    });
    expect(endpoint).toEqual({
      baseUrl: 'https://api.openai.com/v1',
      model: 'omni-moderation-latest',
      timeoutMs: 10_000,
      failOpen: false,
    });
    const bad = moderationSettingsSchema.safeParse({
      endpoint: { baseUrl: 'ftp://x/v1' },
    });
    expect(bad.error?.issues[0]?.path).toEqual(['endpoint', 'baseUrl']);
    const typo = moderationSettingsSchema.safeParse({ word: ['x'] });
    expect(typo.success).toBe(false);
  });
});
