import type { IncomingMessage, ServerResponse } from 'node:http';
import { jobScript, type SpaceJob } from './job-script.js';
import { openEventStream, sendDetail, sendJson } from './space-http.js';
import type { QueueSession, SpaceState } from './space-state.js';

/** `POST {prefix}/queue/join`: queues a job of the session, answers its event id. */
export function handleJoin(
  state: SpaceState,
  request: IncomingMessage,
  response: ServerResponse,
  body: unknown,
): void {
  const join = body as {
    data?: unknown;
    fn_index?: unknown;
    session_hash?: unknown;
  } | null;
  if (typeof join?.session_hash !== 'string') {
    sendDetail(response, 400, 'Session hash not found.');
    return;
  }
  if (join.fn_index !== state.app.fnIndex) {
    // Gradio fails with an uncaught KeyError here.
    response.writeHead(500, { 'content-type': 'text/plain' });
    response.end('Internal Server Error');
    return;
  }
  if (!Array.isArray(join.data) || join.data.length !== state.app.inputs.length) {
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
  const job: SpaceJob = {
    eventId: state.nextEventId(),
    sessionHash: join.session_hash,
    data: join.data,
    scenario,
    stop: new AbortController(),
  };
  const session = state.sessions.get(job.sessionHash) ?? { jobs: [] };
  state.sessions.set(job.sessionHash, session);
  session.jobs.push(job);
  sendJson(response, 200, { event_id: job.eventId });
  if (session.stream) void runJob(state, session, job);
}

/** `GET {prefix}/queue/data?session_hash=`: every message of the session's jobs. */
export function handleQueueData(
  state: SpaceState,
  response: ServerResponse,
  sessionHash: string | null,
): void {
  openEventStream(response);
  const session = sessionHash === null ? undefined : state.sessions.get(sessionHash);
  if (session === undefined) {
    write(response, {
      msg: 'unexpected_error',
      event_id: null,
      message: '404: Not Found',
      session_not_found: true,
      success: false,
    });
    response.end();
    return;
  }
  session.stream = response;
  response.on('close', () => {
    // The client left: its jobs stop, as Gradio cancels a disconnected session's events.
    for (const job of session.jobs) job.stop.abort();
  });
  for (const job of session.jobs) void runJob(state, session, job);
}

/**
 * `POST {prefix}/cancel` and `POST {prefix}/reset`: stop the job the body names. `/cancel`
 * looks in the session it names, as Gradio does (a call API job's session is named by its
 * event id); `/reset` names the event alone.
 */
export function handleCancel(
  state: SpaceState,
  response: ServerResponse,
  body: unknown,
): void {
  const named = body as { event_id?: unknown; session_hash?: unknown } | null;
  const eventId = named?.event_id;
  if (typeof eventId === 'string') {
    state.cancellations.push(eventId);
    for (const job of jobsOf(state, named?.session_hash)) {
      if (job.eventId === eventId) job.stop.abort();
    }
  }
  sendJson(response, 200, { success: true });
}

/** The jobs of a session (queue and call API), or of every session when none is named. */
function jobsOf(state: SpaceState, sessionHash: unknown): SpaceJob[] {
  if (typeof sessionHash !== 'string') {
    const queued = [...state.sessions.values()].flatMap((session) => session.jobs);
    return [...queued, ...state.calls.values()];
  }
  const call = state.calls.get(sessionHash);
  return [...(state.sessions.get(sessionHash)?.jobs ?? []), ...(call ? [call] : [])];
}

async function runJob(state: SpaceState, session: QueueSession, job: SpaceJob) {
  const stream = session.stream;
  if (stream === undefined || job.started) return;
  job.started = true;
  let finished = false;
  for await (const step of jobScript(job, state.script)) {
    if (stream.destroyed) return;
    if ('cut' in step) {
      stream.destroy();
      return;
    }
    if ('end' in step) {
      write(stream, { msg: 'close_stream', event_id: null });
      stream.end();
      return;
    }
    if ('malformed' in step) {
      stream.write(`data: ${step.malformed}\n\n`);
      continue;
    }
    write(stream, { ...step.message, event_id: job.eventId });
    const { msg } = step.message;
    finished = msg === 'process_completed' || msg === 'unexpected_error';
  }
  if (!finished && job.stop.signal.aborted && !stream.destroyed) {
    // `/cancel` completes the job with an empty output.
    write(stream, {
      msg: 'process_completed',
      event_id: job.eventId,
      output: {},
      success: true,
    });
  }
  session.jobs = session.jobs.filter((other) => other !== job);
  if (session.jobs.length === 0 && !stream.destroyed) {
    write(stream, { msg: 'close_stream', event_id: null });
    stream.end();
    state.sessions.delete(job.sessionHash);
  }
}

function write(stream: ServerResponse, message: Record<string, unknown>): void {
  stream.write(`data: ${JSON.stringify(message)}\n\n`);
}
