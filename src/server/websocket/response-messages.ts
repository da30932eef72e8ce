import type { Job, JobResult } from '../../balancer/job.js';
import type { JobEvent } from '../../balancer/job-events.js';
import { parseLaneName } from '../../balancer/lane-name.js';
import type { ResultStorage } from '../../balancer/result-storage.js';
import type { ImagePreviewPart, QueuedPart } from '../../core/stream-part.js';
import type {
  WireImage,
  WireResponse,
  WireResponseHeader,
} from '../../core/websocket-server-message.js';
import { readStoredResult, resultImages } from '../result-url.js';
import type { ResponseFormat } from './client-message-schema.js';

export interface ResponseOptions {
  storage: ResultStorage;
  /** Where clients reach this server, for result URLs. */
  origin: string;
  responseFormat: ResponseFormat;
  /** The job as stored now: a final response is built from what the store holds. */
  load(): Promise<Job>;
}

/**
 * A job's events as the websocket's responses. Parts a Devoid client has no use for
 * (provider, finish, attempts that will be retried) are left out; the final response is
 * built from the stored job, so a replay after the events expired reads the same.
 *
 * Text and reasoning deltas go out only once this subscription has seen their attempt
 * start: the balancer keeps a bounded history and drops the oldest events first, so a
 * replay that lacks the `running` state lacks the answer's beginning too, and a client
 * that puts the answer together from `generating` on must never get a fragment of it.
 */
export async function* responseMessages(
  job: Job,
  events: AsyncIterable<JobEvent>,
  options: ResponseOptions,
): AsyncGenerator<WireResponse> {
  const header = responseHeader(job);
  let attemptSeen = false;
  for await (const event of events) {
    if (event.type === 'text' || event.type === 'reasoning') {
      const delta = event.delta ?? '';
      if (!attemptSeen || delta === '') continue;
      yield event.type === 'text'
        ? { ...header, gen_status: 'text', delta }
        : { ...header, gen_status: 'text', delta, reasoning: true };
    } else if (event.type === 'queued') {
      yield { ...header, gen_status: 'queued', ...queuedFields(event) };
    } else if (event.type === 'progress') {
      yield {
        ...header,
        gen_status: 'progress',
        progress: {
          fraction: event.fraction ?? null,
          step: event.step ?? null,
          total: event.total ?? null,
          eta_ms: event.etaMs ?? null,
        },
      };
    } else if (event.type === 'image-preview') {
      const preview = previewOf(event);
      if (preview !== undefined) yield { ...header, gen_status: 'preview', preview };
    } else if (event.type === 'state' && event.state === 'running') {
      attemptSeen = true;
      yield {
        ...header,
        gen_status: 'generating',
        attempt: event.attempt ?? null,
        instance: event.instance ?? null,
      };
    } else if (event.type === 'state' && event.state !== 'queued') {
      const stored = await options.load();
      if (event.state === 'succeeded') yield await okMessage(header, stored, options);
      else if (event.state === 'canceled') yield { ...header, gen_status: 'canceled' };
      else yield errorMessage(header, stored);
      return;
    }
  }
}

function responseHeader(job: Job): WireResponseHeader {
  const lane = parseLaneName(job.lane);
  return {
    message_type: 'response',
    request_id: job.requestId ?? null,
    object_id: job.id,
    service: job.service,
    ...(lane?.type === 'executor' ? { executor: lane.executor } : {}),
    ...(lane?.type === 'model' ? { model: lane.model } : {}),
    gen_type: job.kind,
    service_info: {
      user_id: job.userId,
      chat_id: job.chatId ?? null,
      message_id: job.messageId ?? null,
    },
    settings: { premium: job.tier === 'premium' },
  };
}

/**
 * Devoid's `avg_time` was the seconds until the result: the wait plus the run. Without a
 * live executor there is no wait to tell, as Devoid's None was.
 */
function queuedFields(event: QueuedPart) {
  const avgTime =
    event.etaMs === undefined
      ? null
      : Math.round((event.etaMs + (event.avgTimeMs ?? 0)) / 10) / 100;
  return { avg_time: avgTime, position: event.position, eta_ms: event.etaMs ?? null };
}

/** A preview inline as base64, or by its URL (a part always carries one of them). */
function previewOf(event: ImagePreviewPart) {
  const { data, url, mediaType } = event;
  if (data !== undefined) {
    const content = Buffer.from(data).toString('base64');
    return { content_type: 'base64' as const, content, media_type: mediaType };
  }
  if (url === undefined) return undefined;
  return { content_type: 'image_url' as const, content: url, media_type: mediaType };
}

async function okMessage(
  header: WireResponseHeader,
  job: Job,
  options: ResponseOptions,
): Promise<WireResponse> {
  const result = (job.result ?? {}) as JobResult;
  const stored = result.images ?? [];
  const images: WireImage[] = await resultImages(result, options);
  const first = stored[0];
  const base64 =
    options.responseFormat === 'base64' && first?.key !== undefined
      ? await readBase64(options.storage, first.key)
      : undefined;
  const isText =
    job.kind === 'chat' || (result.text !== undefined && first === undefined);
  return {
    ...header,
    gen_status: 'ok',
    result: {
      content_type: isText ? 'text' : base64 === undefined ? 'image_url' : 'base64',
      content: isText ? (result.text ?? '') : (base64 ?? images[0]?.url ?? null),
      file_name: first?.key ?? null,
      images,
      ...(result.text === undefined ? {} : { text: result.text }),
    },
  };
}

/** Devoid sent the error as the result's text (and, by a bug, always sent null there). */
function errorMessage(header: WireResponseHeader, job: Job): WireResponse {
  const error = job.error ?? { code: 'internal_error', message: 'The job failed.' };
  return {
    ...header,
    gen_status: 'error',
    error: { code: error.code, message: error.message },
    result: { content_type: 'text', content: error.message, file_name: null },
  };
}

async function readBase64(
  storage: ResultStorage,
  key: string,
): Promise<string | undefined> {
  const bytes = await readStoredResult(storage, key);
  if (bytes === undefined) return undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
