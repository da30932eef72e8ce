import { UpstreamError } from '../../core/errors.js';
import { readServerSentEvents } from '../../http/server-sent-events.js';
import type { GradioEndpoint } from './gradio-app-config.js';
import type { GradioClient, GradioRequestOptions } from './gradio-client.js';
import type { GradioEvent } from './gradio-event.js';
import { mapCallEvent } from './map-call-event.js';
import { cancelJob } from './queue-job.js';
import { readEventId } from './read-event-id.js';

/**
 * Runs a function through the simple call API (Gradio 4.20+): `POST {prefix}/call/{name}`
 * with the data alone, then `GET {prefix}/call/{name}/{event_id}` with `generating`,
 * `complete`, `error` and `heartbeat` events. Gradio keeps such a job in a session named
 * by its event id, and forgets the session when its stream closes: the stream is read
 * once, and one that breaks or ends without `complete` or `error` is a retryable upstream
 * error. A job left early is canceled at the app.
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
  // A session_hash of our own would file the job where the result stream does not look.
  const posted = await client.post(path, { data }, options);
  const eventId = await readEventId(posted, context, 'accepted the call');
  // Until the app says the job ended, leaving means canceling it there.
  let ended = false;
  try {
    const stream = await client.stream(`${path}/${encodeURIComponent(eventId)}`, {
      signal: options.signal,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    for await (const { event, data: text } of readServerSentEvents(stream.body)) {
      ended ||= event === 'complete' || event === 'error';
      const mapped = mapCallEvent(event, text, context);
      if (mapped === undefined) continue;
      yield mapped;
      if (mapped.type === 'output' && mapped.final) return;
    }
    throw new UpstreamError(
      `${context.speaker} ended the result stream before the job finished`,
      { provider: context.provider, retryable: true },
    );
  } finally {
    // `/cancel` finds the job by session and event id; here both are the event id.
    if (!ended) await cancelJob(client, endpoint, eventId, eventId);
  }
}
