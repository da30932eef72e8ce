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
 * Whether a progress answer shows the job sent with `task` as its `force_task_id` running.
 * A server that names its task is trusted. AUTOMATIC1111 itself answers `current_task:
 * null` whatever runs (its API copies the name once, at import), so a job it cannot name
 * is taken to be ours: the deployment this provider documents gives each web UI one
 * instance with one slot. A failed job's name can linger on an idle server, hence the
 * job count.
 */
export function isTaskRunning(progress: ProgressResponse, task: string): boolean {
  if (progress.state.job_count === 0) return false;
  return progress.current_task == null || progress.current_task === task;
}

/**
 * Turns successive `/sdapi/v1/progress` answers into the parts of one job, the one sent
 * with `task` as its `force_task_id`: a `progress` part when the step moved, an
 * `image-preview` when the in-progress image changed. The server has one progress for
 * whatever job runs, so answers about another job (one ours waits behind, or another
 * client's) say nothing, and neither do polls of an idle server.
 */
export class Automatic1111ProgressMapper {
  private lastStep: string | undefined;
  private lastPreview: string | undefined;
  /** Whether an answer has shown this job running: only then can it be ours to stop. */
  sawTask = false;

  constructor(private readonly task: string) {}

  parts(progress: ProgressResponse): StreamPart[] {
    if (!isTaskRunning(progress, this.task)) return [];
    this.sawTask = true;
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
