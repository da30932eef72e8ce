import { describe, expect, it } from 'vitest';
import { webhookRetryDelay } from './webhook-retry-delay.js';

const settings = { retryDelayMs: 1000, maxRetryAfterMs: 60_000 };

describe('webhookRetryDelay', () => {
  it('doubles per attempt, with the upper half of each step random', () => {
    const low = { ...settings, random: () => 0 };
    const high = { ...settings, random: () => 0.999 };
    expect(
      [1, 2, 3].map((attempts) => webhookRetryDelay(attempts, undefined, low)),
    ).toEqual([500, 1000, 2000]);
    expect(
      [1, 2].map((attempts) => webhookRetryDelay(attempts, undefined, high)),
    ).toEqual([1000, 1999]);
  });

  it('waits at least as long as Retry-After asks, up to the cap', () => {
    const options = { ...settings, random: () => 0 };
    expect(webhookRetryDelay(1, 5000, options)).toBe(5000);
    expect(webhookRetryDelay(1, 10 * 60_000, options)).toBe(60_000);
    expect(webhookRetryDelay(3, 100, options)).toBe(2000);
  });
});
