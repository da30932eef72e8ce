export interface WebhookRetryDelayOptions {
  retryDelayMs: number;
  maxRetryAfterMs: number;
  /** A number in [0, 1). */
  random: () => number;
}

/**
 * How long to wait after the `attempts`-th failed attempt. The backoff doubles each time
 * and half of it is random, so receivers that failed together are not hit together again;
 * a Retry-After the receiver sent is a floor, up to `maxRetryAfterMs`.
 */
export function webhookRetryDelay(
  attempts: number,
  retryAfterMs: number | undefined,
  options: WebhookRetryDelayOptions,
): number {
  const ceiling = options.retryDelayMs * 2 ** (attempts - 1);
  const backoff = ceiling / 2 + (options.random() * ceiling) / 2;
  const asked = Math.min(retryAfterMs ?? 0, options.maxRetryAfterMs);
  return Math.round(Math.max(backoff, asked));
}
