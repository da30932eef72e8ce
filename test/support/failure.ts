import { expect } from 'vitest';

/** The reason a promise rejects with, and how long that took; a fulfilment fails the test. */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ error: unknown; elapsedMs: number }> {
  const started = performance.now();
  const error = await promise.then(
    () => expect.fail('expected a rejection'),
    (reason: unknown) => reason,
  );
  return { error, elapsedMs: performance.now() - started };
}
