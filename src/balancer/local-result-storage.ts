import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  newResultKey,
  type ResultStorage,
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

/** Results as files in one folder, each under a random name. */
export class LocalResultStorage implements ResultStorage {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly folder: string) {}

  async save(data: Uint8Array, mediaType: string): Promise<StoredResult> {
    this.ready ??= mkdir(this.folder, { recursive: true });
    await this.ready;
    const key = newResultKey(mediaType);
    // Written aside and renamed, so a crash never leaves a half-written file under a key.
    const temporary = join(this.folder, `.${key}.partial`);
    await writeFile(temporary, data, { mode: 0o644 });
    await rename(temporary, join(this.folder, key));
    return { key, mediaType, size: data.byteLength };
  }

  async delete(key: string): Promise<void> {
    if (!resultKeyPattern.test(key)) return;
    try {
      await unlink(join(this.folder, key));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  async open(key: string) {
    const match = resultKeyPattern.exec(key);
    if (match === null) return undefined;
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
