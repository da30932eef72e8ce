import { errorFromAbort } from './error-from-abort.js';

/**
 * Wait `ms` milliseconds. Aborting the signal rejects at once with the abort's error
 * (see errorFromAbort) and clears the timer, so an abandoned wait holds nothing.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(errorFromAbort(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      if (signal) reject(errorFromAbort(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
