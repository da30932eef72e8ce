import { CanceledError, type GenRelayError, UpstreamError } from '../../core/errors.js';
import type { UpstreamName } from '../upstream-json.js';
import { lastLogLines } from './prediction-logs.js';
import type { Prediction } from './replicate-api.js';

/** Replicate's `error` is whatever the model raised; a traceback can be long. */
const maxErrorLength = 500;

/** A failed prediction: Replicate's `error` and the last lines of its logs. */
export function failedError(
  prediction: Pick<Prediction, 'id' | 'error' | 'logs'>,
  upstream: UpstreamName,
): UpstreamError {
  const logs = lastLogLines(prediction.logs);
  const tail = logs === '' ? '' : ` (last log lines: ${logs})`;
  const reason = describeError(prediction.error);
  return new UpstreamError(
    `${upstream.describe()} prediction ${prediction.id} failed: ${reason}${tail}`,
    { provider: upstream.id },
  );
}

/** A prediction ended by someone else (`canceled`), or before it started (`aborted`). */
export function canceledError(id: string, upstream: UpstreamName, aborted = false) {
  const how = aborted ? 'was aborted before it started' : 'was canceled upstream';
  return new CanceledError(`${upstream.describe()} prediction ${id} ${how}`, {
    provider: upstream.id,
  });
}

/** The error a finished prediction stands for; undefined when it succeeded or runs on. */
export function predictionFailure(
  prediction: Prediction,
  upstream: UpstreamName,
): GenRelayError | undefined {
  switch (prediction.status) {
    case 'failed':
      return failedError(prediction, upstream);
    case 'canceled':
      return canceledError(prediction.id, upstream);
    case 'aborted':
      return canceledError(prediction.id, upstream, true);
    default:
      return undefined;
  }
}

function describeError(error: unknown): string {
  if (error === null || error === undefined) return 'no reason given';
  const text = typeof error === 'string' ? error.trim() : JSON.stringify(error);
  if (text === '') return 'no reason given';
  return text.length > maxErrorLength ? `${text.slice(0, maxErrorLength)}…` : text;
}
