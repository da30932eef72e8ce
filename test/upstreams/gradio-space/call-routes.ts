import type { IncomingMessage, ServerResponse } from 'node:http';
import { jobScript } from './job-script.js';
import { openEventStream, sendDetail, sendJson } from './space-http.js';
import type { SpaceState } from './space-state.js';

/**
 * `POST {prefix}/call/{name}`: starts a job, answers its event id. As in Gradio, the job
 * belongs to the session the body names, else to a session named by its event id.
 */
export function handleCallPost(
  state: SpaceState,
  request: IncomingMessage,
  response: ServerResponse,
  name: string,
  body: unknown,
): void {
  if (name !== state.app.apiName) {
    sendDetail(response, 404, `No API endpoint named /${name}`);
    return;
  }
  const call = body as { data?: unknown; session_hash?: unknown } | null;
  if (!Array.isArray(call?.data) || call.data.length !== state.app.inputs.length) {
    sendDetail(response, 422, `expected ${state.app.inputs.length} inputs`);
    return;
  }
  const scenario = state.scenarioFor(request.headers);
  if (scenario.kind === 'queue-full') {
    sendDetail(response, 503, 'Queue is full. Max size is 1 and size is 1.');
    return;
  }
  if (scenario.kind === 'join-without-event-id') {
    sendJson(response, 200, {});
    return;
  }
  const eventId = state.nextEventId();
  const sessionHash = typeof call.session_hash === 'string' ? call.session_hash : eventId;
  state.calls.set(sessionHash, {
    eventId,
    sessionHash,
    data: call.data,
    scenario,
    stop: new AbortController(),
  });
  sendJson(response, 200, { event_id: eventId });
}

/**
 * `GET {prefix}/call/{name}/{event_id}`: the job's result as `event:`/`data:` frames.
 * Gradio reads the session named by the event id, so a job posted under another session
 * is not found. Status messages are not forwarded; generators send full values. Once the
 * stream closes, however it closes, the session is gone: it cannot be read again.
 */
export async function handleCallStream(
  state: SpaceState,
  response: ServerResponse,
  eventId: string,
): Promise<void> {
  openEventStream(response);
  const job = state.calls.get(eventId);
  if (job === undefined) {
    send(response, 'error', '404: Session not found.');
    response.end();
    return;
  }
  response.on('close', () => {
    // The client left or the stream ended: Gradio cleans the session's events up.
    job.stop.abort();
    state.calls.delete(eventId);
  });
  for await (const step of jobScript(job, state.script)) {
    if (response.destroyed) return;
    if ('cut' in step) return void response.destroy();
    if ('end' in step) break;
    if ('malformed' in step) {
      response.write(`event: complete\ndata: ${step.malformed}\n\n`);
      continue;
    }
    const { message } = step;
    if (message.msg === 'heartbeat') send(response, 'heartbeat', null);
    if (message.msg === 'process_generating')
      send(response, 'generating', step.fullOutput);
    if (message.msg === 'unexpected_error') {
      send(response, 'error', message.message);
      break;
    }
    if (message.msg === 'process_completed') {
      const output = message.output as { data?: unknown[] };
      // Gradio 4.x and 5.x lose the error message on this API: `data: null`.
      if (message.success) send(response, 'complete', output.data);
      else send(response, 'error', null);
      break;
    }
  }
  response.end();
}

function send(response: ServerResponse, event: string, data: unknown): void {
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
