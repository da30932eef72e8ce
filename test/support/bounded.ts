import { TimeoutError } from '../../src/core/errors.js';
import { untilAborted } from '../../src/http/until-aborted.js';

/**
 * What `run` returns, or a TimeoutError naming `what` once `ms` have passed. `run`'s signal
 * aborts then too, so a step that overran stops instead of going on behind the next one.
 * The timer is not unref'd: a wait on nothing else that keeps the process alive still
 * ends with this error, not with an unsettled promise.
 */
export async function bounded<T>(
  what: string,
  ms: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new TimeoutError(`${what} took over ${ms} ms`)),
    ms,
  );
  try {
    return await untilAborted(run(controller.signal), controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
