import { imageSize } from '../../core/image-size.js';
import { detectImageType, parseDataUri } from '../../core/media.js';
import type {
  ImagePreviewPart,
  ProgressPart,
  StreamPart,
} from '../../core/stream-part.js';
import type { ProgressResponse } from './automatic1111-api.js';

/** Base64 image bytes, with or without a `data:` prefix (forks differ). */
export function decodeBase64Image(encoded: string): Uint8Array {
  return parseDataUri(encoded)?.data ?? new Uint8Array(Buffer.from(encoded, 'base64'));
}

/**
 * Turns successive `/sdapi/v1/progress` answers into parts: a `progress` part when the
 * step moved, an `image-preview` when the in-progress image changed. Polls that see an
 * idle server (the job not started yet, or done) say nothing.
 */
export class Automatic1111ProgressMapper {
  private lastStep: string | undefined;
  private lastPreview: string | undefined;

  parts(progress: ProgressResponse): StreamPart[] {
    const { state } = progress;
    if (state.job_count <= 0) return [];
    const parts: StreamPart[] = [];
    const step = `${state.job_no ?? 0}:${state.sampling_step ?? 0}/${state.sampling_steps ?? 0}`;
    if (step !== this.lastStep) {
      this.lastStep = step;
      parts.push(progressPart(progress));
    }
    const image = progress.current_image;
    if (image && image !== this.lastPreview) {
      this.lastPreview = image;
      const preview = previewPart(image);
      if (preview !== undefined) parts.push(preview);
    }
    return parts;
  }
}

function progressPart({ progress, eta_relative, state }: ProgressResponse): ProgressPart {
  const total = state.sampling_steps ?? 0;
  const notes: string[] = [];
  if (state.job_count > 1)
    notes.push(`batch ${(state.job_no ?? 0) + 1}/${state.job_count}`);
  const etaSeconds =
    eta_relative !== undefined && eta_relative !== null && eta_relative > 0
      ? eta_relative
      : undefined;
  if (etaSeconds !== undefined) notes.push(`about ${Math.ceil(etaSeconds)} s left`);
  return {
    type: 'progress',
    fraction: Math.min(1, Math.max(0, progress)),
    ...(total > 0 ? { step: state.sampling_step ?? 0, total } : {}),
    ...(etaSeconds === undefined ? {} : { etaMs: Math.round(etaSeconds * 1000) }),
    ...(notes.length > 0 ? { message: notes.join(', ') } : {}),
  };
}

/** A preview that is not a readable image is skipped: it is only a preview. */
function previewPart(encoded: string): ImagePreviewPart | undefined {
  const data = decodeBase64Image(encoded);
  const mediaType = detectImageType(data);
  if (mediaType === undefined) return undefined;
  return { type: 'image-preview', data, mediaType, ...imageSize(data) };
}
