import { toGenRelayError } from '../../core/errors.js';
import type { WireError } from '../../core/websocket-server-message.js';
import type { RequestMessage } from './client-message-schema.js';

/** What an error reply names besides the error: the message it answers. */
export interface ErrorContext {
  requestId?: string | undefined;
  objectId?: string | undefined;
  /** A refused request's user, for Devoid clients that match replies by it. */
  serviceInfo?: RequestMessage['service_info'] | undefined;
}

/** The reply to a message that failed: its ids, and the error's code, message and field. */
export function errorReply(thrown: unknown, context: ErrorContext): WireError {
  const error = toGenRelayError(thrown);
  return {
    message_type: 'error',
    ...(context.requestId === undefined ? {} : { request_id: context.requestId }),
    ...(context.objectId === undefined ? {} : { object_id: context.objectId }),
    ...(context.serviceInfo === undefined ? {} : { service_info: context.serviceInfo }),
    error: {
      code: error.code,
      message: error.message,
      ...(error.param === undefined ? {} : { param: error.param }),
    },
  };
}
