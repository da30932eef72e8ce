/**
 * The websocket API's messages as they travel (snake_case JSON), for the SDK's own use.
 * `docs/websocket-api.md` describes each with examples.
 */

export type GenType = 'text2img' | 'img2img' | 'mix2img' | 'chat';

/** The Devoid `gen_status` values, plus `progress`, `preview` and `canceled`. */
export type GenStatus =
  | 'queued'
  | 'generating'
  | 'progress'
  | 'preview'
  | 'ok'
  | 'error'
  | 'canceled';

export interface WireServiceInfo {
  user_id: string;
  chat_id: string | null;
  message_id: string | null;
}

export interface WireResponse {
  message_type: 'response';
  request_id: string | null;
  object_id: string;
  service: string;
  executor?: string;
  model?: string;
  gen_type: GenType;
  service_info: WireServiceInfo;
  settings: { premium: boolean };
  gen_status: GenStatus;
  /** queued */
  avg_time?: number | null;
  position?: number;
  eta_ms?: number | null;
  /** generating */
  attempt?: number | null;
  instance?: string | null;
  /** progress */
  progress?: {
    fraction: number | null;
    step: number | null;
    total: number | null;
    eta_ms: number | null;
  };
  /** preview */
  preview?: { content_type: 'base64' | 'image_url'; content: string; media_type: string };
  /** ok, and error (where it holds the message as text, as Devoid's did) */
  result?: {
    content_type: 'image_url' | 'base64' | 'text';
    content: string | null;
    file_name: string | null;
    images?: WireImage[];
    text?: string;
  };
  /** error */
  error?: { code: string; message: string };
}

export interface WireImage {
  url: string;
  media_type: string;
  width: number | null;
  height: number | null;
  seed: number | null;
}

export interface WireError {
  message_type: 'error';
  request_id?: string;
  object_id?: string;
  error: { code: string; message: string; param?: string };
}

export interface WireInfo {
  message_type: 'info';
  event: 'ready';
  service: string;
  connection_id: string;
}

export type ServerMessage = WireResponse | WireError | WireInfo;

export interface WireRequest {
  message_type: 'request';
  request_id: string;
  executor?: string;
  model?: string;
  gen_type: GenType;
  settings: {
    premium: boolean;
    moderate: boolean;
    sync_with_s3: boolean;
    response_format: 'url' | 'base64';
  };
  service_info: {
    user_id: string | number;
    chat_id?: string | number;
    message_id?: string | number;
  };
  payload: object;
  max_user_queue_size?: number;
  webhook?: string;
}
