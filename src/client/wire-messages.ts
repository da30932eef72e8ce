/**
 * The websocket API's messages as they travel (snake_case JSON). What the server sends is
 * shared with it through core; `docs/websocket-api.md` describes each with examples.
 */

import type { GenType } from '../core/websocket-server-message.js';

export type {
  GenStatus,
  GenType,
  WebsocketServerMessage as ServerMessage,
  WireError,
  WireImage,
  WireInfo,
  WireResponse,
  WireResponseBody,
  WireResponseHeader,
  WireResult,
  WireServiceInfo,
} from '../core/websocket-server-message.js';

/** A generation as the SDK sends it; the server also takes Devoid's looser forms. */
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
