import { GenRelayError, UpstreamError } from '../../core/errors.js';
import { readServerSentEvents } from '../../http/server-sent-events.js';
import { sleep } from '../../http/sleep.js';
import { eventIdSchema } from './gradio-api.js';
import type { GradioEndpoint } from './gradio-app-config.js';
import type { GradioClient, GradioRequestOptions } from './gradio-client.js';
import type { GradioEvent } from './gradio-event.js';
import { mapCallEvent } from './map-call-event.js';
import { cancelJob, newSessionHash } from './queue-job.js';

/** How often a result stream that ends (or breaks) without a result is read in all. */
const maxReads = 3;
const rereadDelayMs = 200;

/**
 * Runs a function through the simple call API (Gradio 4.20+): `POST {prefix}/call/{name}`,
 * then `GET {prefix}/call/{name}/{event_id}` with `generating`, `complete`, `error` and
 * `heartbeat` events. A stream that ends or breaks without `complete` or `error` is read
 * again a bounded number of times, then reported as an upstream error — never polled
 * forever. A job left early is canceled at the app.
 */
export async function* runCallJob(
  client: GradioClient,
  endpoint: GradioEndpoint,
  data: readonly unknown[],
  options: GradioRequestOptions,
): AsyncGenerator<GradioEvent> {
  const context = client.errorContext;
  if (endpoint.apiName === undefined) {
    throw new UpstreamError(
      `${context.speaker}: fn_index ${endpoint.fnIndex} has no API name to call`,
      { provider: context.provider },
    );
  }
  const path = `/call/${encodeURIComponent(endpoint.apiName)}`;
  const sessionHash = newSessionHash();
  const posted = await client.post(path, { data, session_hash: sessionHash }, options);
  const answer = eventIdSchema.safeParse(await posted.json());
  if (!answer.success) {
    throw new UpstreamError(`${context.speaker} accepted the call without an event_id`, {
      provider: context.provider,
    });
  }
  const eventId = answer.data.event_id;
  const job = { ended: false };
  let lastBreak: GenRelayError | undefined;
  try {
    for (let read = 1; read <= maxReads; read++) {
      if (read > 1) await sleep(rereadDelayMs * (read - 1), options.signal);
      const streamPath = `${path}/${encodeURIComponent(eventId)}`;
      const outcome = yield* readOnce(client, streamPath, options, job);
      if (outcome === 'done') return;
      lastBreak = outcome === 'ended' ? undefined : outcome;
    }
    const reason = lastBreak === undefined ? '' : ` (last: ${lastBreak.message})`;
    throw new UpstreamError(
      `${context.speaker} ended the result stream ${maxReads} times without a result${reason}`,
      { provider: context.provider, retryable: true, cause: lastBreak },
    );
  } finally {
    if (!job.ended) await cancelJob(client, endpoint, sessionHash, eventId);
  }
}

/**
 * One read of the result stream: `done` after `complete`, `ended` when it ended without
 * a result, or the error that broke it. The app's own failures are thrown.
 */
async function* readOnce(
  client: GradioClient,
  path: string,
  options: GradioRequestOptions,
  job: { ended: boolean },
): AsyncGenerator<GradioEvent, 'done' | 'ended' | GenRelayError> {
  const { signal, timeoutMs } = options;
  let events: AsyncGenerator<{ event?: string; data: string }> | undefined;
  try {
    const stream = await client.stream(path, {
      signal,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    events = readServerSentEvents(stream.body);
    for (;;) {
      const next = await events.next();
      if (next.done) return 'ended';
      const { event, data } = next.value;
      // After `complete` or `error` the job is over at the app: nothing to re-read or cancel.
      if (event === 'complete' || event === 'error') job.ended = true;
      const mapped = mapCallEvent(event, data, client.errorContext);
      if (mapped === undefined) continue;
      yield mapped;
      if (mapped.type === 'output' && mapped.final) return 'done';
    }
  } catch (error) {
    if (!job.ended && isBroken(error)) return error;
    throw error;
  } finally {
    await events?.return(undefined);
  }
}

/** A connection that broke or a 5xx: worth reading again. */
function isBroken(error: unknown): error is GenRelayError {
  return (
    GenRelayError.isInstance(error) && error.code === 'upstream_error' && error.retryable
  );
}
