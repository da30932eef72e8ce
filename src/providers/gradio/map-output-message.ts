import { CanceledError } from '../../core/errors.js';
import { applyDiff, isDiff } from './apply-diff.js';
import type { QueueMessage } from './gradio-api.js';
import { errorFromGradio, type GradioErrorContext } from './gradio-error.js';
import type { GradioEvent } from './gradio-event.js';
import type { QueueReadState } from './map-queue-message.js';
import { protocolError } from './protocol-error.js';

/**
 * The event of a `process_generating`, `process_streaming` or `process_completed`
 * message: the output values (a generator's diffs applied), or the app's failure thrown.
 */
export function outputEvent(
  message: Extract<QueueMessage, { output: unknown }>,
  state: QueueReadState,
  context: GradioErrorContext,
): GradioEvent {
  const { output } = message;
  // Gradio's own client treats any output with an `error` key as a failure.
  if ('error' in output || message.success === false) {
    throw errorFromGradio(output.error, output.title ?? message.title, context);
  }
  const final = message.msg === 'process_completed';
  if (output.data === undefined) {
    // `/cancel` completes a job with an empty output.
    if (final) {
      throw new CanceledError(`${context.speaker} canceled the job`, {
        provider: context.provider,
      });
    }
    throw protocolError(context, `a "${message.msg}" message without data`);
  }
  if (final) return { type: 'output', final, data: output.data };
  const data = state.sendsDiffs
    ? withDiffs(state.outputs, output.data, context)
    : output.data;
  state.outputs = data;
  return { type: 'output', final, data };
}

/**
 * Full values from a generator update. Gradio sends full values first and diffs after;
 * a first update that is already a (non-empty) diff is applied to nothing.
 */
function withDiffs(
  previous: unknown[] | undefined,
  values: unknown[],
  context: GradioErrorContext,
): unknown[] {
  return values.map((value, index) => {
    const first = previous === undefined;
    if (first && !(isDiff(value) && value.length > 0)) return value;
    if (!isDiff(value))
      throw protocolError(context, 'a generator update that is not a diff');
    try {
      return applyDiff(previous?.[index], value);
    } catch (error) {
      throw protocolError(context, 'a generator diff it cannot apply', error);
    }
  });
}
