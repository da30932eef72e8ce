import type { JobUpdate, JobUpdateBase } from './job-update.js';
import type { WireResponse } from './wire-messages.js';

/**
 * A response as the SDK's update: camelCase, one shape per status. The server's shapes are
 * trusted: one that lacks a nested field throws, which the socket reports as a protocol error.
 */
export function toJobUpdate(response: WireResponse): JobUpdate {
  const base: JobUpdateBase = {
    requestId: response.request_id,
    objectId: response.object_id,
    service: response.service,
    ...(response.executor === undefined ? {} : { executor: response.executor }),
    ...(response.model === undefined ? {} : { model: response.model }),
    genType: response.gen_type,
    serviceInfo: {
      userId: response.service_info.user_id,
      chatId: response.service_info.chat_id,
      messageId: response.service_info.message_id,
    },
    premium: response.settings.premium,
  };
  switch (response.gen_status) {
    case 'queued':
      return {
        ...base,
        status: 'queued',
        avgTime: response.avg_time,
        position: response.position,
        etaMs: response.eta_ms,
      };
    case 'generating':
      return {
        ...base,
        status: 'generating',
        attempt: response.attempt,
        instance: response.instance,
      };
    case 'progress': {
      const { fraction, step, total, eta_ms: etaMs } = response.progress;
      return { ...base, status: 'progress', fraction, step, total, etaMs };
    }
    case 'preview': {
      const {
        content_type: contentType,
        content,
        media_type: mediaType,
      } = response.preview;
      return { ...base, status: 'preview', contentType, content, mediaType };
    }
    case 'text': {
      const { delta } = response;
      const reasoning = response.reasoning === true;
      // What came before is the job's, not the message's: see TextSoFar.
      return { ...base, status: 'text', delta, reasoning, text: delta };
    }
    case 'ok': {
      const { result } = response;
      return {
        ...base,
        status: 'ok',
        result: {
          contentType: result.content_type,
          content: result.content,
          fileName: result.file_name,
          images: result.images.map((image) => ({
            url: image.url,
            mediaType: image.media_type,
            width: image.width,
            height: image.height,
            seed: image.seed,
          })),
          ...(result.text === undefined ? {} : { text: result.text }),
        },
      };
    }
    case 'error':
      return { ...base, status: 'error', error: response.error };
    case 'canceled':
      return { ...base, status: 'canceled' };
  }
}
