import { randomUUID } from 'node:crypto';
import type { JobSubmission } from '../balancer/balancer.js';
import { anonymousUser } from '../balancer/job.js';
import { jobWork } from '../balancer/job-work.js';
import { laneName } from '../balancer/lane-name.js';
import { CanceledError, errorFromCode, UpstreamError } from '../core/errors.js';
import type { GenerationRequest } from '../core/generation-request.js';
import type { JsonValue } from '../core/json.js';
import type { StreamPart } from '../core/stream-part.js';
import type { ServerDependencies } from './server-dependencies.js';

/** Who an OpenAI-style request is for: the service that sent it and its end user. */
export interface RequestOwner {
  service: string;
  userId: string;
  premium: boolean;
}

/**
 * The owner of an OpenAI-style request: the end user from the body's `user` or the
 * `X-GenRelay-User` header; premium from `X-GenRelay-Premium: true`. Requests that name
 * no user share one turn of their service (`anonymousUser`), without the per-user caps.
 */
export function requestOwner(
  service: string,
  user: string | undefined,
  header: (name: string) => string | undefined,
): RequestOwner {
  return {
    service,
    userId: user ?? header('x-genrelay-user') ?? anonymousUser,
    premium: /^(1|true|yes)$/i.test(header('x-genrelay-premium') ?? ''),
  };
}

/**
 * Runs an OpenAI-style request as a job of the queue, like any other: it waits its turn
 * (its `queued` parts say where it stands), runs, and its parts come back as they would
 * from the router. A caller that goes away cancels the job.
 */
export async function* queuedGeneration(
  dependencies: ServerDependencies,
  request: GenerationRequest,
  owner: RequestOwner,
  signal: AbortSignal,
): AsyncGenerator<StreamPart> {
  await dependencies.checkRoute(request, signal);
  const kind = request.kind === 'chat' ? 'chat' : 'text2img';
  // OpenAI requests cannot ask for moderation: they get it when the server forces it.
  await dependencies.moderate(kind, moderationPayload(request), false, signal);
  const payload = request as unknown as JsonValue;
  const submission: JobSubmission = {
    service: owner.service,
    userId: owner.userId,
    tier: owner.premium ? 'premium' : 'general',
    kind,
    lane: laneName.model(kind, request.model),
    payload,
    work: jobWork(kind, 'model', payload),
  };
  const { balancer } = dependencies;
  if (owner.userId === anonymousUser) {
    const atOnce = await balancer.startUnstored(
      {
        ...submission,
        id: randomUUID(),
        state: 'running',
        attempts: 1,
        createdAt: Date.now(),
      },
      signal,
    );
    if (atOnce !== undefined) {
      yield* atOnce;
      return;
    }
  }
  const { job } = await balancer.submit(submission, { estimate: false });
  let finished = false;
  try {
    for await (const event of await balancer.subscribe(
      job.id,
      owner.service,
      signal,
      job,
    )) {
      if (event.type !== 'state') {
        // The job's own failure is told by its final state, below; others are fallbacks.
        if (event.type !== 'error' || !event.fatal) {
          yield event;
          continue;
        }
        finished = true;
        throw errorFromCode(event.code, event.message, {
          retryable: event.retryable,
          ...(event.retryAfterMs === undefined
            ? {}
            : { retryAfterMs: event.retryAfterMs }),
        });
      }
      if (event.state === 'succeeded') {
        finished = true;
        return;
      }
      if (event.state === 'canceled') {
        finished = true;
        throw new CanceledError('The job was canceled.');
      }
      if (event.state === 'failed') finished = true;
    }
    if (signal.aborted) throw new CanceledError();
    throw new UpstreamError('The job ended without a result');
  } finally {
    // The client left (or the stream broke off) before the end: the job is not wanted.
    if (!finished) await balancer.cancel(job.id, owner.service).catch(() => undefined);
  }
}

/** The texts of a request in the shape moderation reads job payloads in. */
function moderationPayload(request: GenerationRequest): unknown {
  return request.kind === 'chat'
    ? { messages: request.messages }
    : { prompt: request.prompt ?? '' };
}
