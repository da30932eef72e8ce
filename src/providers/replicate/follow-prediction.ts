import type { StreamPart } from '../../core/stream-part.js';
import { retry } from '../../http/retry.js';
import { sleep } from '../../http/sleep.js';
import { progressFromLogs } from './prediction-logs.js';
import { outputText } from './prediction-output.js';
import { type Prediction, terminalStatuses } from './replicate-api.js';
import type { ReplicateSettings } from './replicate-settings.js';
import type { ReplicateUpstream } from './replicate-upstream.js';

export interface FollowOptions {
  settings: Pick<ReplicateSettings, 'pollIntervalMs' | 'maxPollIntervalMs'>;
  /** Bounds the whole follow; every wait and request takes it. */
  signal: AbortSignal;
  /** For text models: how much of the output text was already yielded. */
  textFrom: number | undefined;
}

/**
 * Polls `GET /predictions/{id}` until the prediction ends, waiting longer each time (half
 * again, up to `maxPollIntervalMs`). On the way it yields the new output text of a text
 * model and a progress part whenever the logs show a new percentage. Returns the ended
 * prediction, whatever its status. A failed poll is retried twice before it counts.
 */
export async function* followPrediction(
  upstream: ReplicateUpstream,
  created: Prediction,
  options: FollowOptions,
): AsyncGenerator<StreamPart, Prediction> {
  const { settings, signal } = options;
  let prediction = created;
  let emitted = options.textFrom ?? 0;
  let shownProgress = '';
  let intervalMs = settings.pollIntervalMs;
  for (;;) {
    if (options.textFrom !== undefined) {
      const text = outputText(prediction.output);
      if (text.length > emitted) {
        yield { type: 'text', delta: text.slice(emitted) };
        emitted = text.length;
      }
    }
    const progress = progressFromLogs(prediction.logs);
    if (progress !== undefined) {
      const shown = JSON.stringify(progress);
      if (shown !== shownProgress) {
        shownProgress = shown;
        yield progress;
      }
    }
    if (terminalStatuses.has(prediction.status)) return prediction;
    await sleep(intervalMs, signal);
    intervalMs = Math.min(intervalMs * 1.5, settings.maxPollIntervalMs);
    prediction = await retry(() => upstream.get(created.id, signal), {
      signal,
      maxRetries: 2,
      initialDelayMs: settings.pollIntervalMs,
    });
  }
}
