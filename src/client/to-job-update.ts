import type { JobUpdate, JobUpdateBase } from './job-update.js';
import type { WireResponse } from './wire-messages.js';

/** A response as the SDK's update: camelCase, one shape per status. */
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
    premium: response.settings?.premium === true,
  };
  switch (response.gen_status) {
    case 'queued':
      return {
        ...base,
        status: 'queued',
        avgTime: response.avg_time ?? null,
        position: response.position ?? 0,
        etaMs: response.eta_ms ?? null,
      };
    case 'generating':
      return {
        ...base,
        status: 'generating',
        attempt: response.attempt ?? null,
        instance: response.instance ?? null,
      };
    case 'progress':
      return {
        ...base,
        status: 'progress',
        fraction: response.progress?.fraction ?? null,
        step: response.progress?.step ?? null,
        total: response.progress?.total ?? null,
        etaMs: response.progress?.eta_ms ?? null,
      };
    case 'preview':
      return {
        ...base,
        status: 'preview',
        contentType: response.preview?.content_type ?? 'base64',
        content: response.preview?.content ?? '',
        mediaType: response.preview?.media_type ?? 'application/octet-stream',
      };
    case 'ok': {
      const result = response.result;
      return {
        ...base,
        status: 'ok',
        result: {
          contentType: result?.content_type ?? 'image_url',
          content: result?.content ?? null,
          fileName: result?.file_name ?? null,
          images: (result?.images ?? []).map((image) => ({
            url: image.url,
            mediaType: image.media_type,
            width: image.width,
            height: image.height,
            seed: image.seed,
          })),
          ...(result?.text === undefined ? {} : { text: result.text }),
        },
      };
    }
    case 'error':
      return {
        ...base,
        status: 'error',
        error: response.error ?? {
          code: 'upstream_error',
          message: response.result?.content ?? 'The job failed.',
        },
      };
    case 'canceled':
      return { ...base, status: 'canceled' };
  }
}
