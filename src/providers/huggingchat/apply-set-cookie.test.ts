import { describe, expect, it } from 'vitest';
import { applySetCookie } from './apply-set-cookie.js';
import { formatCookieHeader, parseCookieHeader } from './cookie-header.js';

const now = Date.parse('2026-01-01T00:00:00Z');

describe('cookie headers', () => {
  it('reads a Cookie header, or a bare value as the hf-chat cookie', () => {
    expect(parseCookieHeader(' hf-chat=abc; token=hf_x=y ;bad')).toEqual({
      'hf-chat': 'abc',
      token: 'hf_x=y',
    });
    expect(parseCookieHeader('0e8b4f1a-6b0c')).toEqual({ 'hf-chat': '0e8b4f1a-6b0c' });
    expect(parseCookieHeader('  ')).toEqual({});
    expect(formatCookieHeader({ 'hf-chat': 'abc', token: 't' })).toBe(
      'hf-chat=abc; token=t',
    );
  });
});

describe('applySetCookie', () => {
  it('applies cookies the HTTP client joined, despite the commas in Expires', () => {
    const cookies = { 'hf-chat': 'old', keep: 'k' };
    const header =
      'hf-chat=new; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly, ' +
      'extra=1; Max-Age=60';
    expect(applySetCookie(cookies, header, now)).toBe(true);
    expect(cookies).toEqual({ 'hf-chat': 'new', keep: 'k', extra: '1' });
  });

  it('deletes expired cookies and reports when nothing changed', () => {
    const cookies = { 'hf-chat': 'same', gone: 'x' };
    expect(applySetCookie(cookies, 'hf-chat=same; Path=/', now)).toBe(false);
    expect(applySetCookie(cookies, 'gone=; Max-Age=0', now)).toBe(true);
    expect(
      applySetCookie(cookies, 'x=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT', now),
    ).toBe(false);
    expect(cookies).toEqual({ 'hf-chat': 'same' });
    expect(applySetCookie(cookies, undefined, now)).toBe(false);
  });
});
