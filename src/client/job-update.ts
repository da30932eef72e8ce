import type { GenType } from './wire-messages.js';

export interface ServiceInfo {
  userId: string;
  chatId: string | null;
  messageId: string | null;
}

/** What every update about a job says: which job, whose, and what it is. */
export interface JobUpdateBase {
  requestId: string | null;
  objectId: string;
  service: string;
  /** The executor it runs on, for executor jobs. */
  executor?: string;
  /** The model, for model jobs. */
  model?: string;
  genType: GenType;
  serviceInfo: ServiceInfo;
  premium: boolean;
}

/** Waiting in the queue; sent on submit and again while the place changes. */
export interface QueuedUpdate extends JobUpdateBase {
  status: 'queued';
  /** Devoid's average time: seconds until the result (wait plus run); null while no executor is up. */
  avgTime: number | null;
  /** Jobs that start before this one: 0 is next. */
  position: number;
  /** Milliseconds until it starts; null while no executor is up. */
  etaMs: number | null;
}

export interface GeneratingUpdate extends JobUpdateBase {
  status: 'generating';
  /** 1 for the first attempt; more when an earlier attempt failed and it runs again. */
  attempt: number | null;
  /** The instance it runs on. */
  instance: string | null;
}

export interface ProgressUpdate extends JobUpdateBase {
  status: 'progress';
  /** 0 to 1. */
  fraction: number | null;
  step: number | null;
  total: number | null;
  etaMs: number | null;
}

export interface PreviewUpdate extends JobUpdateBase {
  status: 'preview';
  /** `base64` (the image bytes) or `image_url`. */
  contentType: 'base64' | 'image_url';
  content: string;
  mediaType: string;
}

/**
 * A piece of a chat job's answer (or of its reasoning) as the model writes it, before the
 * `ok` that carries the whole answer. A new attempt (`generating`) writes the answer anew.
 */
export interface TextUpdate extends JobUpdateBase {
  status: 'text';
  /** The new piece. */
  delta: string;
  /** True for the model's reasoning, which is not part of the answer (`result.text`). */
  reasoning: boolean;
  /**
   * The answer (or, for reasoning, the reasoning) of this attempt so far, `delta` included:
   * right even when a reconnect replays pieces already seen.
   */
  text: string;
}

export interface JobImage {
  url: string;
  mediaType: string;
  width: number | null;
  height: number | null;
  seed: number | null;
}

/** A finished job's result, as Devoid's `result` plus every image. */
export interface JobResult {
  /** `image_url` (content is the first image's URL), `base64` (its bytes) or `text` (chat). */
  contentType: 'image_url' | 'base64' | 'text';
  content: string | null;
  /** The stored name of the first image. */
  fileName: string | null;
  images: JobImage[];
  /** A chat job's answer. */
  text?: string;
}

export interface DoneUpdate extends JobUpdateBase {
  status: 'ok';
  result: JobResult;
}

export interface ErrorUpdate extends JobUpdateBase {
  status: 'error';
  error: { code: string; message: string };
}

export interface CanceledUpdate extends JobUpdateBase {
  status: 'canceled';
}

export type JobUpdate =
  | QueuedUpdate
  | GeneratingUpdate
  | ProgressUpdate
  | PreviewUpdate
  | TextUpdate
  | DoneUpdate
  | ErrorUpdate
  | CanceledUpdate;

export type FinalUpdate = DoneUpdate | ErrorUpdate | CanceledUpdate;

export function isFinalUpdate(update: JobUpdate): update is FinalUpdate {
  return (
    update.status === 'ok' || update.status === 'error' || update.status === 'canceled'
  );
}
