import { randomUUID } from 'node:crypto';
import { imageExtension } from '../core/media.js';

/** A stored result, named by a key that is safe to put in a URL. */
export interface StoredResult {
  key: string;
  mediaType: string;
  size: number;
}

/**
 * Where finished images live; the local folder by default, S3 when configured. A `signal`
 * ends the wait for the storage (with the abort's error) and, where the storage can,
 * the work itself.
 */
export interface ResultStorage {
  save(data: Uint8Array, mediaType: string, signal?: AbortSignal): Promise<StoredResult>;
  /** The stored bytes, or undefined for a key that was never stored (or is malformed). */
  open(
    key: string,
    signal?: AbortSignal,
  ): Promise<
    { body: ReadableStream<Uint8Array>; mediaType: string; size: number } | undefined
  >;
  /**
   * The URL to give clients for a stored result when it is served from elsewhere than
   * this server (a presigned or public bucket URL). Undefined, or no such method, means
   * the server's own `resultPath(key)` applies.
   */
  url?(key: string): Promise<string | undefined>;
}

/**
 * A storage that can remove what it stored, as retention needs: the server's storages
 * are; doubles that never keep anything (the benchmarks') need not be.
 */
export type RemovableResultStorage = ResultStorage & {
  /**
   * Removes a stored result. A key that is not stored is no error (a sweep cut short may
   * have removed it already); a malformed key is ignored.
   */
  delete(key: string, signal?: AbortSignal): Promise<void>;
};

/** Where the server serves a stored result; relative to its public address. */
export function resultPath(key: string): string {
  return `/v1/files/${key}`;
}

/**
 * The shape of every key a storage makes, and the only shape one accepts: a
 * caller-supplied key that is not one of ours never reaches the disk or the bucket, so it
 * cannot name a file outside the folder or another object under the prefix. The group is
 * the extension.
 */
export const resultKeyPattern = /^[0-9a-f-]{36}\.(png|jpg|gif|webp|bin)$/;

/** A fresh random key for a result of `mediaType`, of the shape `resultKeyPattern` accepts. */
export function newResultKey(mediaType: string): string {
  return `${randomUUID()}.${imageExtension(mediaType)}`;
}
