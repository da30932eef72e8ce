import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature, webhookSignature } from './verify-webhook-signature.js';

const secret = 'whsec-0123456789abcdef';
const body = '{"type":"done","jobId":"j1"}';
const timestamp = 1_750_000_000;
const now = timestamp * 1000 + 30_000;
const signature = webhookSignature(secret, timestamp, body);

describe('verifyWebhookSignature', () => {
  it('signs as v1=<hex HMAC-SHA256 of "timestamp.body">', () => {
    // Computed independently: printf '1750000000.<body>' | openssl dgst -sha256 -hmac <secret>
    expect(signature).toBe(
      'v1=747c2acc644eb70c1574cd220b94dbfdab80a7b9727934968730f2370caf9abc',
    );
    expect(
      webhookSignature(secret, String(timestamp), new TextEncoder().encode(body)),
    ).toBe(signature);
  });

  it('accepts a genuine delivery, from a string or the raw bytes', () => {
    expect(verifyWebhookSignature({ secret, timestamp, body, signature, now })).toBe(
      true,
    );
    expect(
      verifyWebhookSignature({
        secret,
        timestamp: String(timestamp),
        body: Buffer.from(body),
        signature: `v1=${'0'.repeat(64)}, ${signature}`,
        now,
      }),
    ).toBe(true);
  });

  it('refuses a wrong secret, an altered body, an altered timestamp or a mangled signature', () => {
    const genuine = { secret, timestamp, body, signature, now };
    expect(verifyWebhookSignature({ ...genuine, secret: 'another-secret-value' })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ ...genuine, body: body.replace('j1', 'j2') })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ ...genuine, timestamp: timestamp + 1 })).toBe(false);
    expect(verifyWebhookSignature({ ...genuine, signature: signature.slice(3) })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ ...genuine, signature: `${signature}00` })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ ...genuine, signature: '' })).toBe(false);
    expect(verifyWebhookSignature({ ...genuine, timestamp: '17e8' })).toBe(false);
  });

  it('refuses a stale or far-future timestamp, within a tolerance that can be set', () => {
    const genuine = { secret, timestamp, body, signature };
    expect(verifyWebhookSignature({ ...genuine, now: (timestamp + 301) * 1000 })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ ...genuine, now: (timestamp - 301) * 1000 })).toBe(
      false,
    );
    expect(
      verifyWebhookSignature({
        ...genuine,
        now: (timestamp + 301) * 1000,
        toleranceSeconds: 600,
      }),
    ).toBe(true);
  });
});
