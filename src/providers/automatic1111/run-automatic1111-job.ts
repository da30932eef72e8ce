import { randomUUID } from 'node:crypto';
import { GenRelayError, UpstreamError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { StreamPart } from '../../core/stream-part.js';
import { errorFromAbort } from '../../http/error-from-abort.js';
import { startDeadline } from '../../http/request-deadline.js';
import { generationResponseSchema } from './automatic1111-api.js';
import type { Automatic1111JobKind } from './automatic1111-payload.js';
import type { Automatic1111Upstream } from './automatic1111-upstream.js';
import { interruptAutomatic1111Task } from './interrupt-automatic1111-task.js';
import {
  mapAutomatic1111Images,
  parseGenerationInfo,
} from './map-automatic1111-images.js';
import { Automatic1111ProgressMapper } from './map-automatic1111-progress.js';
import { watchAutomatic1111Progress } from './watch-automatic1111-progress.js';

export interface JobSettings {
  timeoutMs: number;
  progressIntervalMs: number;
  previews: boolean;
  logger: Logger;
}

/**
 * Runs one txt2img or img2img call under a `force_task_id` of its own (a payload's own is
 * replaced: the id must be unique to tell this job from the others). While it runs,
 * `/sdapi/v1/progress` is polled for progress and previews, counted only while the server
 * names this task; its answer gives the images. When the caller aborts, the time runs out
 * or the consumer stops reading, the call is dropped and, when this job is what the server
 * runs, the server is told to stop, so the GPU does not finish work nobody will read.
 */
export async function* runAutomatic1111Job(
  upstream: Automatic1111Upstream,
  kind: Automatic1111JobKind,
  payload: Record<string, unknown>,
  signal: AbortSignal,
  settings: JobSettings,
): AsyncGenerator<StreamPart> {
  // Nothing is sent, so nothing runs upstream that would need stopping.
  if (signal.aborted) throw errorFromAbort(signal);
  const task = `genrelay-${randomUUID()}`;
  const mapper = new Automatic1111ProgressMapper(task);
  const stop = new AbortController();
  const follow = () => stop.abort(signal.reason);
  signal.addEventListener('abort', follow, { once: true });
  const deadline = startDeadline(
    stop.signal,
    settings.timeoutMs,
    `${upstream.describe()} generation`,
  );
  // The deadline above fires first and names the job; this one only backs it up.
  const call = { signal: deadline.signal, timeoutMs: settings.timeoutMs + 1000 };
  const path = kind === 'img2img' ? '/img2img' : '/txt2img';
  const result = upstream
    .post(path, { ...payload, force_task_id: task }, call)
    .then((response) => upstream.read(response, generationResponseSchema, 'result'));
  let settled = false;
  const done = result.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  const interrupt = () =>
    interruptAutomatic1111Task(upstream, task, mapper.sawTask, settings.logger);
  try {
    yield* watchAutomatic1111Progress(upstream, mapper, done, () => settled, settings);
    const body = await result;
    const images = body.images ?? [];
    if (images.length === 0 && payload.send_images !== false) {
      throw new UpstreamError(`${upstream.describe()} finished without images`, {
        provider: upstream.id,
      });
    }
    const info = parseGenerationInfo(body.info);
    if (info === undefined && images.length > 0) {
      settings.logger.warn(
        { provider: upstream.id },
        'unreadable info: images without seeds',
      );
    }
    yield* mapAutomatic1111Images(images, info, {
      provider: upstream.id,
      describe: upstream.describe(),
    });
    yield { type: 'finish', reason: 'stop' };
  } catch (error) {
    if (deadline.signal.aborted || isCutShort(error)) await interrupt();
    throw error;
  } finally {
    signal.removeEventListener('abort', follow);
    if (!settled) {
      // The consumer stopped reading before the end: nobody wants the rest.
      stop.abort();
      await interrupt();
    }
    deadline.clear();
  }
}

/** A timeout (ours or the connection's) leaves the job running upstream. */
function isCutShort(error: unknown): boolean {
  return GenRelayError.isInstance(error) && ['timeout', 'canceled'].includes(error.code);
}
