import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** The Node objects behind a request, when served by @hono/node-server. */
export interface NodeBindings {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

export function nodeBindings(context: Context): NodeBindings {
  return (context.env ?? {}) as NodeBindings;
}

/**
 * A signal that aborts when the client goes away before the response is complete, and an
 * `abort` for the server's own reasons (a canceled stream). Under Node it listens on the
 * response itself: one AbortController per request, where the web Request's signal would
 * cost a second one (AbortSignals are costly to create on Node 20).
 */
export function requestSignal(context: Context): { signal: AbortSignal; abort(): void } {
  const { outgoing } = nodeBindings(context);
  if (outgoing === undefined) {
    const controller = new AbortController();
    const forward = () => controller.abort();
    const signal = context.req.raw.signal;
    if (signal.aborted) controller.abort();
    else signal.addEventListener('abort', forward, { once: true });
    return { signal: controller.signal, abort: forward };
  }
  const controller = new AbortController();
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) controller.abort();
  });
  return { signal: controller.signal, abort: () => controller.abort() };
}
