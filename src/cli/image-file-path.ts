import { extname, resolve } from 'node:path';
import { imageExtension } from '../core/media.js';

export interface ImageFileOptions {
  /** `-o`: the file to write; when absent, `genrelay-<stamp>.<ext>` in `cwd`. */
  output?: string | undefined;
  cwd: string;
  /** When the command started, the same for every image of one run. */
  startedAt: Date;
  /** Zero-based position of the image in the run. */
  index: number;
  /** How many images were asked for; with more than one, names get `-1`, `-2`, … */
  count: number;
  mediaType: string;
}

/** `2025-01-31T12-00-00-000Z`: sortable, and valid in file names everywhere. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/**
 * The absolute path an image is saved to. A numbered suffix goes before the extension
 * (`cat.png` → `cat-1.png`), also for images beyond the count a provider sends anyway.
 */
export function imageFilePath(options: ImageFileOptions): string {
  const extension = `.${imageExtension(options.mediaType)}`;
  const path = options.output ?? `genrelay-${timestamp(options.startedAt)}${extension}`;
  const numbered = options.count > 1 || options.index > 0;
  if (!numbered) return resolve(options.cwd, path);
  const ending = extname(path);
  const stem = ending === '' ? path : path.slice(0, -ending.length);
  return resolve(options.cwd, `${stem}-${options.index + 1}${ending}`);
}
