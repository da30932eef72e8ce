import { describe, expect, it } from 'vitest';
import { parseCookiesFile } from './parse-cookies-file.js';

const now = Date.parse('2026-01-01T00:00:00Z');
const future = now / 1000 + 3600;
const past = now / 1000 - 3600;

describe('parseCookiesFile', () => {
  it('reads a Netscape cookies.txt, with httpOnly lines, for the host and its parents', () => {
    const text = [
      '# Netscape HTTP Cookie File',
      '',
      `#HttpOnly_huggingface.co\tFALSE\t/\tTRUE\t${future}\thf-chat\tsession-1`,
      `.huggingface.co\tTRUE\t/\tTRUE\t${future}\ttoken\thf_token`,
      `.huggingface.co\tTRUE\t/\tTRUE\t${past}\told\tgone`,
      `example.com\tFALSE\t/\tFALSE\t0\tother\tsite`,
    ].join('\n');
    expect(parseCookiesFile(text, 'huggingface.co', now)).toEqual({
      'hf-chat': 'session-1',
      token: 'hf_token',
    });
  });

  it('reads the JSON of browser extensions and Playwright, and plain maps', () => {
    const extension = JSON.stringify([
      { name: 'hf-chat', value: 'a', domain: 'huggingface.co', expirationDate: future },
      { name: 'expired', value: 'b', domain: 'huggingface.co', expirationDate: past },
      { name: 'elsewhere', value: 'c', domain: '.example.com' },
    ]);
    expect(parseCookiesFile(extension, 'huggingface.co', now)).toEqual({
      'hf-chat': 'a',
    });
    const playwright = JSON.stringify({
      cookies: [{ name: 'hf-chat', value: 'p', domain: '127.0.0.1', expires: -1 }],
      origins: [],
    });
    expect(parseCookiesFile(playwright, '127.0.0.1', now)).toEqual({ 'hf-chat': 'p' });
    expect(parseCookiesFile('{"hf-chat": "m"}', 'any.host', now)).toEqual({
      'hf-chat': 'm',
    });
  });

  it('says what is wrong with a file it cannot read', () => {
    expect(() => parseCookiesFile('hf-chat=abc', 'huggingface.co')).toThrow(
      'tab-separated fields',
    );
    expect(() => parseCookiesFile('[{"name": 1}]', 'huggingface.co')).toThrow(
      'not a list of {name, value} cookies',
    );
    expect(() => parseCookiesFile('{oops', 'huggingface.co')).toThrow(SyntaxError);
  });
});
