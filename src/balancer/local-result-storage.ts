import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { errorFromAbort } from '../http/error-from-abort.js';
import {
  newResultKey,
  type RemovableResultStorage,
  resultKeyPattern,
  type StoredResult,
} from './result-storage.js';

const mediaTypes: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bin: 'application/octet-stream',
};

/**
 * Results as files in one folder, each under a random name. A `signal` that has aborted
 * stops an operation before it touches the disk, and a write under way.
 */
export class LocalResultStorage implements RemovableResultStorage {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly folder: string) {}

  async save(
    data: Uint8Array,
    mediaType: string,
    signal?: AbortSignal,
  ): Promise<StoredResult> {
    if (signal?.aborted) throw errorFromAbort(signal);
    this.ready ??= mkdir(this.folder, { recursive: true });
    await this.ready;
    const key = newResultKey(mediaType);
    // Written aside and renamed, so a crash never leaves a half-written file under a key.
    const temporary = join(this.folder, `.${key}.partial`);
    try {
      await writeFile(temporary, data, { mode: 0o644, signal });
    } catch (error) {
      await rm(temporary, { force: true });
      throw signal?.aborted ? errorFromAbort(signal) : error;
    }
    await rename(temporary, join(this.folder, key));
    return { key, mediaType, size: data.byteLength };
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    if (!resultKeyPattern.test(key)) return;
    if (signal?.aborted) throw errorFromAbort(signal);
    try {
      await unlink(join(this.folder, key));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  async open(key: string, signal?: AbortSignal) {
    const match = resultKeyPattern.exec(key);
    if (match === null) return undefined;
    if (signal?.aborted) throw errorFromAbort(signal);
    const path = join(this.folder, key);
    try {
      const info = await stat(path);
      const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
      return {
        body,
        mediaType: mediaTypes[match[1] as string] ?? 'application/octet-stream',
        size: info.size,
      };
    } catch {
      return undefined;
    }
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
