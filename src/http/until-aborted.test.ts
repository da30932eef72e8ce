import { describe, expect, it } from 'vitest';
import { untilAborted } from './until-aborted.js';

describe('untilAborted', () => {
  it('passes the result on when the signal does not abort', async () => {
    await expect(
      untilAborted(Promise.resolve(7), new AbortController().signal),
    ).resolves.toBe(7);
    await expect(
      untilAborted(Promise.reject(new Error('no')), new AbortController().signal),
    ).rejects.toThrow('no');
  });

  it('stops waiting with a canceled error when the signal aborts, leaving the work alone', async () => {
    let finish: (value: number) => void = () => {};
    const work = new Promise<number>((resolve) => {
      finish = resolve;
    });
    const controller = new AbortController();
    const waiting = untilAborted(work, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'canceled' });
    finish(3);
    await expect(work).resolves.toBe(3);
  });

  it('refuses at once for a signal that already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      untilAborted(Promise.resolve(1), controller.signal),
    ).rejects.toMatchObject({ code: 'canceled' });
  });
});
