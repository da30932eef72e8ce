import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CanceledError, TimeoutError } from '../core/errors.js';
import { startDeadline } from './request-deadline.js';

function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(signal.reason), { once: true }),
  );
}

describe('startDeadline', () => {
  it('aborts with a TimeoutError naming what timed out and the bound', async () => {
    const deadline = startDeadline(undefined, 20, 'request to example.com');
    const reason = await aborted(deadline.signal);
    expect(reason).toBeInstanceOf(TimeoutError);
    expect((reason as Error).message).toBe(
      'request to example.com did not finish within 20 ms',
    );
  });

  it("aborts with a CanceledError when the caller's signal aborts", async () => {
    const caller = new AbortController();
    const deadline = startDeadline(caller.signal, 60_000, 'request');
    caller.abort();
    expect(deadline.signal.reason).toBeInstanceOf(CanceledError);
  });

  it('starts aborted when the caller already gave up', () => {
    const deadline = startDeadline(AbortSignal.abort(), 60_000, 'request');
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(CanceledError);
  });

  it('clear stops the timer', async () => {
    const deadline = startDeadline(undefined, 10, 'request');
    deadline.clear();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(deadline.signal.aborted).toBe(false);
  });

  it("adds one listener to a shared caller's signal, and clear lets go of it", () => {
    const caller = new AbortController();
    const deadlines = Array.from({ length: 100 }, () =>
      startDeadline(caller.signal, 60_000, 'request'),
    );
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    for (const deadline of deadlines.slice(0, 50)) deadline.clear();
    caller.abort();
    const aborted = deadlines.map((deadline) => deadline.signal.aborted);
    expect(aborted.slice(0, 50).some(Boolean)).toBe(false);
    expect(aborted.slice(50).every(Boolean)).toBe(true);
    for (const deadline of deadlines) deadline.clear();
  });
});
