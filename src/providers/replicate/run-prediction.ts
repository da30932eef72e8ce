import { type GenRelayError, TimeoutError } from '../../core/errors.js';
import type { StreamPart } from '../../core/stream-part.js';
import { startDeadline } from '../../http/request-deadline.js';
import { followPrediction } from './follow-prediction.js';
import { canceledError, failedError, predictionFailure } from './prediction-failure.js';
import type { PredictionTarget } from './prediction-target.js';
import { readPredictionStream } from './read-prediction-stream.js';
import { type Prediction, terminalStatuses } from './replicate-api.js';
import type { ReplicateSettings } from './replicate-settings.js';
import type { ReplicateUpstream } from './replicate-upstream.js';

/** One prediction to run. */
export interface PredictionJob {
  target: PredictionTarget;
  input: Record<string, unknown>;
  /** A text model: its output is yielded as text parts while it grows. */
  text: boolean;
  /** Read `urls.stream` (text as it is generated) instead of holding the create open. */
  stream: boolean;
}

export type RunSettings = Pick<
  ReplicateSettings,
  'waitSeconds' | 'timeoutMs' | 'pollIntervalMs' | 'maxPollIntervalMs'
>;

/**
 * Creates a prediction and follows it to its end within `timeoutMs`: by its stream for
 * streamed text (falling back to polling if the stream breaks), else by `Prefer: wait`
 * and then polling. Yields text and progress parts. Returns the last state read of a
 * prediction that succeeded (for streamed text the created one, as its text has gone out
 * already), and throws the typed error of any other end. A prediction left before its end
 * (the caller aborted, the bound ran out, the consumer stopped) is canceled upstream.
 */
export async function* runPrediction(
  upstream: ReplicateUpstream,
  job: PredictionJob,
  settings: RunSettings,
  signal: AbortSignal,
): AsyncGenerator<StreamPart, Prediction> {
  const what = `${upstream.describe()} prediction`;
  const deadline = startDeadline(signal, settings.timeoutMs, what);
  let prediction: Prediction | undefined;
  let ended = false;
  try {
    prediction = await upstream.create(job.target, job.input, {
      waitSeconds: job.stream ? 0 : heldSeconds(settings),
      cancelAfterSeconds: Math.ceil(settings.timeoutMs / 1000),
      signal: deadline.signal,
      timeoutMs: settings.timeoutMs,
    });
    let emitted = 0;
    const streamUrl = prediction.urls?.stream;
    if (job.stream && streamUrl && !terminalStatuses.has(prediction.status)) {
      const end = yield* readPredictionStream(
        upstream,
        streamUrl,
        deadline.signal,
        settings.timeoutMs,
      );
      if (end.kind !== 'broken') {
        ended = true;
        if (end.kind === 'done') return prediction;
        throw await streamFailure(upstream, prediction, end, deadline.signal);
      }
      upstream.logger.warn(
        { provider: upstream.id, prediction: prediction.id, error: end.error.message },
        'the Replicate stream broke off; following the prediction by polling',
      );
      emitted = end.emitted;
    }
    const final = yield* followPrediction(upstream, prediction, {
      settings,
      signal: deadline.signal,
      textFrom: job.text ? emitted : undefined,
    });
    ended = true;
    const failure = predictionFailure(final, upstream);
    if (failure !== undefined) throw failure;
    return final;
  } catch (error) {
    if (deadline.signal.aborted && !signal.aborted && prediction !== undefined) {
      throw new TimeoutError(
        `${what} ${prediction.id} did not finish within ${settings.timeoutMs} ms and was canceled`,
        { provider: upstream.id, cause: error },
      );
    }
    throw error;
  } finally {
    deadline.clear();
    if (prediction !== undefined && !ended) await upstream.cancel(prediction.id);
  }
}

/**
 * How long the create may be held: at most half the bound, since a prediction can only
 * be canceled once the create has answered with its id.
 */
function heldSeconds(settings: RunSettings): number {
  return Math.min(settings.waitSeconds, Math.floor(settings.timeoutMs / 2_000));
}

/**
 * The error for a stream that ended in failure or cancellation. The prediction is read
 * once more for its `error` and logs; the stream's own detail serves when that fails.
 */
async function streamFailure(
  upstream: ReplicateUpstream,
  prediction: Prediction,
  end: { kind: 'canceled' } | { kind: 'failed'; detail: string },
  signal: AbortSignal,
): Promise<GenRelayError> {
  const latest = await upstream.get(prediction.id, signal).catch(() => undefined);
  const failure = latest === undefined ? undefined : predictionFailure(latest, upstream);
  if (failure !== undefined) return failure;
  return end.kind === 'canceled'
    ? canceledError(prediction.id, upstream)
    : failedError({ id: prediction.id, error: end.detail, logs: null }, upstream);
}
