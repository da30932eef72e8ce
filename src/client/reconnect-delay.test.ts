import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './reconnect-delay.js';

const settings = { initialDelayMs: 100, maxDelayMs: 1000 };

describe('reconnectDelay', () => {
  it('doubles from the initial delay up to the maximum', () => {
    const longest = (attempt: number) => reconnectDelay(attempt, settings, () => 1);
    expect([0, 1, 2, 3, 4, 10].map(longest)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('waits between half and all of it, at random', () => {
    expect(reconnectDelay(2, settings, () => 0)).toBe(200);
    expect(reconnectDelay(2, settings, () => 0.5)).toBe(300);
  });
});
