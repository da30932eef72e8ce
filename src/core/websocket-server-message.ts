/**
 * What the websocket API sends, as it travels (snake_case JSON). It lives in core, types
 * only, because it is the one contract the server writes and the SDK reads, and core is
 * the one layer both may import. `docs/websocket-api.md` describes each message.
 */

import type { ErrorCode } from './errors.js';

export type GenType = 'text2img' | 'img2img' | 'mix2img' | 'chat';

export interface WireServiceInfo {
  user_id: string;
  chat_id: string | null;
  message_id: string | null;
}

/** What every response about a job carries: which job, whose, and what it is. */
export interface WireResponseHeader {
  message_type: 'response';
  request_id: string | null;
  object_id: string;
  service: string;
  /** Set for executor jobs. */
  executor?: string;
  /** Set for model jobs. */
  model?: string;
  gen_type: GenType;
  service_info: WireServiceInfo;
  settings: { premium: boolean };
}

export interface WireImage {
  url: string;
  media_type: string;
  width: number | null;
  height: number | null;
  seed: number | null;
}

/** Devoid's `result`, plus every image and a chat job's text. */
export interface WireResult {
  content_type: 'image_url' | 'base64' | 'text';
  /** The first image's URL or base64, or the text; null when a job made no image. */
  content: string | null;
  file_name: string | null;
  images: WireImage[];
  text?: string;
}

/** The fields of a response besides its header, by `gen_status`. */
export type WireResponseBody =
  | {
      gen_status: 'queued';
      /** Devoid's figure: seconds until the result; null while no executor is up. */
      avg_time: number | null;
      position: number;
      eta_ms: number | null;
    }
  | { gen_status: 'generating'; attempt: number | null; instance: string | null }
  | {
      gen_status: 'progress';
      progress: {
        fraction: number | null;
        step: number | null;
        total: number | null;
        eta_ms: number | null;
      };
    }
  | {
      gen_status: 'preview';
      preview: {
        content_type: 'base64' | 'image_url';
        content: string;
        media_type: string;
      };
    }
  | {
      gen_status: 'text';
      /** The next piece of a chat job's answer, in order; the `ok` carries it whole. */
      delta: string;
      /** Set on a piece of the model's reasoning, which is not part of the answer. */
      reasoning?: true;
    }
  | { gen_status: 'ok'; result: WireResult }
  | {
      gen_status: 'error';
      error: { code: string; message: string };
      /** The message again, where Devoid clients read it. */
      result: { content_type: 'text'; content: string; file_name: null };
    }
  | { gen_status: 'canceled' };

export type WireResponse = WireResponseHeader & WireResponseBody;

/** The Devoid `gen_status` values, plus `progress`, `preview`, `text` and `canceled`. */
export type GenStatus = WireResponseBody['gen_status'];

/** The answer to a message that could not be done; the connection stays open. */
export interface WireError {
  message_type: 'error';
  request_id?: string;
  object_id?: string;
  /** A refused request's user, as it was sent. */
  service_info?: {
    user_id: string;
    chat_id?: string | null;
    message_id?: string | null;
  };
  error: { code: ErrorCode; message: string; param?: string };
}

/** Sent once authenticated (and again for a repeated `auth`). */
export interface WireInfo {
  message_type: 'info';
  event: 'ready';
  service: string;
  connection_id: string;
}

export type WebsocketServerMessage = WireResponse | WireError | WireInfo;
