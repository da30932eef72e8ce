import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../core/errors.js';
import { validateWebhookUrl } from './validate-webhook-url.js';

function refusal(url: string, allowPrivateUrls = false): InvalidRequestError {
  try {
    validateWebhookUrl(url, { allowPrivateUrls });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ param: 'webhook', status: 400 });
    return error as InvalidRequestError;
  }
  throw new Error(`${url} was accepted`);
}

describe('validateWebhookUrl', () => {
  it('accepts a public https URL and returns it parsed', () => {
    const url = validateWebhookUrl('https://hooks.example.com/genrelay?token=abc');
    expect(url.host).toBe('hooks.example.com');
    expect(validateWebhookUrl('https://8.8.8.8/hook').hostname).toBe('8.8.8.8');
  });

  it('refuses what is not an http(s) URL, and plain http unless private URLs are allowed', () => {
    expect(refusal('not a url').message).toBe('the webhook URL is not a valid URL');
    expect(refusal('ftp://example.com/hook').message).toMatch(/must use https, not ftp/);
    expect(refusal('http://example.com/hook').message).toMatch(
      /must use https, not http$/,
    );
    expect(refusal('file:///etc/passwd', true).message).toMatch(
      /must use http or https, not file/,
    );
    expect(refusal(`https://example.com/${'a'.repeat(2100)}`).message).toMatch(/longer/);
  });

  it('refuses private and loopback IP literals unless private URLs are allowed', () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://10.1.2.3/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]:8443/hook',
      'https://[::ffff:192.168.0.1]/hook',
      'https://0x7f000001/hook',
    ]) {
      expect(refusal(url).message, url).toMatch(/which is not a public address$/);
    }
    expect(
      validateWebhookUrl('http://127.0.0.1:8080/hook', { allowPrivateUrls: true }).port,
    ).toBe('8080');
  });
});
