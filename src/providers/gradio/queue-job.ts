import { randomUUID } from 'node:crypto';
import { UpstreamError } from '../../core/errors.js';
import { readServerSentEvents } from '../../http/server-sent-events.js';
import { parseUpstreamJson } from '../upstream-json.js';
import type { GradioAppConfig, GradioEndpoint } from './gradio-app-config.js';
import type { GradioClient, GradioRequestOptions } from './gradio-client.js';
import { upstreamName } from './gradio-error.js';
import type { GradioEvent } from './gradio-event.js';
import { mapQueueMessage } from './map-queue-message.js';
import { readEventId } from './read-event-id.js';

/** A fresh session per job: 32 hex characters, as Gradio's own ids. */
export function newSessionHash(): string {
  return randomUUID().replaceAll('-', '');
}

/**
 * Runs a function through the queue (Gradio 4.9+): `POST {prefix}/queue/join`, then the
 * session's `GET {prefix}/queue/data` stream until the job completes. A job left early
 * (abort, timeout, a failure while it runs) is canceled at the app, so it does not keep
 * a GPU busy for nobody.
 */
export async function* runQueueJob(
  client: GradioClient,
  target: { config: GradioAppConfig; endpoint: GradioEndpoint },
  data: readonly unknown[],
  options: GradioRequestOptions,
): AsyncGenerator<GradioEvent> {
  const { endpoint, config } = target;
  const context = client.errorContext;
  const sessionHash = newSessionHash();
  const joined = await client.post(
    '/queue/join',
    {
      data,
      event_data: null,
      fn_index: endpoint.fnIndex,
      trigger_id: endpoint.triggerId,
      session_hash: sessionHash,
    },
    options,
  );
  const eventId = await readEventId(joined, context, 'joined the queue');
  const state = { eventId, sendsDiffs: config.sendsDiffs };
  // Until the app says the job ended, leaving means canceling it there.
  let ended = false;
  try {
    const stream = await client.stream(
      `/queue/data?session_hash=${encodeURIComponent(sessionHash)}`,
      { signal: options.signal, ...timeout(options) },
    );
    const upstream = upstreamName(context);
    for await (const event of readServerSentEvents(stream.body)) {
      const frame = parseUpstreamJson(upstream, event.data, 'a queue message');
      ended ||= endsJob(frame, eventId);
      const mapped = mapQueueMessage(frame, state, context);
      if (mapped === undefined) continue;
      yield mapped;
      if (mapped.type === 'output' && mapped.final) return;
    }
    throw new UpstreamError(
      `${context.speaker} ended the stream before the job finished`,
      { provider: context.provider, retryable: true },
    );
  } finally {
    if (!ended) await cancelJob(client, endpoint, sessionHash, eventId);
  }
}

function timeout(options: GradioRequestOptions) {
  return options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
}

const endingMessages = new Set(['process_completed', 'close_stream', 'unexpected_error']);

/** Whether the app reports the job over (done, failed, or the stream closing). */
function endsJob(frame: unknown, eventId: string): boolean {
  if (typeof frame !== 'object' || frame === null) return false;
  const { msg, event_id } = frame as { msg?: unknown; event_id?: unknown };
  const ours = event_id === undefined || event_id === null || event_id === eventId;
  return ours && typeof msg === 'string' && endingMessages.has(msg);
}

/** Bound on telling the app to cancel; the caller has already given up. */
const cancelTimeoutMs = 3_000;

/**
 * Best effort: `POST {prefix}/cancel` stops the job at the app (5.x), `POST {prefix}/reset`
 * ends a generator's iteration (4.x). Neither takes the job's signal, which is usually
 * what ended the job.
 */
export async function cancelJob(
  client: GradioClient,
  endpoint: GradioEndpoint,
  sessionHash: string,
  eventId: string,
): Promise<void> {
  const options = {
    signal: AbortSignal.timeout(cancelTimeoutMs),
    timeoutMs: cancelTimeoutMs,
  };
  const send = async (path: string, body: unknown) => {
    const response = await client.post(path, body, options);
    await response.dispose();
  };
  // Failures are ignored: the app also ends the job when it notices the stream is gone.
  await Promise.allSettled([
    send('/cancel', {
      session_hash: sessionHash,
      fn_index: endpoint.fnIndex,
      event_id: eventId,
    }),
    send('/reset', { event_id: eventId }),
  ]);
}
