import { createHttpClient, type PooledHttpClient } from '../http/http-client.js';
import { publicAddressLookup } from '../http/public-address-lookup.js';
import type { WebhookSettings } from './webhook-settings.js';

/**
 * The client deliveries go through: every phase bounded by `timeoutMs`, and only public
 * addresses reachable unless private ones are allowed (checked at connect time, on the
 * address actually used, so DNS rebinding cannot slip past).
 */
export function createWebhookHttpClient(settings: WebhookSettings): PooledHttpClient {
  const bounds = {
    connectTimeoutMs: settings.timeoutMs,
    idleTimeoutMs: settings.timeoutMs,
    totalTimeoutMs: settings.timeoutMs,
    // Only the status matters; an error body is read just for its message.
    maxResponseBytes: 64 * 1024,
  };
  if (settings.allowPrivateUrls) return createHttpClient(bounds);
  // No proxy: a proxy would resolve the host itself, past the address check.
  return createHttpClient({
    ...bounds,
    proxy: false,
    connect: { lookup: publicAddressLookup },
  });
}
