import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `x-genrelay-signature` value for a delivery: `v1=` and the hex HMAC-SHA256 of
 * `<timestamp>.<body>` under the secret. Signing the timestamp with the body is what
 * lets a receiver refuse an old delivery replayed later.
 */
export function webhookSignature(
  secret: string,
  timestamp: number | string,
  body: string | Uint8Array,
): string {
  return `v1=${digest(secret, timestamp, body).toString('hex')}`;
}

export interface VerifyWebhookSignatureOptions {
  secret: string;
  /** The `x-genrelay-timestamp` header: unix seconds. */
  timestamp: string | number;
  /** The raw request body, exactly as received (before any JSON parsing). */
  body: string | Uint8Array;
  /** The `x-genrelay-signature` header; several `v1=` values may be given, comma-separated. */
  signature: string;
  /** How far the timestamp may be from now, either way. Default 300. */
  toleranceSeconds?: number;
  /** The current time in epoch milliseconds; `Date.now()` by default. */
  now?: number;
}

/**
 * Whether a webhook delivery is genuine: signed with `secret` over this body and
 * timestamp, and the timestamp recent. The comparison takes the same time whatever the
 * signature, so it tells an attacker nothing about how close a guess was.
 */
export function verifyWebhookSignature(options: VerifyWebhookSignatureOptions): boolean {
  const { secret, body, signature } = options;
  const timestamp = String(options.timestamp).trim();
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  const nowSeconds = (options.now ?? Date.now()) / 1000;
  if (Math.abs(nowSeconds - Number(timestamp)) > (options.toleranceSeconds ?? 300)) {
    return false;
  }
  const expected = digest(secret, timestamp, body);
  return signature.split(/[\s,]+/).some((candidate) => {
    const hex = /^v1=([0-9a-f]{64})$/i.exec(candidate)?.[1];
    return hex !== undefined && timingSafeEqual(Buffer.from(hex, 'hex'), expected);
  });
}

function digest(secret: string, timestamp: number | string, body: string | Uint8Array) {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}
