import type { Logger } from '../../core/logger.js';
import { progressResponseSchema } from './automatic1111-api.js';
import type { Automatic1111Upstream } from './automatic1111-upstream.js';
import { isTaskRunning } from './map-automatic1111-progress.js';

/** The interrupt is a courtesy to the GPU; a server that does not answer it soon is left. */
const interruptTimeoutMs = 5000;

/**
 * Stops the job sent with `task` as its `force_task_id`, if it is what the server runs.
 * `/sdapi/v1/interrupt` stops whatever job runs, so one more poll decides: it is sent when
 * that poll shows this task running, or, when the poll fails, when an earlier one did
 * (`sawTask`). A job that has finished, or still waits behind another, is left alone.
 */
export async function interruptAutomatic1111Task(
  upstream: Automatic1111Upstream,
  task: string,
  sawTask: boolean,
  logger: Logger,
): Promise<void> {
  // Not the caller's signal: the caller has gone, and this must still go out.
  const call = { signal: undefined, timeoutMs: interruptTimeoutMs };
  const running = await upstream
    .get('/progress?skip_current_image=true', call)
    .then((response) => upstream.read(response, progressResponseSchema, 'progress'))
    .then(
      (progress) => isTaskRunning(progress, task),
      () => sawTask,
    );
  if (!running) return;
  try {
    const response = await upstream.post('/interrupt', {}, call);
    await response.dispose();
  } catch (error) {
    logger.warn(
      { provider: upstream.id, error: String(error) },
      'could not interrupt the generation upstream',
    );
  }
}
