import { errorFromAbort } from './error-from-abort.js';

/**
 * `promise`, or the abort's error as soon as `signal` aborts; the promise itself goes on.
 * For work shared by several callers: one that gives up stops waiting without stopping
 * the work the others still wait for.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(errorFromAbort(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(errorFromAbort(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
