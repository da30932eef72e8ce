import type { JsonValue } from './json.js';

/**
 * The one internal contract: every provider turns a request into an async stream of these
 * parts, and every API translates them into its own wire format.
 */
export type StreamPart =
  | ProviderPart
  | QueuedPart
  | TextPart
  | ReasoningPart
  | ProgressPart
  | ImagePreviewPart
  | ImagePart
  | SourcesPart
  | TitlePart
  | ConversationPart
  | LoginRequiredPart
  | UsagePart
  | FinishPart
  | ErrorPart;

/** Which provider and model answer; emitted once per attempt, before the attempt's output. */
export interface ProviderPart {
  type: 'provider';
  provider: string;
  model: string;
  label?: string;
}

/** The request waits in a queue (ours or the upstream's). */
export interface QueuedPart {
  type: 'queued';
  /** Zero-based: 0 means next to run. */
  position: number;
  /** Estimated milliseconds until the request starts running, when known. */
  etaMs?: number;
  /** Expected milliseconds the request runs once started, when known. */
  avgTimeMs?: number;
}

/** A fragment of the answer; consumers concatenate them. */
export interface TextPart {
  type: 'text';
  delta: string;
}

/** Thinking output: a token of the model's reasoning, and/or a status line about it. */
export interface ReasoningPart {
  type: 'reasoning';
  delta?: string;
  status?: string;
}

/** How far an image generation has come. */
export interface ProgressPart {
  type: 'progress';
  step?: number;
  total?: number;
  /** 0 to 1. */
  fraction?: number;
  /** Estimated milliseconds until the generation is done, when the upstream says. */
  etaMs?: number;
  message?: string;
}

/** Image bytes or location, as carried by image and preview parts. */
export interface ImageData {
  /** Where the image can be fetched; set when `data` is not. */
  url?: string;
  /** The image bytes; set when `url` is not. */
  data?: Uint8Array;
  mediaType: string;
  width?: number;
  height?: number;
}

/** An intermediate image while a generation runs. */
export interface ImagePreviewPart extends ImageData {
  type: 'image-preview';
}

/** A finished image. */
export interface ImagePart extends ImageData {
  type: 'image';
  /** The key genrelay stored it under, once stored (its `url` is then on this server). */
  key?: string;
  seed?: number;
  alt?: string;
}

/** Web sources a chat answer drew on. */
export interface SourcesPart {
  type: 'sources';
  sources: { url: string; title?: string }[];
}

/** A conversation title suggested by the upstream. */
export interface TitlePart {
  type: 'title';
  title: string;
}

/** Opaque state that continues this conversation when passed back with the next request. */
export interface ConversationPart {
  type: 'conversation';
  state: JsonValue;
}

/** The provider needs the operator to log in; `url` is where. */
export interface LoginRequiredPart {
  type: 'login-required';
  provider: string;
  url: string;
}

/** Token counts reported by the upstream. */
export interface UsagePart {
  type: 'usage';
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

export type FinishReason =
  | 'stop'
  | 'length'
  | 'content-filter'
  | 'tool-calls'
  | 'canceled'
  | 'other';

/** The generation ended normally. */
export interface FinishPart {
  type: 'finish';
  reason: FinishReason;
}

/**
 * A failure reported in the stream. Providers throw errors; the router emits a non-fatal
 * one for each attempt that failed before the next provider is tried, and the balancer
 * turns a final failure into a fatal one for clients.
 */
export interface ErrorPart {
  type: 'error';
  /** False when the generation goes on (the router falls back to another provider). */
  fatal: boolean;
  code: string;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  provider?: string;
}

/**
 * Whether a part counts as the provider having started its answer. After that the router
 * never falls back, so two providers' output is never mixed.
 */
export function isContentPart(part: StreamPart): boolean {
  switch (part.type) {
    case 'text':
      return part.delta.length > 0;
    case 'reasoning':
      return part.delta !== undefined && part.delta.length > 0;
    case 'image':
    case 'image-preview':
      return true;
    default:
      return false;
  }
}
