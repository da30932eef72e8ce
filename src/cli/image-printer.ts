import type { StreamPart } from '../core/stream-part.js';
import type { CliIo } from './cli-io.js';
import { createFallbackNotice } from './fallback-notice.js';
import type { ImageSaver } from './image-saver.js';
import { partToJson } from './part-to-json.js';
import { ProgressDisplay } from './progress-display.js';

/** Writes an image stream; each image is saved before its part is reported. */
export interface ImagePrinter {
  write(part: StreamPart): Promise<void>;
  /** Removes the progress line. */
  end(): void;
}

/**
 * With `json`, one line per part on stdout, images as file and size. For people, progress
 * on stderr and the saved paths (or image URLs) on stdout, one per line.
 */
export function createImagePrinter(
  io: CliIo,
  save: ImageSaver,
  json: boolean,
): ImagePrinter {
  if (json) {
    return {
      async write(part) {
        const saved = part.type === 'image' ? await save(part) : undefined;
        io.stdout.write(`${partToJson(part, saved)}\n`);
      },
      end() {},
    };
  }
  const progress = new ProgressDisplay(io.stderr);
  const fallbackNotice = createFallbackNotice();
  return {
    async write(part) {
      const notice = fallbackNotice(part);
      if (notice !== undefined) progress.note(notice);
      if (part.type !== 'image') return progress.update(part);
      const saved = await save(part);
      progress.note(saved?.file ?? part.url ?? 'an image without data or URL', io.stdout);
    },
    end: () => progress.stop(),
  };
}
