import { TimeoutError } from '../core/errors.js';
import { errorFromAbort } from './error-from-abort.js';

/** One request's abort signal: the caller's signal and the total timeout in one. */
export interface RequestDeadline {
  readonly signal: AbortSignal;
  /** Stop the timer and let go of the caller's signal. Safe to call more than once. */
  clear(): void;
}

/** What to do when a caller's signal aborts, per signal; one listener serves them all. */
const followers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Run `onAbort` when `signal` aborts, until the returned function is called. Not
 * `AbortSignal.any`: on Node 20 a long-lived caller signal (a worker's shutdown signal)
 * keeps an entry per combined signal forever (nodejs/node#55351). Not a listener per
 * request either: thousands of concurrent requests on one signal would trip Node's
 * listener-leak warning and make each add and remove slower.
 */
function follow(signal: AbortSignal, onAbort: () => void): () => void {
  let group = followers.get(signal);
  if (group === undefined) {
    const created = new Set<() => void>();
    group = created;
    followers.set(signal, created);
    signal.addEventListener('abort', () => {
      for (const follower of created) follower();
      created.clear();
    });
  }
  group.add(onAbort);
  return () => group.delete(onAbort);
}

/**
 * Start the clock for one request. The signal aborts with a TimeoutError naming `what`
 * and the bound when time runs out, or with the caller's error (see errorFromAbort) when
 * the caller aborts; undici and fetch reject with that reason as it is.
 */
export function startDeadline(
  callerSignal: AbortSignal | undefined,
  timeoutMs: number,
  what: string,
): RequestDeadline {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new TimeoutError(`${what} did not finish within ${timeoutMs} ms`));
    clear();
  }, timeoutMs);
  // The socket keeps the process alive while it matters; the timer alone should not.
  timer.unref();
  let unfollow: (() => void) | undefined;
  function clear() {
    clearTimeout(timer);
    unfollow?.();
  }
  if (callerSignal?.aborted) {
    controller.abort(errorFromAbort(callerSignal));
    clear();
  } else if (callerSignal) {
    unfollow = follow(callerSignal, () => {
      controller.abort(errorFromAbort(callerSignal));
      clear();
    });
  }
  return { signal: controller.signal, clear };
}
