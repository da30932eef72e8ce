/** A stored result, named by a key that is safe to put in a URL. */
export interface StoredResult {
  key: string;
  mediaType: string;
  size: number;
}

/** Where finished images live; the local folder by default, S3 when configured. */
export interface ResultStorage {
  save(data: Uint8Array, mediaType: string): Promise<StoredResult>;
  /** The stored bytes, or undefined for a key that was never stored (or is malformed). */
  open(
    key: string,
  ): Promise<
    { body: ReadableStream<Uint8Array>; mediaType: string; size: number } | undefined
  >;
}

/** Where the server serves a stored result; relative to its public address. */
export function resultPath(key: string): string {
  return `/v1/files/${key}`;
}
