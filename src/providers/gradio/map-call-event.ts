import type { GenRelayError } from '../../core/errors.js';
import { callErrorSchema } from './gradio-api.js';
import { errorFromGradio, type GradioErrorContext } from './gradio-error.js';
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
      throw appFailure(data, context);
    default:
      // `heartbeat`, and events a later Gradio may add.
      return undefined;
  }
}

function values(data: string, context: GradioErrorContext): unknown[] {
  const parsed = parseJson(data, context);
  if (!Array.isArray(parsed)) {
    throw protocolError(context, 'a result that is not a list');
  }
  return parsed;
}

/** 4.x and 5.x drop the message (`data: null`); 6.13+ send the error object. */
function appFailure(data: string, context: GradioErrorContext): GenRelayError {
  const parsed = callErrorSchema.safeParse(parseJson(data, context));
  if (!parsed.success) {
    throw protocolError(context, 'an error of an unexpected shape');
  }
  const detail = parsed.data;
  if (detail === null) {
    return errorFromGradio(
      'the call failed (the call API does not say why)',
      null,
      context,
    );
  }
  if (typeof detail === 'string') return errorFromGradio(detail, null, context);
  return errorFromGradio(detail.error, detail.title, context);
}

function parseJson(data: string, context: GradioErrorContext): unknown {
  try {
    return JSON.parse(data);
  } catch (error) {
    throw protocolError(
      context,
      `an event that is not JSON: ${data.slice(0, 80)}`,
      error,
    );
  }
}
