import type { JsonValue } from './json.js';
import type { ImageSource, Message } from './message.js';

/** What a request asks for: a chat answer or images. */
export type GenerationKind = 'chat' | 'image';

/**
 * One generation, as every API hands it to the router and the router hands it to a
 * provider. Optional fields a provider does not understand are ignored by it.
 */
export interface GenerationRequest {
  kind: GenerationKind;
  /** The model as the caller named it; the router replaces it with the provider's own id. */
  model: string;
  messages: Message[];
  /** Images attached beside the messages (for vision chat and image-to-image). */
  images?: ImageSource[];

  // Chat options.
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  webSearch?: boolean;
  /** The `state` of a `conversation` part from an earlier turn, to continue that conversation. */
  conversation?: JsonValue;

  // Image options.
  /** The image prompt; when absent, the last user message is the prompt. */
  prompt?: string;
  negativePrompt?: string;
  /** Like `16:9`; explicit width and height win over it. */
  aspectRatio?: string;
  width?: number;
  height?: number;
  seed?: number;
  steps?: number;
  guidanceScale?: number;
  /** How many images to generate. */
  count?: number;

  /**
   * False when the caller wants the answer in one piece: providers that can answer faster
   * that way (one upstream round trip) may, and still yield the same parts.
   */
  stream?: boolean;

  /** The end user the request is made for, passed to upstreams that want it. */
  user?: string;
}
