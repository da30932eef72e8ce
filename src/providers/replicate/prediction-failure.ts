import { CanceledError, type GenRelayError, UpstreamError } from '../../core/errors.js';
import { lastLogLines } from './prediction-logs.js';
import type { Prediction } from './replicate-api.js';

const describe = (provider: string, id: string) =>
  `replicate "${provider}" prediction ${id}`;

/** A failed prediction: Replicate's `error` and the last lines of its logs. */
export function failedError(
  prediction: Pick<Prediction, 'id' | 'error' | 'logs'>,
  provider: string,
): UpstreamError {
  const logs = lastLogLines(prediction.logs);
  const tail = logs === '' ? '' : ` (last log lines: ${logs})`;
  const reason = describeError(prediction.error);
  return new UpstreamError(
    `${describe(provider, prediction.id)} failed: ${reason}${tail}`,
    {
      provider,
    },
  );
}

/** A prediction ended by someone else (`canceled`), or before it started (`aborted`). */
export function canceledError(id: string, provider: string, aborted = false) {
  const how = aborted ? 'was aborted before it started' : 'was canceled upstream';
  return new CanceledError(`${describe(provider, id)} ${how}`, { provider });
}

/** The error a finished prediction stands for; undefined when it succeeded or runs on. */
export function predictionFailure(
  prediction: Prediction,
  provider: string,
): GenRelayError | undefined {
  switch (prediction.status) {
    case 'failed':
      return failedError(prediction, provider);
    case 'canceled':
      return canceledError(prediction.id, provider);
    case 'aborted':
      return canceledError(prediction.id, provider, true);
    default:
      return undefined;
  }
}

function describeError(error: unknown): string {
  if (typeof error === 'string' && error.trim() !== '') return error.trim();
  if (error === null || error === undefined) return 'no reason given';
  return JSON.stringify(error);
}
