import type { JsonValue } from '../core/json.js';

/** Where a job is in its life; `succeeded`, `failed` and `canceled` are final. */
export const jobStates = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'canceled',
] as const;
export type JobState = (typeof jobStates)[number];

export const finalStates: readonly JobState[] = ['succeeded', 'failed', 'canceled'];

/** Premium jobs get the larger share of the executors; neither tier starves the other. */
export type JobTier = 'premium' | 'general';

export type JobKind = 'chat' | 'text2img' | 'img2img' | 'mix2img';

/**
 * The user of jobs that name none (OpenAI clients that send no `user`): they take one turn
 * together among the service's users, and the per-user caps do not apply to them.
 */
export const anonymousUser = '';

/** A job as a service submits it, on behalf of one of its end users. */
export interface NewJob {
  service: string;
  userId: string;
  chatId?: string;
  messageId?: string;
  /** The service's own id for the request: submitting it again returns the same job. */
  requestId?: string;
  tier: JobTier;
  kind: JobKind;
  /** The executors that can run it: a model name for the router, or an executor group. */
  lane: string;
  payload: JsonValue;
  /** How much work it is (megapixels × steps, or tokens), for ETAs; 1 when unknown. */
  work?: number;
  /** Where its final event is POSTed (else the service's configured webhook, if any). */
  webhook?: string;
}

/** What a finished job keeps (its `result`): its text and its images. */
export interface JobResult {
  text?: string;
  images?: JobResultImage[];
}

export interface JobResultImage {
  /** Stored by genrelay under this key; else `url` is where the upstream keeps it. */
  key?: string;
  url?: string;
  mediaType: string;
  width?: number;
  height?: number;
  seed?: number;
}

export interface JobError {
  code: string;
  message: string;
  /** What each attempt ran into, in order, when the job ran more than once. */
  attempts?: JobAttemptError[];
}

export interface JobAttemptError {
  /** The instance the attempt ran on. */
  instance: string;
  code: string;
  message: string;
}

/** A stored job. Times are epoch milliseconds. */
export interface Job extends NewJob {
  id: string;
  state: JobState;
  attempts: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  result?: JsonValue;
  error?: JobError;
}
