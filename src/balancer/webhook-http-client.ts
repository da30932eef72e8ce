import { createPublicHttpClient } from '../http/create-public-http-client.js';
import { createHttpClient, type PooledHttpClient } from '../http/http-client.js';
import type { WebhookSettings } from './webhook-settings.js';

/**
 * The client deliveries go through: connecting and each silence bounded by `timeoutMs`
 * (the whole attempt is bounded by postWebhook), and only public addresses reachable
 * unless private ones are allowed (checked at connect time, on the address actually used,
 * so DNS rebinding cannot slip past).
 */
export function createWebhookHttpClient(settings: WebhookSettings): PooledHttpClient {
  const bounds = {
    connectTimeoutMs: settings.timeoutMs,
    idleTimeoutMs: settings.timeoutMs,
    // Only the status matters; an error body is read just for its message.
    maxResponseBytes: 64 * 1024,
  };
  return settings.allowPrivateUrls
    ? createHttpClient(bounds)
    : createPublicHttpClient(bounds);
}
