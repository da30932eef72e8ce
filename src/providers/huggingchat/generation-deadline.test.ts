import { describe, expect, it } from 'vitest';
import { errorFromAbort } from '../../http/error-from-abort.js';
import { startGenerationDeadline } from './generation-deadline.js';

const aborted = (signal: AbortSignal) =>
  new Promise<number>((resolve) => {
    const started = Date.now();
    signal.addEventListener('abort', () => resolve(Date.now() - started), { once: true });
  });

describe('startGenerationDeadline', () => {
  it('times out after the idle bound once progress is being watched, unless touched', async () => {
    const deadline = startGenerationDeadline(new AbortController().signal, {
      totalMs: 5_000,
      idleMs: 80,
      what: 'the reply',
    });
    deadline.touch();
    const touching = setInterval(() => deadline.touch(), 20);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(deadline.signal.aborted).toBe(false);
    clearInterval(touching);
    expect(await aborted(deadline.signal)).toBeLessThan(1_000);
    expect(errorFromAbort(deadline.signal)).toMatchObject({
      code: 'timeout',
      message: 'the reply made no progress for 80 ms (keep-alives do not count)',
    });
  });

  it('times out after the total bound, and follows the caller’s abort', async () => {
    const total = startGenerationDeadline(new AbortController().signal, {
      totalMs: 50,
      idleMs: 5_000,
      what: 'the reply',
    });
    await aborted(total.signal);
    expect(errorFromAbort(total.signal)).toMatchObject({ code: 'timeout' });
    const caller = new AbortController();
    const followed = startGenerationDeadline(caller.signal, {
      totalMs: 5_000,
      idleMs: 5_000,
      what: 'x',
    });
    caller.abort();
    expect(errorFromAbort(followed.signal)).toMatchObject({ code: 'canceled' });
    followed.clear();
  });

  it('aborts what still runs under it when cleared, keeping an earlier reason', async () => {
    const deadline = startGenerationDeadline(new AbortController().signal, {
      totalMs: 5_000,
      idleMs: 5_000,
      what: 'the reply',
    });
    let siblingStopped = false;
    deadline.signal.addEventListener('abort', () => {
      siblingStopped = true;
    });
    deadline.clear();
    expect(siblingStopped).toBe(true);
    expect(errorFromAbort(deadline.signal)).toMatchObject({ code: 'canceled' });
    const timedOut = startGenerationDeadline(new AbortController().signal, {
      totalMs: 20,
      idleMs: 5_000,
      what: 'the reply',
    });
    await aborted(timedOut.signal);
    timedOut.clear();
    expect(errorFromAbort(timedOut.signal)).toMatchObject({ code: 'timeout' });
  });
});
