import { type JobRequest, jobRequestSchema } from '../jobs/job-request-schema.js';
import { validationError } from '../validation-error.js';
import type { RequestMessage } from './client-message-schema.js';

/**
 * A websocket request as the jobs API's request, so both are admitted alike (payload per
 * executor or model, caps, moderation). `requestId` is the client's, or one made for it.
 */
export function toJobRequest(message: RequestMessage, requestId: string): JobRequest {
  const { service_info: user, settings } = message;
  const parsed = jobRequestSchema.safeParse({
    kind: message.gen_type,
    ...(message.executor === undefined ? {} : { executor: message.executor }),
    ...(message.model === undefined ? {} : { model: message.model }),
    user_id: user.user_id,
    ...(user.chat_id == null ? {} : { chat_id: user.chat_id }),
    ...(user.message_id == null ? {} : { message_id: user.message_id }),
    premium: settings.premium,
    moderate: settings.moderate,
    request_id: requestId,
    ...(message.max_user_queue_size === undefined
      ? {}
      : { max_user_queue_size: message.max_user_queue_size }),
    ...(message.webhook === undefined ? {} : { webhook: message.webhook }),
    payload: message.payload,
  });
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
