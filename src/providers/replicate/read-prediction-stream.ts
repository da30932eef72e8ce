import { type GenRelayError, toGenRelayError, UpstreamError } from '../../core/errors.js';
import type { TextPart } from '../../core/stream-part.js';
import { readServerSentEvents } from '../../http/server-sent-events.js';
import { streamEventDataSchema } from './replicate-api.js';
import type { ReplicateUpstream } from './replicate-upstream.js';

/** How a prediction's stream ended. */
export type StreamEnd =
  /** `done`: the prediction finished, all its text was sent. */
  | { kind: 'done' }
  /** `done` with reason `canceled`. */
  | { kind: 'canceled' }
  /** An `error` event, or `done` with reason `error`. */
  | { kind: 'failed'; detail: string }
  /** The connection failed or ended without `done`: polling can carry on from `emitted`. */
  | { kind: 'broken'; emitted: number; error: GenRelayError };

/**
 * Reads `urls.stream`: each `output` event is one text part as it arrives (a token with a
 * newline comes as several `data:` lines, joined again by the reader). Returns how the
 * stream ended; only an abort of `signal` is thrown.
 */
export async function* readPredictionStream(
  upstream: ReplicateUpstream,
  url: string,
  signal: AbortSignal,
  timeoutMs: number,
): AsyncGenerator<TextPart, StreamEnd> {
  let emitted = 0;
  try {
    const response = await upstream.openStream(url, signal, timeoutMs);
    for await (const event of readServerSentEvents(response.body)) {
      if (event.event === 'output') {
        if (event.data === '') continue;
        emitted += event.data.length;
        yield { type: 'text', delta: event.data };
      } else if (event.event === 'error') {
        return { kind: 'failed', detail: eventData(event.data).detail ?? event.data };
      } else if (event.event === 'done') {
        const { reason } = eventData(event.data);
        if (reason === 'canceled') return { kind: 'canceled' };
        if (reason === 'error') return { kind: 'failed', detail: 'the model failed' };
        return { kind: 'done' };
      }
    }
    const error = new UpstreamError(
      `${upstream.describe()} ended the prediction stream before it was done`,
      { provider: upstream.id, retryable: true },
    );
    return { kind: 'broken', emitted, error };
  } catch (error) {
    if (signal.aborted) throw error;
    return { kind: 'broken', emitted, error: toGenRelayError(error) };
  }
}

/** The JSON of an `error` or `done` event; other data (plain text) gives no fields. */
function eventData(data: string): { detail?: string; reason?: string } {
  try {
    const parsed = streamEventDataSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
