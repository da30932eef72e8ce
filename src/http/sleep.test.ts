import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CanceledError } from '../core/errors.js';
import { sleep } from './sleep.js';

describe('sleep', () => {
  it('resolves after roughly the given time', async () => {
    const started = performance.now();
    await sleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('removes its abort listener once the wait is over', async () => {
    const controller = new AbortController();
    await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    await expect(sleep(10_000, AbortSignal.abort())).rejects.toBeInstanceOf(
      CanceledError,
    );
  });

  it('rejects when aborted while waiting, long before the delay', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 10);
    await expect(sleep(10_000, controller.signal)).rejects.toBeInstanceOf(CanceledError);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
