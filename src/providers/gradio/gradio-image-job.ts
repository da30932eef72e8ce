import { ResponseParseError } from '../../core/errors.js';
import { imageSize } from '../../core/image-size.js';
import { detectImageType } from '../../core/media.js';
import type { StreamPart } from '../../core/stream-part.js';
import { startDeadline } from '../../http/request-deadline.js';
import { runCallJob } from './call-job.js';
import { fileMediaType, fileUrl, findFile } from './file-data.js';
import type { EndpointReference } from './gradio-app-config.js';
import type { GradioClient, GradioRequestOptions } from './gradio-client.js';
import type { GradioEvent } from './gradio-event.js';
import { partFromEvent } from './map-gradio-event.js';
import { runQueueJob } from './queue-job.js';

/** One image generation on a Gradio app whose function returns an image (and a seed). */
export interface ImageJob {
  endpoint: EndpointReference;
  /** The queue (progress, previews) or the simple call API. */
  protocol: 'queue' | 'call';
  /** Positional input values. */
  data: unknown[];
  /** Which output holds the image, and which the seed used, if the app returns it. */
  imageOutput: number;
  seedOutput?: number;
  /** The size asked for, reported when the image's header does not say. */
  width?: number;
  height?: number;
}

export interface ImageJobOptions {
  signal: AbortSignal;
  /** Bound on the whole job: config, queue, generation and download. */
  timeoutMs: number;
  /** Headers for joining or calling (ZeroGPU credentials), fetched inside the bound. */
  credentials?: (signal: AbortSignal) => Promise<Record<string, string>>;
}

/**
 * Runs an image job and streams it as parts: `queued`, `progress`, `reasoning` status for
 * the app's toasts, `image-preview` for a generator's intermediate images (the app's
 * URLs), and the final `image`, downloaded with the app's credentials so it can be
 * stored and served by genrelay. Every wait is inside `timeoutMs`; aborting or running
 * out of time cancels the job at the app.
 */
export async function* runImageJob(
  client: GradioClient,
  job: ImageJob,
  options: ImageJobOptions,
): AsyncGenerator<StreamPart> {
  const { speaker } = client.errorContext;
  const deadline = startDeadline(
    options.signal,
    options.timeoutMs,
    `the job on ${speaker}`,
  );
  const request: GradioRequestOptions = {
    signal: deadline.signal,
    timeoutMs: options.timeoutMs,
  };
  try {
    const target = await client.endpoint(job.endpoint, request);
    const headers = (await options.credentials?.(deadline.signal)) ?? {};
    const withCredentials = { ...request, headers };
    const appUrl = `${client.baseUrl}${target.config.apiPrefix}`;
    const events =
      job.protocol === 'queue'
        ? runQueueJob(client, target, job.data, withCredentials)
        : runCallJob(client, target.endpoint, job.data, withCredentials);
    for await (const event of events) {
      if (event.type !== 'output') {
        const part = partFromEvent(event);
        if (part !== undefined) yield part;
        continue;
      }
      const file = findFile(event.data[job.imageOutput]);
      const url = file === undefined ? undefined : fileUrl(file, appUrl);
      if (!event.final) {
        if (file !== undefined && url !== undefined) {
          yield { type: 'image-preview', url, mediaType: fileMediaType(file) };
        }
        continue;
      }
      if (url === undefined) {
        throw new ResponseParseError(`${speaker} finished without an image`, {
          provider: client.errorContext.provider,
        });
      }
      yield await finalImage(client, job, event, url, request);
    }
  } finally {
    deadline.clear();
  }
}

async function finalImage(
  client: GradioClient,
  job: ImageJob,
  event: Extract<GradioEvent, { type: 'output' }>,
  url: string,
  request: GradioRequestOptions,
): Promise<StreamPart> {
  const data = await client.download(url, request);
  const mediaType = detectImageType(data);
  if (mediaType === undefined) {
    throw new ResponseParseError(
      `${client.errorContext.speaker} returned a file that is not an image: ${url}`,
      { provider: client.errorContext.provider },
    );
  }
  const size =
    imageSize(data) ??
    (job.width !== undefined && job.height !== undefined
      ? { width: job.width, height: job.height }
      : {});
  const seed =
    job.seedOutput === undefined ? undefined : seedOf(event.data[job.seedOutput]);
  return {
    type: 'image',
    data,
    mediaType,
    ...size,
    ...(seed === undefined ? {} : { seed }),
  };
}

function seedOf(value: unknown): number | undefined {
  const seed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof seed === 'number' && Number.isSafeInteger(seed) ? seed : undefined;
}
