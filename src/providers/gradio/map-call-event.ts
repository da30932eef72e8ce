import type { GenRelayError } from '../../core/errors.js';
import { parseUpstreamJson, validateUpstream } from '../upstream-json.js';
import { callErrorSchema } from './gradio-api.js';
import {
  errorFromGradio,
  type GradioErrorContext,
  unexpectedError,
  upstreamName,
} from './gradio-error.js';
import type { GradioEvent } from './gradio-event.js';
import { protocolError } from './protocol-error.js';

/**
 * One event of a call API result stream: output values for `generating` and `complete`,
 * the app's failure thrown for `error`, nothing for `heartbeat` and unknown events.
 */
export function mapCallEvent(
  name: string | undefined,
  data: string,
  context: GradioErrorContext,
): GradioEvent | undefined {
  switch (name) {
    case 'generating':
    case 'complete':
      return { type: 'output', final: name === 'complete', data: values(data, context) };
    case 'error':
      throw failure(data, context);
    default:
      // `heartbeat`, and events a later Gradio may add.
      return undefined;
  }
}

function values(data: string, context: GradioErrorContext): unknown[] {
  const parsed = parseUpstreamJson(upstreamName(context), data, 'an event');
  if (!Array.isArray(parsed)) {
    throw protocolError(context, 'a result that is not a list');
  }
  return parsed;
}

/**
 * 4.x and 5.x drop the app's message (`data: null`); 6.13+ send the error object. A
 * string is the server's own failure (`unexpected_error`), as on the queue.
 */
function failure(data: string, context: GradioErrorContext): GenRelayError {
  const upstream = upstreamName(context);
  const parsed = parseUpstreamJson(upstream, data, 'an event');
  const detail = validateUpstream(upstream, callErrorSchema, parsed, 'error event');
  if (detail === null) {
    return errorFromGradio(
      'the call failed (the call API does not say why)',
      null,
      context,
    );
  }
  if (typeof detail === 'string') return unexpectedError(detail, context);
  return errorFromGradio(detail.error, detail.title, context);
}
