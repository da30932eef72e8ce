import { UpstreamError } from '../../core/errors.js';
import type { HttpResponse } from '../../http/http-client.js';
import { parseUpstreamJson } from '../upstream-json.js';
import { eventIdSchema } from './gradio-api.js';
import { type GradioErrorContext, upstreamName } from './gradio-error.js';

/**
 * The `event_id` a job was started with (`POST {prefix}/queue/join`, `POST
 * {prefix}/call/{name}`). An answer without one is an UpstreamError saying what the app
 * did: `gradio "x" joined the queue without an event_id`.
 */
export async function readEventId(
  response: HttpResponse,
  context: GradioErrorContext,
  whatItDid: string,
): Promise<string> {
  const body = parseUpstreamJson(
    upstreamName(context),
    await response.text(),
    'an answer',
  );
  const answer = eventIdSchema.safeParse(body);
  if (!answer.success) {
    throw new UpstreamError(`${context.speaker} ${whatItDid} without an event_id`, {
      provider: context.provider,
    });
  }
  return answer.data.event_id;
}
