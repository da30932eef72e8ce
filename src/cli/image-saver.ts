import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ImagePart } from '../core/stream-part.js';
import { CliError } from './cli-error.js';
import { imageFilePath } from './image-file-path.js';
import type { SavedImage } from './part-to-json.js';

/** Saves each image of one run under the next file name; undefined for a URL-only image. */
export type ImageSaver = (part: ImagePart) => Promise<SavedImage | undefined>;

export function createImageSaver(options: {
  output?: string | undefined;
  cwd: string;
  count: number;
}): ImageSaver {
  const startedAt = new Date();
  let index = 0;
  return async (part) => {
    if (part.data === undefined) return undefined;
    const file = imageFilePath({
      ...options,
      startedAt,
      index: index++,
      mediaType: part.mediaType,
    });
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, part.data);
    } catch (error) {
      throw new CliError(
        `Cannot write ${file}: ${(error as Error).message}`,
        'output_failed',
        {
          cause: error,
        },
      );
    }
    return { file, bytes: part.data.byteLength };
  };
}
