import { TimeoutError } from '../../core/errors.js';
import { startDeadline } from '../../http/request-deadline.js';

/** The bounds of one generation, as one signal to hand to every upstream call. */
export interface GenerationDeadline {
  /** Aborts with a TimeoutError when a bound runs out, or with the caller's abort. */
  readonly signal: AbortSignal;
  /** Starts (or restarts) the idle bound: call it whenever real progress arrives. */
  touch(): void;
  /**
   * Stops the timers, lets go of the caller's signal and aborts the signal if it is not
   * yet: whatever still runs under it (a sibling image download) is no longer wanted.
   */
  clear(): void;
}

export interface DeadlineOptions {
  totalMs: number;
  idleMs: number;
  /** Names the generation in timeout messages. */
  what: string;
}

/**
 * A total bound for the whole generation plus an idle bound on progress. The HTTP
 * client's own idle timeout cannot see a stuck chat-ui: its keep-alive lines arrive every
 * 100 ms whether anything happens or not. The idle bound starts at the first `touch()`.
 */
export function startGenerationDeadline(
  callerSignal: AbortSignal,
  options: DeadlineOptions,
): GenerationDeadline {
  const controller = new AbortController();
  const total = startDeadline(callerSignal, options.totalMs, options.what);
  let idle: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(idle);
    total.clear();
  };
  const onTotal = () => {
    controller.abort(total.signal.reason);
    stop();
  };
  if (total.signal.aborted) onTotal();
  else total.signal.addEventListener('abort', onTotal, { once: true });
  return {
    signal: controller.signal,
    touch() {
      if (stopped) return;
      clearTimeout(idle);
      idle = setTimeout(() => {
        controller.abort(
          new TimeoutError(
            `${options.what} made no progress for ${options.idleMs} ms (keep-alives do not count)`,
          ),
        );
        stop();
      }, options.idleMs);
      idle.unref();
    },
    clear() {
      total.signal.removeEventListener('abort', onTotal);
      stop();
      if (!controller.signal.aborted) controller.abort();
    },
  };
}
