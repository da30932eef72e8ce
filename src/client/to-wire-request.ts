import type { GenerationParams } from './generation-params.js';
import type { GenType, WireRequest } from './wire-messages.js';

/** SDK parameters as the websocket's `request` message. */
export function toWireRequest(
  genType: GenType,
  params: GenerationParams,
  requestId: string,
): WireRequest {
  return {
    message_type: 'request',
    request_id: requestId,
    ...('executor' in params ? { executor: params.executor } : { model: params.model }),
    gen_type: genType,
    settings: {
      premium: params.premium ?? false,
      moderate: params.moderate ?? false,
      sync_with_s3: params.syncWithS3 ?? false,
      response_format: params.responseFormat ?? 'url',
    },
    service_info: {
      user_id: params.userId,
      ...(params.chatId === undefined ? {} : { chat_id: params.chatId }),
      ...(params.messageId === undefined ? {} : { message_id: params.messageId }),
    },
    payload: params.payload,
    ...(params.maxUserQueueSize === undefined
      ? {}
      : { max_user_queue_size: params.maxUserQueueSize }),
    ...(params.webhook === undefined ? {} : { webhook: params.webhook }),
  };
}
