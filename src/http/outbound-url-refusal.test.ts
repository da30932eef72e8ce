import { describe, expect, it } from 'vitest';
import { outboundUrlRefusal } from './outbound-url-refusal.js';

const refusal = (url: string, allowPrivate = false) =>
  outboundUrlRefusal(new URL(url), allowPrivate);

describe('outboundUrlRefusal', () => {
  it('lets https to public hosts through, and names by their address only later', () => {
    expect(refusal('https://example.com/a.png')).toBeUndefined();
    expect(refusal('https://93.184.216.34/a.png')).toBeUndefined();
    // A name is judged when connecting (publicAddressLookup), not here.
    expect(refusal('https://localhost/a.png')).toBeUndefined();
  });

  it('refuses other schemes, saying which would do', () => {
    expect(refusal('http://example.com/')).toEqual({
      reason: 'scheme',
      scheme: 'http',
      allowed: 'https',
    });
    expect(refusal('file:///etc/passwd', true)).toEqual({
      reason: 'scheme',
      scheme: 'file',
      allowed: 'http or https',
    });
  });

  it('refuses private, loopback and link-local IP literals, IPv6 included', () => {
    for (const [url, hostname] of [
      ['https://127.0.0.1/', '127.0.0.1'],
      ['https://10.1.2.3/', '10.1.2.3'],
      ['https://169.254.169.254/latest', '169.254.169.254'],
      ['https://[::1]/', '::1'],
      ['https://[::ffff:7f00:1]/', '::ffff:7f00:1'],
    ] as const)
      expect(refusal(url)).toEqual({ reason: 'private', hostname });
  });

  it('allows plain http and private addresses when told to', () => {
    expect(refusal('http://127.0.0.1:8080/', true)).toBeUndefined();
    expect(refusal('https://[::1]/', true)).toBeUndefined();
  });
});
