import type { StreamPart } from '../../core/stream-part.js';
import { plainText } from './gradio-error.js';
import type { GradioEvent } from './gradio-event.js';

/**
 * The stream part for a job's status event: its queue position, that it started, how far
 * it is, and toasts as reasoning status. Output events are the caller's: only it knows
 * which output holds what.
 */
export function partFromEvent(
  event: Exclude<GradioEvent, { type: 'output' }>,
): StreamPart | undefined {
  switch (event.type) {
    case 'queued':
      return {
        type: 'queued',
        position: event.position,
        ...(event.etaMs === undefined ? {} : { etaMs: event.etaMs }),
      };
    case 'started':
      return { type: 'progress', fraction: 0, message: 'started' };
    case 'progress':
      return {
        type: 'progress',
        ...(event.step === undefined ? {} : { step: event.step }),
        ...(event.total === undefined ? {} : { total: event.total }),
        ...(event.fraction === undefined ? {} : { fraction: event.fraction }),
        ...(event.description === undefined ? {} : { message: event.description }),
      };
    case 'log': {
      const text = plainText(event.message);
      const status = event.title ? `${event.title}: ${text}` : text;
      return status === '' ? undefined : { type: 'reasoning', status };
    }
  }
}
