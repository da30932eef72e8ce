import type { StreamPart } from '../../core/stream-part.js';
import { progressResponseSchema } from './automatic1111-api.js';
import type { Automatic1111Upstream } from './automatic1111-upstream.js';
import type { Automatic1111ProgressMapper } from './map-automatic1111-progress.js';
import type { JobSettings } from './run-automatic1111-job.js';

/**
 * Progress and preview parts from `/sdapi/v1/progress`, polled every interval until
 * `done` settles and mapped by the job's `mapper`; a poll in flight then is dropped. A
 * failed poll is skipped: the job's own call says whether the job failed.
 */
export async function* watchAutomatic1111Progress(
  upstream: Automatic1111Upstream,
  mapper: Automatic1111ProgressMapper,
  done: Promise<void>,
  isSettled: () => boolean,
  settings: JobSettings,
): AsyncGenerator<StreamPart> {
  const polling = new AbortController();
  void done.then(() => polling.abort());
  const path = `/progress?skip_current_image=${settings.previews ? 'false' : 'true'}`;
  const call = {
    signal: polling.signal,
    timeoutMs: Math.max(5000, settings.progressIntervalMs),
  };
  while (!isSettled()) {
    await settledOrElapsed(done, settings.progressIntervalMs);
    if (isSettled()) return;
    try {
      const response = await upstream.get(path, call);
      yield* mapper.parts(
        await upstream.read(response, progressResponseSchema, 'progress'),
      );
    } catch (error) {
      if (isSettled()) return;
      settings.logger.debug(
        { provider: upstream.id, error: String(error) },
        'progress poll failed',
      );
    }
  }
}

function settledOrElapsed(done: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([done, elapsed]).finally(() => clearTimeout(timer));
}
