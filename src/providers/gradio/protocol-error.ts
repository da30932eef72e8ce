import { ResponseParseError } from '../../core/errors.js';
import type { GradioErrorContext } from './gradio-error.js';

/** An answer that breaks the Gradio protocol: `gradio "x" sent <what>`. */
export function protocolError(
  context: GradioErrorContext,
  what: string,
  cause?: unknown,
): ResponseParseError {
  return new ResponseParseError(`${context.speaker} sent ${what}`, {
    provider: context.provider,
    cause,
  });
}
